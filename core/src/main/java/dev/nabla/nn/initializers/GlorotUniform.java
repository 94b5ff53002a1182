package dev.nabla.nn.initializers;

/**
 * Glorot (Xavier) uniform: U[−limit, limit], limit = √(6 / (fan_in + fan_out)). Keras' default kernel initializer.
 *
 * <pre>{@code
 * new Dense(512, "relu").kernelInitializer(new GlorotUniform(42));
 * }</pre>
 */
public final class GlorotUniform extends VarianceScaling {
    /** Unseeded: each call takes a seed from {@link dev.nabla.nn.RandomSeed}. */
    public GlorotUniform() {
        this(null);
    }

    public GlorotUniform(Long seed) {
        super(1.0, Mode.FAN_AVG, Distribution.UNIFORM, seed);
    }

    public GlorotUniform(long seed) {
        this(Long.valueOf(seed));
    }
}
