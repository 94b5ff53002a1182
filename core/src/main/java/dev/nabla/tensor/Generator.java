package dev.nabla.tensor;

import dev.nabla.backend.RandomKind;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded source of random tensors. It is counter-based (Philox4x32-10): the n-th number drawn
 * depends only on the seed and n, so the same seed gives the same tensors on every backend.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * Tensor w = Tensor.factory().normal(g, 0, 0.05, 784, 512);
 * }</pre>
 */
public final class Generator {
    private final long seed;
    private final AtomicLong counter = new AtomicLong();

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The Philox block at which the next draw starts. */
    public long position() {
        return counter.get();
    }

    /** Reserves the blocks for a draw of {@code n} elements and returns where it starts. */
    long advance(RandomKind kind, long n) {
        return counter.getAndAdd(kind.blocksFor(n));
    }

    /**
     * Gives back the blocks {@link #advance} reserved at {@code start} when the draw did not happen (the
     * backend refused it, e.g. inside a captured step), unless another draw has been reserved since.
     */
    void giveBack(RandomKind kind, long n, long start) {
        counter.compareAndSet(start + kind.blocksFor(n), start);
    }
}
