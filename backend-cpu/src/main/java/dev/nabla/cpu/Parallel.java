package dev.nabla.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits work across the cores: the calling thread takes part, and the backend's own worker
 * threads (one fewer than the cores) take the rest.
 *
 * <p>A training step runs dozens of split operations a few microseconds to a millisecond long,
 * with a little serial work between them. Waking a parked thread costs tens of microseconds in a
 * VM, so a worker that has finished a part spins for a short while ({@code nabla.cpu.spinMicros},
 * 100 µs by default) before it parks: the next split of the same step then starts at once. That
 * is what OpenMP runtimes and OpenBLAS's own threads do, and why the native BLAS is kept
 * single-threaded beside this pool ({@link BlasThreads}): two pools spinning on two cores
 * would take turns at each other's work.
 *
 * <p>One split runs at a time. A thread that finds the pool busy (another thread's split, or a
 * split nested inside a part) runs its work serially, which is always correct.
 */
final class Parallel {
    /** Threads that can work at once: the caller plus the workers ({@code nabla.cpu.threads}, default: the cores). */
    static final int THREADS = Math.max(
            1, Integer.getInteger("nabla.cpu.threads", Runtime.getRuntime().availableProcessors()));

    private static final long SPIN_NANOS = Long.getLong("nabla.cpu.spinMicros", 100) * 1000;

    /** One task's share of a split range. */
    interface Range {
        void run(int from, int to);
    }

    private static final ReentrantLock POOL = new ReentrantLock();
    private static final Worker[] WORKERS = new Worker[THREADS - 1];

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker(i + 1);
            WORKERS[i].start();
        }
    }

    private Parallel() {}

    /** Whether a split would run on more than one thread here. */
    static boolean available() {
        return THREADS > 1 && !(Thread.currentThread() instanceof Worker) && !POOL.isHeldByCurrentThread();
    }

    /**
     * Runs {@code body} over [0, count) on up to {@code tasks} threads, in parts whose bounds are
     * multiples of {@code grain} (except the end): one part per thread.
     */
    static void split(int count, int tasks, int grain, Range body) {
        split(count, tasks, grain, 1, body);
    }

    /**
     * As {@link #split(int, int, int, Range)}, but cut into {@code partsPerThread} parts per thread
     * that the threads claim one at a time: on a shared machine a thread that is descheduled holds
     * up one small part, not half of the work. More parts cost more per-part setup (e.g. packing).
     */
    static void split(int count, int tasks, int grain, int partsPerThread, Range body) {
        int units = (count + grain - 1) / grain;
        int threads = Math.min(tasks, units);
        if (threads <= 1 || !available() || !POOL.tryLock()) {
            body.run(0, count);
            return;
        }
        try {
            Job job = new Job(body, Math.min(units, threads * Math.max(1, partsPerThread)), units, grain, count);
            for (int w = 0; w < threads - 1; w++) {
                WORKERS[w].offer(job);
            }
            job.claim();
            job.awaitParts();
            job.rethrow();
        } finally {
            POOL.unlock();
        }
    }

    /** Splits [0, count) across all threads when {@code work} (an element or flop count) is at least {@code threshold}. */
    static void split(int count, long work, long threshold, int grain, Range body) {
        split(count, work >= threshold ? THREADS : 1, grain, body);
    }

    /**
     * One split: its parts, claimed one at a time by the caller and the workers it offered them to.
     * The caller waits for the parts to finish, not for the workers: a worker that wakes after the
     * others have claimed every part finds nothing to do, and nobody waited for it.
     */
    private static final class Job {
        private final Range body;
        private final int parts, units, grain, count;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();
        private volatile boolean callerParked;

        Job(Range body, int parts, int units, int grain, int count) {
            this.body = body;
            this.parts = parts;
            this.units = units;
            this.grain = grain;
            this.count = count;
        }

        /** Runs parts until none is left; after a failure the remaining parts are skipped. */
        void claim() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.run(bound(p), bound(p + 1));
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (finished.incrementAndGet() == parts && callerParked) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Waits for the parts that other threads claimed: they are running, so a short spin usually suffices. */
        void awaitParts() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (finished.get() < parts && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (finished.get() < parts) {
                callerParked = true;
                while (finished.get() < parts) {
                    LockSupport.parkNanos(this, 100_000);
                }
                callerParked = false;
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        private int bound(int part) {
            return (int) Math.min(count, (long) units * part / parts * grain);
        }
    }

    /** A daemon thread that runs the parts of offered jobs, spinning briefly between jobs before it parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Job> job = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            super("nabla-cpu-" + index);
            setDaemon(true);
        }

        void offer(Job next) {
            job.set(next);
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            while (true) {
                Job current = awaitJob();
                job.compareAndSet(current, null); // not a newer offer that came in meanwhile
                current.claim();
            }
        }

        private Job awaitJob() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            Job current;
            while ((current = job.get()) == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            while (current == null) {
                parked = true;
                if ((current = job.get()) == null) { // re-check after announcing, so an offer cannot be missed
                    LockSupport.park(this);
                    current = job.get();
                }
                parked = false;
            }
            return current;
        }
    }
}
