package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every GEMM kernel this machine can load computes C = op(A)·op(B) as a double-precision reference does. */
class GemmKernelsTest {

    static Stream<GemmKernel> kernels() {
        List<GemmKernel> all = new ArrayList<>();
        all.add(new ScalarGemm());
        all.add(Gemm.DIRECT);
        GemmKernel vector = GemmKernels.vector();
        if (vector != null) {
            all.add(vector);
        }
        GemmKernel blas = GemmKernels.blas();
        if (blas != null) {
            all.add(blas);
        }
        return all.stream();
    }

    private static final int[] SIZES = {1, 3, 7, 16, 33, 70, 130};

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void singlePrecisionMatchesTheReferenceForEveryShapeAndTranspose(GemmKernel kernel) {
        SplittableRandom random = new SplittableRandom(7);
        for (int m : SIZES) {
            for (int n : SIZES) {
                int k = SIZES[random.nextInt(SIZES.length)] + random.nextInt(300);
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int pad = random.nextInt(3);
                    int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                    int aOff = random.nextInt(5), bOff = random.nextInt(5), cOff = random.nextInt(5);
                    // arrays end where the last row does: padding between rows, none after the last
                    float[] a = randomFloats(random, aOff + ((ta ? k : m) - 1) * lda + (ta ? m : k));
                    float[] b = randomFloats(random, bOff + ((tb ? n : k) - 1) * ldb + (tb ? k : n));
                    float[] c = randomFloats(random, cOff + (m - 1) * ldc + n); // garbage that must be overwritten
                    kernel.sgemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double expected = 0, magnitude = 0;
                            for (int p = 0; p < k; p++) {
                                double x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                                double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                                expected += x * y;
                                magnitude += Math.abs(x * y);
                            }
                            double actual = c[cOff + i * ldc + j];
                            if (Math.abs(actual - expected) > 1e-5 * magnitude + 1e-6) {
                                assertEquals(
                                        expected,
                                        actual,
                                        1e-5 * magnitude + 1e-6,
                                        kernel.description() + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb="
                                                + tb + " at (" + i + ", " + j + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Products whose sides are both short and whose inner dimension is long (a convolution kernel's gradient) are split
     * along that dimension across threads, into partial products added in a fixed order: the result matches the
     * reference, writes only C's sub-block, and is the same, bit for bit, every time.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void aLongInnerDimensionSplitAcrossThreadsMatchesTheReferenceAndRepeatsExactly(GemmKernel kernel) {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] s : new int[][] {{9, 32, 20_000}, {40, 30, 6_000}, {3, 1, 9_000}}) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int lda = ta ? m : k, ldb = tb ? k : n, ldc = n + 3, cOff = 2;
                float[] a = randomFloats(random, m * k), b = randomFloats(random, k * n);
                float[] c = new float[cOff + m * ldc], again = new float[c.length];
                java.util.Arrays.fill(c, 7f); // around the sub-block: must stay 7
                java.util.Arrays.fill(again, 7f);
                kernel.sgemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, cOff, ldc, true);
                kernel.sgemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, again, cOff, ldc, true);
                assertArrayEquals(c, again, kernel.description() + ": the same product twice");
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < ldc; j++) {
                        double expected = 0, magnitude = 0;
                        for (int p = 0; p < k && j < n; p++) {
                            double x = ta ? a[p * lda + i] : a[i * lda + p];
                            double y = tb ? b[j * ldb + p] : b[p * ldb + j];
                            expected += x * y;
                            magnitude += Math.abs(x * y);
                        }
                        assertEquals(
                                j < n ? expected : 7.0,
                                c[cOff + i * ldc + j],
                                1e-5 * magnitude + 1e-6,
                                kernel.description() + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb
                                        + " at (" + i + ", " + j + ")");
                    }
                }
            }
        }
        int m = 5, n = 6, k = 30_000; // and in double precision
        double[] a = new double[m * k], b = new double[k * n], c = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() - 0.5;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextDouble() - 0.5;
        }
        kernel.dgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, true);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int p = 0; p < k; p++) {
                    expected += a[i * k + p] * b[p * n + j];
                }
                assertEquals(expected, c[i * n + j], 1e-9, kernel.description() + " double at (" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void doublePrecisionMatchesTheReference(GemmKernel kernel) {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] s : new int[][] {{1, 1, 1}, {5, 9, 3}, {37, 45, 300}, {130, 17, 70}, {64, 129, 257}}) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int lda = ta ? m : k, ldb = tb ? k : n;
                double[] a = random.doubles((long) m * k, -1, 1).toArray();
                double[] b = random.doubles((long) k * n, -1, 1).toArray();
                double[] c = new double[m * n + 1];
                c[m * n] = 42; // past the end: untouched
                kernel.dgemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, true);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double expected = 0;
                        for (int p = 0; p < k; p++) {
                            expected += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                        }
                        assertEquals(
                                expected, c[i * n + j], 1e-12 * k, kernel.description() + " " + m + "×" + n + "×" + k);
                    }
                }
                assertEquals(42, c[m * n]);
            }
        }
    }

    @Test
    void batchedProductsFollowBatchStridesIncludingBroadcast() {
        CpuBackend cpu = new CpuBackend();
        int batch = 40, m = 9, k = 11, n = 13; // many small products: split by batch entry
        float[] a = randomFloats(new SplittableRandom(3), batch * m * k);
        float[] w = randomFloats(new SplittableRandom(4), k * n);
        CpuBuffer ab = new CpuBuffer(cpu, DType.FLOAT32, a, a.length * 4L);
        CpuBuffer wb = new CpuBuffer(cpu, DType.FLOAT32, w, w.length * 4L);
        float[] c = new float[batch * m * n];
        CpuBuffer cb = new CpuBuffer(cpu, DType.FLOAT32, c, c.length * 4L);
        View av = new View(ab, DType.FLOAT32, 0, new int[] {batch, m, k}, new long[] {(long) m * k, k, 1});
        View wv = new View(wb, DType.FLOAT32, 0, new int[] {batch, k, n}, new long[] {0, n, 1}); // one matrix for all
        View cv = View.contiguous(cb, batch, m, n);
        cpu.matmul(av, false, wv, false, cv);
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = 0;
                    for (int p = 0; p < k; p++) {
                        expected += a[bi * m * k + i * k + p] * w[p * n + j];
                    }
                    assertEquals(expected, c[bi * m * n + i * n + j], 1e-4);
                }
            }
        }
    }

    /**
     * The Vector API kernel computes a narrow product (a classifier's 10 outputs) transposed, so that its long side
     * runs along the vectors; each element is still the same sum in the same order, so the result equals, bit for
     * bit, the first columns of the same product with op(B) padded wide with zeros.
     */
    @Test
    void theVectorKernelGivesANarrowProductExactlyAsAWideOne() {
        GemmKernel vector = GemmKernels.vector();
        assumeTrue(vector != null, "no Vector API in this JVM (run with --add-modules jdk.incubator.vector)");
        SplittableRandom random = new SplittableRandom(13);
        int m = 130, k = 300, wide = 64;
        for (int n : new int[] {1, 10}) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                float[] a = randomFloats(random, m * k), b = randomFloats(random, k * n), padded = new float[k * wide];
                for (int p = 0; p < k; p++) {
                    for (int j = 0; j < n; j++) { // op(B)[p, j] into op(padded)[p, j]
                        padded[tb ? j * k + p : p * wide + j] = b[tb ? j * k + p : p * n + j];
                    }
                }
                float[] c = new float[m * n], cWide = new float[m * wide];
                vector.sgemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, true);
                vector.sgemm(ta, tb, m, wide, k, a, 0, ta ? m : k, padded, 0, tb ? k : wide, cWide, 0, wide, true);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(
                                cWide[i * wide + j],
                                c[i * n + j],
                                "n=" + n + " ta=" + ta + " tb=" + tb + ": C[" + i + ", " + j + "]");
                    }
                }
            }
        }
    }

    /**
     * Once the JIT has compiled it, the Vector API kernel keeps each tile of C in registers, so a product allocates
     * nothing per tile. A vector handed to a method that the JIT does not inline is boxed on the heap instead: about
     * 1 KiB a tile, and a product four times slower.
     */
    @Test
    void theVectorKernelOnceCompiledAllocatesNothingPerTile() {
        GemmKernel vector = GemmKernels.vector();
        assumeTrue(vector != null, "no Vector API in this JVM (run with --add-modules jdk.incubator.vector)");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int m = 192, n = 192, k = 300; // 32 × 6 tiles, each over two blocks of k (the second adds to C)
        SplittableRandom random = new SplittableRandom(5);
        float[] a = randomFloats(random, m * k), b = randomFloats(random, k * n), c = new float[m * n];
        long perProduct = Long.MAX_VALUE, limit = 16 * 1024;
        long start = System.nanoTime(), warmUp = 60_000_000_000L; // the JIT's second tier, on a busy machine
        while (perProduct > limit && System.nanoTime() - start < warmUp) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10; i++) {
                vector.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false); // on this thread
            }
            perProduct = (threads.getCurrentThreadAllocatedBytes() - before) / 10;
        }
        assertTrue(
                perProduct <= limit,
                vector.description() + ": a " + m + "×" + k + "×" + n + " product still allocated " + perProduct
                        + " bytes after " + (System.nanoTime() - start) / 1_000_000 + " ms of warm-up; expected at"
                        + " most " + limit + " (are the tiles boxed, passed to a method that is not inlined?)");
    }

    @Test
    void theSelectedKernelIsNamedAndCanBeForcedToPlainJava() {
        assertTrue(GemmKernels.select("java") instanceof ScalarGemm);
        assertTrue(!GemmKernels.selected().description().isEmpty());
        assertTrue(GemmKernels.select("nonsense") != null); // a warning, then the automatic choice
    }

    /**
     * The OpenBLAS kernels named as fastest for a CPU: AVX-512 where its FMA units are 512 bits wide, AVX2 on AMD's
     * Zen 4 (family 25), whose AVX-512 runs on 256-bit halves; none named without AVX-512. The launchers'
     * nabla_openblas_coretype states the same rule (LaunchersTest has the same table).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "AMD Zen 4,    AuthenticAMD, 25, avx2 avx512f avx512bw, Haswell",
        "AMD Zen 5,    AuthenticAMD, 26, avx2 avx512f avx512bw, SkylakeX",
        "Intel Xeon,   GenuineIntel, 6,  avx2 avx512f avx512bw, SkylakeX",
        "AMD Zen 3,    AuthenticAMD, 25, avx2,                  ",
    })
    void openBlasKernelsAreNamedByTheCpu(String cpu, String vendor, int family, String flags, String expected) {
        String cpuinfo = "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family
                + "\nmodel\t\t: 17\nflags\t\t: fpu sse2 " + flags + " sha_ni\n\n";
        assertEquals(expected, GemmKernels.fastestOpenBlasCoreType(cpuinfo), cpu);
    }

    private static float[] randomFloats(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }
}
