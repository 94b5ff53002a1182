package dev.nabla.nn.initializers;

/**
 * Glorot (Xavier) normal: N(0, σ²), σ = √(2 / (fan_in + fan_out)) (untruncated; see {@link VarianceScaling}).
 *
 * <pre>{@code
 * new Dense(512, "relu").kernelInitializer(new GlorotNormal(42));
 * }</pre>
 */
public final class GlorotNormal extends VarianceScaling {
    /** Unseeded: each call takes a seed from {@link dev.nabla.nn.RandomSeed}. */
    public GlorotNormal() {
        this(null);
    }

    public GlorotNormal(Long seed) {
        super(1.0, Mode.FAN_AVG, Distribution.NORMAL, seed);
    }

    public GlorotNormal(long seed) {
        this(Long.valueOf(seed));
    }
}
