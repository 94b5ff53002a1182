package dev.nabla.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Polynomial decay, as Keras' {@code PolynomialDecay}: with step' = min(step, decaySteps),
 * {@code lr = (initial − end) · (1 − step'/decaySteps)^power + end}. With {@code cycle} the
 * decay restarts: decaySteps becomes decaySteps · ⌈step / decaySteps⌉.
 *
 * <pre>{@code
 * new PolynomialDecay(0.1, 900, 0.01, 0.5);   // (0.1 − 0.01)·(1 − min(step, 900)/900)^0.5 + 0.01
 * }</pre>
 */
public final class PolynomialDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double endLearningRate;
    private final double power;
    private final boolean cycle;

    public PolynomialDecay(
            double initialLearningRate, long decaySteps, double endLearningRate, double power, boolean cycle) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("PolynomialDecay: decaySteps must be positive, got " + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.endLearningRate = endLearningRate;
        this.power = power;
        this.cycle = cycle;
    }

    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power) {
        this(initialLearningRate, decaySteps, endLearningRate, power, false);
    }

    /** Keras' defaults: end 0.0001, power 1 (linear). */
    public PolynomialDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0001, 1.0, false);
    }

    @Override
    public double at(long step) {
        double steps = decaySteps;
        double s = step;
        if (cycle) {
            double multiplier = step == 0 ? 1 : Math.ceil(s / decaySteps);
            steps = decaySteps * multiplier;
        } else {
            s = Math.min(s, steps);
        }
        return (initialLearningRate - endLearningRate) * Math.pow(1 - s / steps, power) + endLearningRate;
    }

    @Override
    public String name() {
        return "PolynomialDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("initial_learning_rate", initialLearningRate);
        config.put("decay_steps", decaySteps);
        config.put("end_learning_rate", endLearningRate);
        config.put("power", power);
        config.put("cycle", cycle);
        return config;
    }
}
