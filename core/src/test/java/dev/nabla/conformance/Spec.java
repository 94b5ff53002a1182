package dev.nabla.conformance;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of every area of the conformance suite. Each test runs inside a {@link TensorScope}, and
 * afterwards the backend's live-buffer count must be back where it was: a test, or core code it
 * calls, that leaks a buffer fails.
 */
abstract class Spec {
    protected final Kit kit;
    protected final Backend backend;
    protected final TensorFactory t;
    private TensorScope scope;
    private long liveBuffersBefore;

    /** {@code kit} is null where the backend is unavailable: the tests are then skipped, not run. */
    protected Spec(Kit kit) {
        this.kit = kit;
        this.backend = kit == null ? null : kit.backend;
        this.t = kit == null ? null : kit.t;
    }

    @BeforeEach
    void openScope() {
        liveBuffersBefore = backend.memoryStats().liveBuffers();
        scope = TensorScope.open();
    }

    @AfterEach
    void closeScopeAndCheckForLeaks() {
        scope.close();
        long after = backend.memoryStats().liveBuffers();
        kit.assertEquals(
                "live buffers after the test's scope closed (a leak in the test or in core)", liveBuffersBefore, after);
    }
}
