package dev.nabla.data;

/**
 * Seeded shuffles that give the same order on every JVM: a Fisher–Yates shuffle driven by SplitMix64
 * (Steele, Lea and Flood, 2014), a generator fully specified in a dozen lines, unlike
 * {@code java.util.Random}'s use in {@code Collections.shuffle}, which is free to change.
 * {@code samples/scripts/convert-mnist-digits.py} uses the same generator.
 */
final class Permutation {
    private long state;

    Permutation(long seed) {
        this.state = seed;
    }

    /** A permutation of 0 … n−1 determined by {@code seed}. */
    static int[] of(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Permutation rng = new Permutation(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.below(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound) by rejection, as the Python script does (no modulo bias). */
    int below(int bound) {
        // limit = 2^64 − (2^64 mod bound), compared unsigned.
        long remainder = Long.remainderUnsigned(-1L, bound) + 1; // (2^64 − 1) mod b + 1
        long mod = remainder == bound ? 0 : remainder; // 2^64 mod bound
        while (true) {
            long r = nextLong();
            if (mod == 0 || Long.compareUnsigned(r, -mod) < 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }
}
