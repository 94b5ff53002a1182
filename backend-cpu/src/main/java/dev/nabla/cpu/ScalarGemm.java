package dev.nabla.cpu;

/**
 * GEMM in plain Java, the fallback when there is neither a native BLAS nor the Vector API.
 * op(B) is packed once into a contiguous row-major [k, n] copy, then each row of C accumulates
 * C[i, j] += A[i, p] · B[p, j] over cache-sized blocks of p and j; the inner loop over j is
 * a plain array loop that the JIT vectorizes. Rows are split across cores.
 */
final class ScalarGemm implements GemmKernel {
    private static final int KC = 256;
    private static final int NC = 2048;

    @Override
    public String description() {
        return "pure Java (scalar, blocked)";
    }

    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
            int ldb, float[] c, int cOff, int ldc, boolean parallel) {
        float[] bp;
        int bo, bld;
        if (tb) {
            bp = Scratch.floats(0, (long) k * n);
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bp[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            bo = 0;
            bld = n;
        } else {
            bp = b;
            bo = bOff;
            bld = ldb;
        }
        long work = (long) m * n * k;
        Parallel.split(m, parallel ? work : 0, Gemm.PARALLEL_WORK, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            for (int jc = 0; jc < n; jc += NC) {
                int j1 = Math.min(n, jc + NC);
                for (int pc = 0; pc < k; pc += KC) {
                    int p1 = Math.min(k, pc + KC);
                    for (int i = from; i < to; i++) {
                        int ci = cOff + i * ldc;
                        for (int p = pc; p < p1; p++) {
                            float aip = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                            int bi = bo + p * bld - ci;
                            for (int j = ci + jc, end = ci + j1; j < end; j++) {
                                c[j] += aip * bp[bi + j];
                            }
                        }
                    }
                }
            }
        });
    }

    @Override
    public void dgemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, double[] c, int cOff, int ldc, boolean parallel) {
        double[] bp;
        int bo, bld;
        if (tb) {
            bp = Scratch.doubles(0, (long) k * n);
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bp[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            bo = 0;
            bld = n;
        } else {
            bp = b;
            bo = bOff;
            bld = ldb;
        }
        long work = (long) m * n * k;
        Parallel.split(m, parallel ? work : 0, Gemm.PARALLEL_WORK, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
            }
            for (int jc = 0; jc < n; jc += NC) {
                int j1 = Math.min(n, jc + NC);
                for (int pc = 0; pc < k; pc += KC) {
                    int p1 = Math.min(k, pc + KC);
                    for (int i = from; i < to; i++) {
                        int ci = cOff + i * ldc;
                        for (int p = pc; p < p1; p++) {
                            double aip = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                            int bi = bo + p * bld - ci;
                            for (int j = ci + jc, end = ci + j1; j < end; j++) {
                                c[j] += aip * bp[bi + j];
                            }
                        }
                    }
                }
            }
        });
    }
}
