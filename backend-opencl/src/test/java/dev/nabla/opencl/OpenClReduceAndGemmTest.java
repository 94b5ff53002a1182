package dev.nabla.opencl;

import static dev.nabla.opencl.OpenClElementwiseTest.at;
import static dev.nabla.opencl.OpenClTestSupport.assertClose;
import static dev.nabla.opencl.OpenClTestSupport.backend;
import static dev.nabla.opencl.OpenClTestSupport.download;
import static dev.nabla.opencl.OpenClTestSupport.downloadDouble;
import static dev.nabla.opencl.OpenClTestSupport.downloadInt;
import static dev.nabla.opencl.OpenClTestSupport.empty;
import static dev.nabla.opencl.OpenClTestSupport.release;
import static dev.nabla.opencl.OpenClTestSupport.upload;
import static dev.nabla.opencl.OpenClTestSupport.uploadDouble;
import static dev.nabla.opencl.OpenClTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.DType;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Reductions over trailing axes and the batched GEMM, against plain double-precision loops. */
class OpenClReduceAndGemmTest {

    /** Reference reduction of rows of a strided view: outer = leading axes, inner = the last {@code reduced} axes. */
    private static double[] reference(ReduceOp op, float[] host, View x, int reduced) {
        long inner = 1;
        for (int a = x.rank() - reduced; a < x.rank(); a++) {
            inner *= x.shape()[a];
        }
        long outer = x.size() / Math.max(inner, 1);
        double[] out = new double[(int) outer];
        for (int o = 0; o < outer; o++) {
            double acc = op == ReduceOp.SUM
                    ? 0
                    : op == ReduceOp.MIN || op == ReduceOp.ARGMIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            int best = 0;
            for (int r = 0; r < inner; r++) {
                double v = at(host, x, o * inner + r);
                switch (op) {
                    case SUM -> acc += v;
                    case MAX -> acc = Math.max(acc, v);
                    case MIN -> acc = Math.min(acc, v);
                    case ARGMAX -> {
                        if (v > acc) {
                            acc = v;
                            best = r;
                        }
                    }
                    case ARGMIN -> {
                        if (v < acc) {
                            acc = v;
                            best = r;
                        }
                    }
                }
            }
            out[o] = op.producesIndex() ? best : acc;
        }
        return out;
    }

