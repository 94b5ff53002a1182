package dev.nabla.testing;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Tensor;

/**
 * Live-buffer counts that a leak check on a shared backend can trust. Tensors that earlier tests
 * dropped without closing are released by the Cleaner whenever the garbage collector finds them,
 * which moves the shared backend's count in the middle of a test. Settling first collects them.
 *
 * <pre>{@code
 * long before = LiveBuffers.settled(backend);
 * ... code that must release what it allocates ...
 * assertEquals(before, backend.memoryStats().liveBuffers());
 * }</pre>
 *
 * A backend of the test's own ({@code CpuBackendProvider.createIsolated()}) needs none of this.
 */
public final class LiveBuffers {
    private LiveBuffers() {}

    /** Settles the Cleaner, then returns {@code backend}'s live buffers. */
    public static long settled(Backend backend) {
        settle();
        return backend.memoryStats().liveBuffers();
    }

    /** Collects garbage until the Cleaner has released nothing more for three rounds in a row. */
    public static void settle() {
        long previous = -1;
        int quiet = 0;
        for (int round = 0; round < 40 && quiet < 3; round++) {
            long now = Tensor.cleanerReleases();
            quiet = now == previous ? quiet + 1 : 0;
            previous = now;
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
