package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' VarianceScaling: variance {@code scale / n} where n is the fan-in, the fan-out or their
 * mean ({@code mode}). With {@code "uniform"} it draws U[−limit, limit), limit = √(3·scale/n);
 * with {@code "normal"} it draws N(0, σ²), σ = √(scale/n).
 *
 * <p><b>Difference from Keras.</b> Keras' "truncated_normal" redraws values beyond 2σ (scaling σ
 * by 1/0.8796 so the variance is kept). Nabla's {@code "normal"} is the plain normal of the
 * deep-learning course notes ("Glorot normal: N(0, σ²), σ = √(2/(fan_in + fan_out))"): the same
 * standard deviation, untruncated tails.
 */
public class VarianceScaling extends Initializer {
    /** Which fan divides the scale. */
    public enum Mode {
        FAN_IN,
        FAN_OUT,
        FAN_AVG
    }

    /** The distribution drawn from. */
    public enum Distribution {
        UNIFORM,
        NORMAL
    }

    private final double scale;
    private final Mode mode;
    private final Distribution distribution;

    public VarianceScaling(double scale, Mode mode, Distribution distribution, Long seed) {
        super(seed);
        if (!(scale > 0)) {
            throw new IllegalArgumentException(name() + ": scale must be positive, got " + scale);
        }
        this.scale = scale;
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        this.distribution = java.util.Objects.requireNonNull(distribution, "distribution");
    }

    public double scale() {
        return scale;
    }

    public Mode mode() {
        return mode;
    }

    public Distribution distribution() {
        return distribution;
    }

    /** The standard deviation this initializer gives a weight of {@code shape}. */
    public double stddev(int[] shape) {
        long[] fans = fans(shape);
        double n = switch (mode) {
            case FAN_IN -> fans[0];
            case FAN_OUT -> fans[1];
            case FAN_AVG -> (fans[0] + fans[1]) / 2.0;
        };
        return Math.sqrt(scale / Math.max(1.0, n));
    }

    /** The bound of the uniform draw for {@code shape}: √3 · stddev. */
    public double limit(int[] shape) {
        return Math.sqrt(3.0) * stddev(shape);
    }

    @Override
    protected Tensor generate(Backend backend, int[] shape, Generator generator) {
        if (distribution == Distribution.UNIFORM) {
            double limit = limit(shape);
            return Tensor.on(backend).uniform(generator, -limit, limit, shape);
        }
        return Tensor.on(backend).normal(generator, 0.0, stddev(shape), shape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        if (getClass() == VarianceScaling.class) {
            config.put("scale", scale);
            config.put("mode", mode.name().toLowerCase(Locale.ROOT));
            config.put("distribution", distribution.name().toLowerCase(Locale.ROOT));
        }
        return config;
    }
}
