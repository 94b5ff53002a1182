package dev.nabla.tensor;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DeviceBuffer;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A device buffer shared by a tensor and its views, with a reference count: each tensor that
 * looks at it holds one reference, and the buffer goes back to its backend when the last is
 * closed. A {@link Cleaner} is the backstop for tensors that were never closed; it counts what
 * it had to clean ({@link Tensor#cleanerReleases()}), which the project's own code keeps at 0.
 */
final class Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    static final AtomicLong CLEANER_RELEASES = new AtomicLong();

    /** What the cleaner needs: never a reference back to the Storage itself. */
    private static final class Release implements Runnable {
        private final Backend backend;
        private final DeviceBuffer buffer;
        private volatile boolean done;

        Release(Backend backend, DeviceBuffer buffer) {
            this.backend = backend;
            this.buffer = buffer;
        }

        @Override
        public void run() {
            if (!done) {
                done = true;
                CLEANER_RELEASES.incrementAndGet();
                backend.release(buffer);
            }
        }

        void releaseNow() {
            if (!done) {
                done = true;
                backend.release(buffer);
            }
        }
    }

    final Backend backend;
    final DeviceBuffer buffer;
    private final AtomicInteger references = new AtomicInteger();
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    Storage(Backend backend, DeviceBuffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
        this.release = new Release(backend, buffer);
        this.cleanable = CLEANER.register(this, release);
    }

    int references() {
        return references.get();
    }

    void retain() {
        references.incrementAndGet();
    }

    /** Drops one reference; the last one gives the buffer back. */
    void drop() {
        if (references.decrementAndGet() == 0) {
            release.releaseNow();
            cleanable.clean(); // deregisters; the action sees done = true and does nothing
        }
    }
}
