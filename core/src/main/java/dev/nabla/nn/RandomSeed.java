package dev.nabla.nn;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide source of seeds for everything random that was given no seed of its own
 * (initializers, dropout, the shuffling of {@code fit}), like Keras'
 * {@code keras.utils.set_random_seed}.
 *
 * <pre>{@code
 * RandomSeed.set(42);                 // every model built from now on is reproducible
 * Sequential model = new Sequential(new Dense(10, "softmax").inputShape(784));
 * }</pre>
 *
 * <p>Until {@link #set} is called the sequence starts from the clock, so unseeded runs differ,
 * as in Keras. Seeds are drawn in a fixed order (layer by layer, weight by weight), so one
 * {@code set} call makes a whole program repeatable.
 */
public final class RandomSeed {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final AtomicLong STATE = new AtomicLong(System.nanoTime() ^ 0x5DEECE66DL);

    private RandomSeed() {}

    /** Restarts the seed sequence from {@code seed}. */
    public static void set(long seed) {
        STATE.set(seed);
    }

    /** The next seed of the sequence (SplitMix64, so consecutive seeds are unrelated). */
    public static long next() {
        long z = STATE.addAndGet(GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
