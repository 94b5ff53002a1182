package dev.nabla.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** A fixed learning rate (what a plain number means where a schedule is accepted). */
public record ConstantLearningRate(double value) implements LearningRateSchedule {
    public ConstantLearningRate {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("learning rate must be a finite number ≥ 0, got " + value);
        }
    }

    @Override
    public double at(long step) {
        return value;
    }

    @Override
    public String name() {
        return "Constant";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("value", value);
        return config;
    }
}
