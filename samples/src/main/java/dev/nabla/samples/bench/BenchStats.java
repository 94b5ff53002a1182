package dev.nabla.samples.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** What the benchmarks share: the epoch order they shuffle with, the medians they report, and how they time runs. */
final class BenchStats {
    private BenchStats() {}

    /** A seeded random order of 0 … n−1 (Fisher–Yates). */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The median epoch time leaving out the first epoch (JIT, kernel loading, allocator warm-up) when there are more. */
    static double medianAfterWarmup(List<Double> epochSeconds) {
        return medianAfterWarmup(epochSeconds, 1);
    }

    /** The median leaving out the first {@code warmup} values, as many as leave at least one. */
    static double medianAfterWarmup(List<Double> values, int warmup) {
        int skip = Math.max(0, Math.min(warmup, values.size() - 1));
        return median(values.subList(skip, values.size()));
    }

    /** Runs something {@code times} times and waits for the device to finish. */
    @FunctionalInterface
    interface Runs<E extends Exception> {
        void run(int times) throws E;
    }

    /**
     * Seconds per run: the median of 31 timings of {@code perTiming} runs each, after 20 runs of warm-up. The
     * median, not the mean, so that a moment when the shared machine took a core away does not count.
     */
    static <E extends Exception> double medianSecondsPerRun(Runs<E> runs, int perTiming) throws E {
        runs.run(20);
        double[] seconds = new double[31];
        for (int i = 0; i < seconds.length; i++) {
            long start = System.nanoTime();
            runs.run(perTiming);
            seconds[i] = (System.nanoTime() - start) / 1e9 / perTiming;
        }
        Arrays.sort(seconds);
        return seconds[seconds.length / 2];
    }
}
