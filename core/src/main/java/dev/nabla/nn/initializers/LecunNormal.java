package dev.nabla.nn.initializers;

/**
 * LeCun normal: N(0, σ²), σ = √(1 / fan_in) (untruncated; see {@link VarianceScaling}).
 *
 * <pre>{@code
 * new Dense(512, "relu").kernelInitializer(new LecunNormal(42));
 * }</pre>
 */
public final class LecunNormal extends VarianceScaling {
    /** Unseeded: each call takes a seed from {@link dev.nabla.nn.RandomSeed}. */
    public LecunNormal() {
        this(null);
    }

    public LecunNormal(Long seed) {
        super(1.0, Mode.FAN_IN, Distribution.NORMAL, seed);
    }

    public LecunNormal(long seed) {
        this(Long.valueOf(seed));
    }
}
