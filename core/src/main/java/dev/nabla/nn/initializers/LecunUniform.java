package dev.nabla.nn.initializers;

/**
 * LeCun uniform: U[−limit, limit], limit = √(3 / fan_in).
 *
 * <pre>{@code
 * new Dense(512, "relu").kernelInitializer(new LecunUniform(42));
 * }</pre>
 */
public final class LecunUniform extends VarianceScaling {
    /** Unseeded: each call takes a seed from {@link dev.nabla.nn.RandomSeed}. */
    public LecunUniform() {
        this(null);
    }

    public LecunUniform(Long seed) {
        super(1.0, Mode.FAN_IN, Distribution.UNIFORM, seed);
    }

    public LecunUniform(long seed) {
        this(Long.valueOf(seed));
    }
}