    private static void check(ReduceOp op, float[] host, View x, int reduced) {
        double[] expected = reference(op, host, x, reduced);
        View out = empty(op.producesIndex() ? DType.INT32 : DType.FLOAT32, (int) expected.length);
        backend().reduce(op, x, reduced, out);
        if (op.producesIndex()) {
            int[] got = downloadInt(out);
            for (int i = 0; i < expected.length; i++) {
                assertEquals((int) expected[i], got[i], op + " row " + i);
            }
        } else {
            float[] got = download(out);
            for (int i = 0; i < expected.length; i++) {
                assertClose(expected[i], got[i], 1e-6, 1e-6, op + " row " + i);
            }
        }
        release(out);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reducesTheTrailingAxesOfAPermutedView(ReduceOp op) {
        float[] data = values(5 * 9 * 7, 11, -3, 3);
        data[8] = data[15]; // a tie for the arg-reductions: the first index wins
        View base = upload(data, 5, 9, 7);
        // x[i, j, k] = base[j, k, i] for k < 8: shape [7, 5, 8], strides [1, 63, 7]; the reduced axes cannot merge
        View x = new View(base.buffer(), DType.FLOAT32, 0, new int[] {7, 5, 8}, new long[] {1, 63, 7});
        check(op, data, x, 2); // 40 elements per row: work groups
        check(op, data, x, 1); // 8 per row: one work item each
        release(base);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void longRowsUseWorkGroupsAndAgree(ReduceOp op) {
        float[] data = values(3 * 5000, 12, -1, 1);
        View x = upload(data, 3, 5000);
        check(op, data, x, 1);
        release(x);
    }

    @Test
    void aFullReductionGivesAScalarAndZeroReducedAxesCopy() {
        float[] data = values(1000, 13, 0, 1);
        View x = upload(data, 10, 100);
        View scalar = empty(DType.FLOAT32);
        backend().reduce(ReduceOp.SUM, x, 2, scalar);
        double sum = 0;
        for (float v : data) {
            sum += v;
        }
        assertClose(sum, download(scalar)[0], 1e-6, 0, "sum of all");
        View same = empty(DType.FLOAT32, 10, 100);
        backend().reduce(ReduceOp.MAX, x, 0, same);
        assertArrayEquals(data, download(same));
        release(x, scalar, same);
    }

    @Test
    void emptyReductionsGiveTheIdentity() {
        View x = empty(DType.FLOAT32, 3, 0);
        View out = empty(DType.FLOAT32, 3);
        backend().reduce(ReduceOp.SUM, x, 1, out);
        assertArrayEquals(new float[] {0, 0, 0}, download(out));
        backend().reduce(ReduceOp.MAX, x, 1, out);
        assertArrayEquals(
                new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, download(out));
        backend().reduce(ReduceOp.MIN, x, 1, out);
        assertArrayEquals(
                new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, download(out));
        release(x, out);
    }

    /** out[b] = op(a[b]) · op(b[b]) in double, from stored [batch, rows, cols] views. */
    private static double[] gemmReference(
            float[] ah, View a, boolean ta, float[] bh, View b, boolean tb, int m, int n, int k) {
        int batch = a.shape()[0];
        double[] out = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) {
                        long ai = a.offset()
                                + p * a.strides()[0]
                                + (ta ? (long) q * a.strides()[1] + i : (long) i * a.strides()[1] + q);
                        long bi = b.offset()
                                + p * b.strides()[0]
                                + (tb ? (long) j * b.strides()[1] + q : (long) q * b.strides()[1] + j);
                        acc += (double) ah[(int) ai] * bh[(int) bi];
                    }
                    out[(p * m + i) * n + j] = acc;
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "transposeA={0} transposeB={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void everyGemmKernelHandlesEveryTransposeAndOddSizes(boolean ta, boolean tb) {
        try {
            for (OpenClBackend.GemmKernel kernel : OpenClBackend.GemmKernel.values()) {
                backend().forceGemmKernel(kernel);
                checkGemm(ta, tb, 2, 67, 29, 53);
                checkGemm(ta, tb, 1, 1, 1, 1);
                checkGemm(ta, tb, 3, 8, 48, 16);
            }
        } finally {
            backend().forceGemmKernel(null);
        }
        checkGemm(ta, tb, 2, 67, 29, 53); // the automatic choice for this device
    }

    private static void checkGemm(boolean ta, boolean tb, int batch, int m, int n, int k) {
        float[] ah = values(batch * m * k, 21, -1, 1);
        float[] bh = values(k * n, 22, -1, 1);
        View a = upload(ah, ah.length);
        View b = upload(bh, bh.length);
        View av = new View(
                a.buffer(), DType.FLOAT32, 0, ta ? new int[] {batch, k, m} : new int[] {batch, m, k}, new long[] {
                    (long) m * k, ta ? m : k, 1
                });
        // b is shared by both batches: batch stride 0
        View bv = new View(
                b.buffer(), DType.FLOAT32, 0, tb ? new int[] {batch, n, k} : new int[] {batch, k, n}, new long[] {
                    0, tb ? k : n, 1
                });
        View out = empty(DType.FLOAT32, batch, m, n);
        backend().matmul(av, ta, bv, tb, out);
        double[] expected = gemmReference(ah, av, ta, bh, bv, tb, m, n, k);
        float[] got = download(out);
        String what = backend().gemmKernel(ta, tb) + " " + m + "×" + k + " · " + k + "×" + n + " element ";
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], got[i], 1e-5, 1e-5, what + i);
        }
        release(a, b, out);
    }

    @Test
    void gemmFollowsALeadingDimensionWiderThanTheMatrix() {
        // a is the left 3×4 block of a 3×6 matrix (leading dimension 6), offset by one row's worth into a bigger buffer
        float[] ah = values(6 + 3 * 6, 31, -1, 1);
        float[] bh = values(4 * 5, 32, -1, 1);
        View a = upload(ah, ah.length);
        View b = upload(bh, 1, 4, 5);
        View av = new View(a.buffer(), DType.FLOAT32, 6, new int[] {1, 3, 4}, new long[] {18, 6, 1});
        View out = empty(DType.FLOAT32, 1, 3, 5);
        backend().matmul(av, false, b, false, out);
        double[] expected = gemmReference(ah, av, false, bh, b, false, 3, 5, 4);
        float[] got = download(out);
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], got[i], 1e-5, 1e-6, "element " + i);
        }
        release(a, b, out);
    }

    @Test
    void gemmInDoublePrecision() {
        assumeTrue(backend().supports(DType.FLOAT64), "no cl_khr_fp64");
        int m = 70, n = 65, k = 33;
        float[] ah = values(m * k, 41, -1, 1);
        float[] bh = values(k * n, 42, -1, 1);
        double[] ad = new double[ah.length];
        double[] bd = new double[bh.length];
        for (int i = 0; i < ah.length; i++) {
            ad[i] = ah[i];
        }
        for (int i = 0; i < bh.length; i++) {
            bd[i] = bh[i];
        }
        View a = uploadDouble(ad, 1, m, k);
        View b = uploadDouble(bd, 1, k, n);
        View out = empty(DType.FLOAT64, 1, m, n);
        backend().matmul(a, false, b, false, out);
        double[] expected = gemmReference(ah, a, false, bh, b, false, m, n, k);
        double[] got = downloadDouble(out);
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], got[i], 1e-12, 1e-13, "element " + i);
        }
        release(a, b, out);
    }
}
