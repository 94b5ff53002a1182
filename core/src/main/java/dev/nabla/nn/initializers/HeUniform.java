package dev.nabla.nn.initializers;

/**
 * He uniform: U[−limit, limit], limit = √(6 / fan_in).
 *
 * <pre>{@code
 * new Dense(512, "relu").kernelInitializer(new HeUniform(42));
 * }</pre>
 */
public final class HeUniform extends VarianceScaling {
    /** Unseeded: each call takes a seed from {@link dev.nabla.nn.RandomSeed}. */
    public HeUniform() {
        this(null);
    }

    public HeUniform(Long seed) {
        super(2.0, Mode.FAN_IN, Distribution.UNIFORM, seed);
    }

    public HeUniform(long seed) {
        this(Long.valueOf(seed));
    }
}
