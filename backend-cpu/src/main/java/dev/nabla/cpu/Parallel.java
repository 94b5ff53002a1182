package dev.nabla.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits work across the cores: task 0 runs on the calling thread, the others on the common
 * fork-join pool, so a 2-core machine (common-pool parallelism 1) still uses both cores.
 * Work that is already on a pool thread runs serially rather than nesting.
 */
final class Parallel {
    /** Threads that can work at once: the caller plus the common pool's workers. */
    static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
            ForkJoinPool.getCommonPoolParallelism() + 1));

    /** One task's share of a split range. */
    interface Range {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /** Whether a split would run on more than one thread here. */
    static boolean available() {
        return THREADS > 1 && !ForkJoinTask.inForkJoinPool();
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
        if (threads <= 1 || !available()) {
            body.run(0, count);
            return;
        }
        int parts = Math.min(units, threads * Math.max(1, partsPerThread));
        AtomicInteger next = new AtomicInteger();
        Runnable claim = () -> {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                body.run(bound(p, parts, units, grain, count), bound(p + 1, parts, units, grain, count));
            }
        };
        ForkJoinTask<?>[] helpers = new ForkJoinTask<?>[threads - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = ForkJoinPool.commonPool().submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    claim.run();
                }
            });
        }
        Throwable failure = null;
        try {
            claim.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(parts); // the helpers stop after their current part
        }
        for (ForkJoinTask<?> task : helpers) {
            try {
                task.join(); // a helper that has not started yet runs here and finds nothing left
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Splits [0, count) across all threads when {@code work} (an element or flop count) is at least {@code threshold}. */
    static void split(int count, long work, long threshold, int grain, Range body) {
        split(count, work >= threshold ? THREADS : 1, grain, body);
    }

    private static int bound(int part, int parts, int units, int grain, int count) {
        return (int) Math.min(count, (long) units * part / parts * grain);
    }
}
