package dev.nabla.nn.regularizers;

import dev.nabla.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** l1 · Σ|w| (Keras' default factor 0.01). */
public record L1(double l1) implements Regularizer {
    public L1 {
        if (!(l1 >= 0)) {
            throw new IllegalArgumentException("L1: factor must be ≥ 0, got " + l1);
        }
    }

    public L1() {
        this(0.01);
    }

    @Override
    public Tensor penalty(Tensor weight) {
        return weight.abs().sum().mul(l1);
    }

    @Override
    public String name() {
        return "L1";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("l1", l1);
        return config;
    }
}
