package dev.nabla.cpu;

import dev.nabla.backend.View;
import java.util.stream.IntStream;

/**
 * Batched matrix multiply on the CPU. Each operand is packed row-major (op applied), then
 * C[i, :] += A[i, p] · B[p, :] runs as a vectorizable inner loop; rows of C are split across
 * cores when the product is large. A faster kernel (BLAS, blocking) is the CPU-speed issue's.
 */
final class Gemm {
    private static final long PARALLEL_FLOPS = 1L << 20;

    private Gemm() {
    }

    static void matmul(View a, boolean ta, View b, boolean tb, View out) {
        int batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2];
        int k = ta ? a.shape()[1] : a.shape()[2];
        Object cArray = ((CpuBuffer) out.buffer()).array;
        for (int bi = 0; bi < batch; bi++) {
            long aOff = a.offset() + bi * a.strides()[0];
            long bOff = b.offset() + bi * b.strides()[0];
            long cOff = out.offset() + (long) bi * m * n;
            if (cArray instanceof float[] c) {
                float[] pa = packFloat((float[]) ((CpuBuffer) a.buffer()).array, aOff, a.strides()[1], ta, m, k);
                float[] pb = packFloat((float[]) ((CpuBuffer) b.buffer()).array, bOff, b.strides()[1], tb, k, n);
                multiplyFloat(pa, pb, c, (int) cOff, m, n, k);
            } else {
                double[] pa = packDouble((double[]) ((CpuBuffer) a.buffer()).array, aOff, a.strides()[1], ta, m, k);
                double[] pb = packDouble((double[]) ((CpuBuffer) b.buffer()).array, bOff, b.strides()[1], tb, k, n);
                multiplyDouble(pa, pb, c(cArray), (int) cOff, m, n, k);
            }
        }
    }

    private static double[] c(Object array) {
        return (double[]) array;
    }

    /** op(X) as a row-major rows×cols array; X stored with leading dimension ld, transposed if t. */
    private static float[] packFloat(float[] x, long off, long ld, boolean t, int rows, int cols) {
        float[] p = new float[rows * cols];
        int o = (int) off, l = (int) ld;
        for (int r = 0; r < rows; r++) {
            if (t) {
                for (int c = 0; c < cols; c++) {
                    p[r * cols + c] = x[o + c * l + r];
                }
            } else {
                System.arraycopy(x, o + r * l, p, r * cols, cols);
            }
        }
        return p;
    }

    private static double[] packDouble(double[] x, long off, long ld, boolean t, int rows, int cols) {
        double[] p = new double[rows * cols];
        int o = (int) off, l = (int) ld;
        for (int r = 0; r < rows; r++) {
            if (t) {
                for (int c = 0; c < cols; c++) {
                    p[r * cols + c] = x[o + c * l + r];
                }
            } else {
                System.arraycopy(x, o + r * l, p, r * cols, cols);
            }
        }
        return p;
    }

    private static void multiplyFloat(float[] a, float[] b, float[] c, int cOff, int m, int n, int k) {
        IntStream rows = IntStream.range(0, m);
        if ((long) m * n * k >= PARALLEL_FLOPS) {
            rows = rows.parallel();
        }
        rows.forEach(i -> {
            int ci = cOff + i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        });
    }

    private static void multiplyDouble(double[] a, double[] b, double[] c, int cOff, int m, int n, int k) {
        IntStream rows = IntStream.range(0, m);
        if ((long) m * n * k >= PARALLEL_FLOPS) {
            rows = rows.parallel();
        }
        rows.forEach(i -> {
            int ci = cOff + i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0.0);
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        });
    }
}
