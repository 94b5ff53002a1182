package dev.nabla.nn.regularizers;

import dev.nabla.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** l2 · Σw² (Keras' default factor 0.01; no ½, as in Keras). */
public record L2(double l2) implements Regularizer {
    public L2 {
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("L2: factor must be ≥ 0, got " + l2);
        }
    }

    public L2() {
        this(0.01);
    }

    @Override
    public Tensor penalty(Tensor weight) {
        return weight.square().sum().mul(l2);
    }

    @Override
    public String name() {
        return "L2";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("l2", l2);
        return config;
    }
}
