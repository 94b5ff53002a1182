package dev.nabla.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

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
     * Runs {@code body} over [0, count) in {@code tasks} contiguous parts whose bounds are
     * multiples of {@code grain} (except the end), in parallel when that helps.
     */
    static void split(int count, int tasks, int grain, Range body) {
        int units = (count + grain - 1) / grain;
        int parts = Math.min(tasks, units);
        if (parts <= 1 || !available()) {
            body.run(0, count);
            return;
        }
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int from = bound(t, parts, units, grain, count), to = bound(t + 1, parts, units, grain, count);
            forked[t - 1] = ForkJoinPool.commonPool().submit(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            });
        }
        Throwable failure = null;
        try {
            body.run(0, bound(1, parts, units, grain, count));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (ForkJoinTask<?> task : forked) {
            try {
                task.join();
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
