package dev.nabla.nn.regularizers;

import dev.nabla.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** l1 · Σ|w| + l2 · Σw². */
public record L1L2(double l1, double l2) implements Regularizer {
    public L1L2 {
        if (!(l1 >= 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException("L1L2: factors must be ≥ 0, got l1 = " + l1 + ", l2 = " + l2);
        }
    }

    @Override
    public Tensor penalty(Tensor weight) {
        Tensor a = weight.abs().sum().mul(l1);
        Tensor b = weight.square().sum().mul(l2);
        return a.add(b);
    }

    @Override
    public String name() {
        return "L1L2";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("l1", l1);
        config.put("l2", l2);
        return config;
    }
}
