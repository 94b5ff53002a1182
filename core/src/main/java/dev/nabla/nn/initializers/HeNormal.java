package dev.nabla.nn.initializers;

/**
 * He normal: N(0, σ²), σ = √(2 / fan_in) (untruncated; see {@link VarianceScaling}).
 *
 * <pre>{@code
 * new Dense(512, "relu").kernelInitializer(new HeNormal(42));
 * }</pre>
 */
public final class HeNormal extends VarianceScaling {
    /** Unseeded: each call takes a seed from {@link dev.nabla.nn.RandomSeed}. */
    public HeNormal() {
        this(null);
    }

    public HeNormal(Long seed) {
        super(2.0, Mode.FAN_IN, Distribution.NORMAL, seed);
    }

    public HeNormal(long seed) {
        this(Long.valueOf(seed));
    }
}
