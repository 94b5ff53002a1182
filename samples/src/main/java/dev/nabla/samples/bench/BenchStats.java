package dev.nabla.samples.bench;

import java.util.List;
import java.util.SplittableRandom;

/** What the benchmarks share: the epoch order they shuffle with, and the median they report. */
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
}
