package dev.nabla.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential decay, as Keras' {@code ExponentialDecay}:
 * {@code lr = initial · rate^(step / decaySteps)}, with the exponent floored when
 * {@code staircase} (so the rate drops every {@code decaySteps} steps).
 *
 * <pre>{@code
 * new ExponentialDecay(0.1, 500, 0.5, false);   // 0.1 · 0.5^(step/500): 0.0707… at step 250
 * new ExponentialDecay(0.1, 500, 0.5, true);    // 0.1 until step 499, 0.05 from 500
 * }</pre>
 */
public final class ExponentialDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("ExponentialDecay: decaySteps must be positive, got " + decaySteps);
        }
        if (!(initialLearningRate >= 0) || !(decayRate > 0)) {
            throw new IllegalArgumentException(
                    "ExponentialDecay: expected initial learning rate ≥ 0 and decay rate > 0, got "
                            + initialLearningRate + " and " + decayRate);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.decayRate = decayRate;
        this.staircase = staircase;
    }

    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    @Override
    public double at(long step) {
        double p = (double) step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return initialLearningRate * Math.pow(decayRate, p);
    }

    @Override
    public String name() {
        return "ExponentialDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("initial_learning_rate", initialLearningRate);
        config.put("decay_steps", decaySteps);
        config.put("decay_rate", decayRate);
        config.put("staircase", staircase);
        return config;
    }
}
