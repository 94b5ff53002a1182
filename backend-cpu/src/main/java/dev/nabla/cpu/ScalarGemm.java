package dev.nabla.cpu;

/**
 * GEMM in plain Java, the fallback when there is neither a native BLAS nor the Vector API.
 * A transposed B is packed once into a row-major [k, n] copy; then four rows of C at a time
 * accumulate C[i, j] += A[i, p] · B[p, j] in scratch rows over column blocks of NC, with an
 * inner loop over j that the JIT vectorizes (about 3× the one-row loop: 25–37 GFLOP/s a core on
 * AVX-512). Blocks of rows are split across cores.
 */
final class ScalarGemm implements GemmKernel {
    private static final int NC = 2048;

    @Override
    public String description() {
        return "pure Java (scalar, blocked)";
    }

    @Override
    public void sgemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            boolean parallel) {
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
        float[] bb = bp;
        int bOff0 = bo, ldbb = bld;
        Parallel.split(
                m,
                parallel ? work : 0,
                Gemm.PARALLEL_WORK,
                4,
                (from, to) -> sgemmRows(ta, from, to, n, k, a, aOff, lda, bb, bOff0, ldbb, c, cOff, ldc));
    }

    /**
     * Rows [from, to) of C, four at a time: four rows of accumulators in separate scratch arrays,
     * so each element of B is loaded once for four multiply-adds and every statement of the inner
     * loop uses the one index j (which the JIT vectorizes).
     */
    private static void sgemmRows(
            boolean ta,
            int from,
            int to,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        int nc = Math.min(n, NC);
        float[] t0 = Scratch.floats(4, nc),
                t1 = Scratch.floats(5, nc),
                t2 = Scratch.floats(6, nc),
                t3 = Scratch.floats(7, nc);
        for (int jc = 0; jc < n; jc += NC) {
            int w = Math.min(NC, n - jc);
            int i = from;
            for (; i + 3 < to; i += 4) {
                java.util.Arrays.fill(t0, 0, w, 0f);
                java.util.Arrays.fill(t1, 0, w, 0f);
                java.util.Arrays.fill(t2, 0, w, 0f);
                java.util.Arrays.fill(t3, 0, w, 0f);
                for (int p = 0; p < k; p++) {
                    float a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float a1 = ta ? a[aOff + p * lda + i + 1] : a[aOff + (i + 1) * lda + p];
                    float a2 = ta ? a[aOff + p * lda + i + 2] : a[aOff + (i + 2) * lda + p];
                    float a3 = ta ? a[aOff + p * lda + i + 3] : a[aOff + (i + 3) * lda + p];
                    int bi = bOff + p * ldb + jc;
                    float[] row = b;
                    if (bi != 0) { // one index for every array below: copy the row of B to index 0
                        row = Scratch.floats(1, w);
                        System.arraycopy(b, bi, row, 0, w);
                    }
                    for (int j = 0; j < w; j++) {
                        float bj = row[j];
                        t0[j] += a0 * bj;
                        t1[j] += a1 * bj;
                        t2[j] += a2 * bj;
                        t3[j] += a3 * bj;
                    }
                }
                System.arraycopy(t0, 0, c, cOff + i * ldc + jc, w);
                System.arraycopy(t1, 0, c, cOff + (i + 1) * ldc + jc, w);
                System.arraycopy(t2, 0, c, cOff + (i + 2) * ldc + jc, w);
                System.arraycopy(t3, 0, c, cOff + (i + 3) * ldc + jc, w);
            }
            for (; i < to; i++) {
                java.util.Arrays.fill(t0, 0, w, 0f);
                for (int p = 0; p < k; p++) {
                    float a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bi = bOff + p * ldb + jc;
                    for (int j = 0; j < w; j++) {
                        t0[j] += a0 * b[bi + j];
                    }
                }
                System.arraycopy(t0, 0, c, cOff + i * ldc + jc, w);
            }
        }
    }

    @Override
    public void dgemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            double[] a,
            int aOff,
            int lda,
            double[] b,
            int bOff,
            int ldb,
            double[] c,
            int cOff,
            int ldc,
            boolean parallel) {
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
        double[] bb = bp;
        int bOff0 = bo, ldbb = bld;
        Parallel.split(
                m,
                parallel ? work : 0,
                Gemm.PARALLEL_WORK,
                4,
                (from, to) -> dgemmRows(ta, from, to, n, k, a, aOff, lda, bb, bOff0, ldbb, c, cOff, ldc));
    }

    /** {@link #dgemmRows} in double precision. */
    private static void dgemmRows(
            boolean ta,
            int from,
            int to,
            int n,
            int k,
            double[] a,
            int aOff,
            int lda,
            double[] b,
            int bOff,
            int ldb,
            double[] c,
            int cOff,
            int ldc) {
        int nc = Math.min(n, NC);
        double[] t0 = Scratch.doubles(4, nc),
                t1 = Scratch.doubles(5, nc),
                t2 = Scratch.doubles(6, nc),
                t3 = Scratch.doubles(7, nc);
        for (int jc = 0; jc < n; jc += NC) {
            int w = Math.min(NC, n - jc);
            int i = from;
            for (; i + 3 < to; i += 4) {
                java.util.Arrays.fill(t0, 0, w, 0.0);
                java.util.Arrays.fill(t1, 0, w, 0.0);
                java.util.Arrays.fill(t2, 0, w, 0.0);
                java.util.Arrays.fill(t3, 0, w, 0.0);
                for (int p = 0; p < k; p++) {
                    double a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double a1 = ta ? a[aOff + p * lda + i + 1] : a[aOff + (i + 1) * lda + p];
                    double a2 = ta ? a[aOff + p * lda + i + 2] : a[aOff + (i + 2) * lda + p];
                    double a3 = ta ? a[aOff + p * lda + i + 3] : a[aOff + (i + 3) * lda + p];
                    int bi = bOff + p * ldb + jc;
                    double[] row = b;
                    if (bi != 0) { // one index for every array below: copy the row of B to index 0
                        row = Scratch.doubles(1, w);
                        System.arraycopy(b, bi, row, 0, w);
                    }
                    for (int j = 0; j < w; j++) {
                        double bj = row[j];
                        t0[j] += a0 * bj;
                        t1[j] += a1 * bj;
                        t2[j] += a2 * bj;
                        t3[j] += a3 * bj;
                    }
                }
                System.arraycopy(t0, 0, c, cOff + i * ldc + jc, w);
                System.arraycopy(t1, 0, c, cOff + (i + 1) * ldc + jc, w);
                System.arraycopy(t2, 0, c, cOff + (i + 2) * ldc + jc, w);
                System.arraycopy(t3, 0, c, cOff + (i + 3) * ldc + jc, w);
            }
            for (; i < to; i++) {
                java.util.Arrays.fill(t0, 0, w, 0.0);
                for (int p = 0; p < k; p++) {
                    double a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bi = bOff + p * ldb + jc;
                    for (int j = 0; j < w; j++) {
                        t0[j] += a0 * b[bi + j];
                    }
                }
                System.arraycopy(t0, 0, c, cOff + i * ldc + jc, w);
            }
        }
    }
}
