package dev.nabla.backend;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
 * counter-based generator, so that the k-th random number depends only on (seed, k). Every
 * backend implements exactly this function, which makes random initialization and dropout
 * masks identical on the CPU, CUDA and OpenCL. This class is the reference (and the CPU's).
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox() {}

    /**
     * Word {@code word} (0..3) of the Philox4x32-10 block with key = seed (low, high 32 bits)
     * and counter = (block low, block high, 0, 0).
     */
    public static int word(long seed, long block, int word) {
        int c0 = (int) block, c1 = (int) (block >>> 32), c2 = 0, c3 = 0;
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (c0 & 0xFFFFFFFFL) * (M0 & 0xFFFFFFFFL);
            long p1 = (c2 & 0xFFFFFFFFL) * (M1 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0;
            int n1 = lo1;
            int n2 = hi0 ^ c3 ^ k1;
            int n3 = lo0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        return switch (word) {
            case 0 -> c0;
            case 1 -> c1;
            case 2 -> c2;
            default -> c3;
        };
    }

    /** A uniform float in [0, 1) from the top 24 bits of a word: exact in FLOAT32 and FLOAT64. */
    public static double unit(int bits) {
        return (bits >>> 8) * 0x1.0p-24;
    }

    /** A uniform in (0, 1], safe to take the logarithm of. */
    public static double unitOpenAtZero(int bits) {
        return ((bits >>> 8) + 1) * 0x1.0p-24;
    }

    /** Element {@code index} of a draw of {@code kind} starting at block {@code counter}. */
    public static double sample(RandomKind kind, long seed, long counter, long index, double a, double b) {
        switch (kind) {
            case UNIFORM:
                return a + (b - a) * unit(word(seed, counter + index / 4, (int) (index % 4)));
            case DROPOUT_MASK:
                return unit(word(seed, counter + index / 4, (int) (index % 4))) < a ? 1.0 / a : 0.0;
            case NORMAL: {
                long block = counter + index / 2;
                int first = 2 * (int) (index % 2);
                double u1 = unitOpenAtZero(word(seed, block, first));
                double u2 = unit(word(seed, block, first + 1));
                return a + b * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
            }
            default:
                throw new AssertionError(kind);
        }
    }
}
