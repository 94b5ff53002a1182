package dev.nabla.cpu;

/**
 * GEMM in plain Java, the fallback when there is neither a native BLAS nor the Vector API.
 * A transposed B is packed once into a row-major [k, n] copy; then four rows of C at a time
 * accumulate C[i, j] += A[i, p] · B[p, j] in scratch rows over column blocks of NC, with an
 * inner loop over j that the JIT vectorizes (about 3× the one-row loop: 25–37 GFLOP/s a core on
 * AVX-512). Blocks of rows are split across cores. The scheme is written once; what depends on
 * the element type is a {@link Precision}'s few leaves, each monomorphic.
 */
final class ScalarGemm implements GemmKernel {
    private static final int NC = 2048;
    private static final Floats FLOATS = new Floats();
    private static final Doubles DOUBLES = new Doubles();

    @Override
    public String description() {
        return "pure Java (scalar, blocked)";
    }

    @Override
    public void gemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            Object a,
            int aOff,
            int lda,
            Object b,
            int bOff,
            int ldb,
            Object c,
            int cOff,
            int ldc,
            boolean parallel) {
        product(precision(c), ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, parallel);
    }

    /** The precision of an array, typed as any array: its leaves cast, so mixed precisions fail. */
    @SuppressWarnings("unchecked")
    private static Precision<Object> precision(Object c) {
        return (Precision<Object>) (Precision<?>) (c instanceof float[] ? FLOATS : DOUBLES);
    }

    private static <A> void product(
            Precision<A> t,
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            A a,
            int aOff,
            int lda,
            A b,
            int bOff,
            int ldb,
            A c,
            int cOff,
            int ldc,
            boolean parallel) {
        A bb = b;
        int bo = bOff, bld = ldb;
        if (tb) {
            bb = t.scratch(0, (long) k * n);
            t.transpose(b, bOff, ldb, k, n, bb);
            bo = 0;
            bld = n;
        }
        long work = (long) m * n * k;
        A bp = bb;
        int bOff0 = bo, ldbb = bld;
        Parallel.split(
                m,
                parallel ? work : 0,
                Gemm.PARALLEL_WORK,
                4,
                (from, to) -> rows(t, ta, from, to, n, k, a, aOff, lda, bp, bOff0, ldbb, c, cOff, ldc));
    }

    /**
     * Rows [from, to) of C, four at a time: four rows of accumulators in separate scratch arrays,
     * so each element of B is loaded once for four multiply-adds and every statement of the inner
     * loop uses the one index j (which the JIT vectorizes).
     */
    private static <A> void rows(
            Precision<A> t,
            boolean ta,
            int from,
            int to,
            int n,
            int k,
            A a,
            int aOff,
            int lda,
            A b,
            int bOff,
            int ldb,
            A c,
            int cOff,
            int ldc) {
        int nc = Math.min(n, NC);
        A t0 = t.scratch(4, nc), t1 = t.scratch(5, nc), t2 = t.scratch(6, nc), t3 = t.scratch(7, nc);
        for (int jc = 0; jc < n; jc += NC) {
            int w = Math.min(NC, n - jc);
            int i = from;
            for (; i + 3 < to; i += 4) {
                t.fourRows(ta, i, k, a, aOff, lda, b, bOff + jc, ldb, w, t0, t1, t2, t3);
                System.arraycopy(t0, 0, c, cOff + i * ldc + jc, w);
                System.arraycopy(t1, 0, c, cOff + (i + 1) * ldc + jc, w);
                System.arraycopy(t2, 0, c, cOff + (i + 2) * ldc + jc, w);
                System.arraycopy(t3, 0, c, cOff + (i + 3) * ldc + jc, w);
            }
            for (; i < to; i++) {
                t.oneRow(ta, i, k, a, aOff, lda, b, bOff + jc, ldb, w, t0);
                System.arraycopy(t0, 0, c, cOff + i * ldc + jc, w);
            }
        }
    }

    /** What differs between the precisions: the arrays and the loops that read and write their elements. */
    private abstract static class Precision<A> {
        /** A scratch array of the calling thread ({@link Scratch}). */
        abstract A scratch(int slot, long size);

        /** bt[p · n + j] = b[bOff + j · ldb + p]: a stored Bᵀ [n, k] as row-major B [k, n]. */
        abstract void transpose(A b, int bOff, int ldb, int k, int n, A bt);

        /**
         * t0…t3[0:w] = rows i…i+3 of op(A) times B[:, 0:w] (B from bOff, w columns): for each p,
         * the four elements of A, then one pass over the row of B (copied to index 0 when it does
         * not start there, so that every array of the loop has the one index j).
         */
        abstract void fourRows(
                boolean ta,
                int i,
                int k,
                A a,
                int aOff,
                int lda,
                A b,
                int bOff,
                int ldb,
                int w,
                A t0,
                A t1,
                A t2,
                A t3);

        /** t0[0:w] = row i of op(A) times B[:, 0:w]. */
        abstract void oneRow(boolean ta, int i, int k, A a, int aOff, int lda, A b, int bOff, int ldb, int w, A t0);
    }

    private static final class Floats extends Precision<float[]> {
        @Override
        float[] scratch(int slot, long size) {
            return Scratch.floats(slot, size);
        }

        @Override
        void transpose(float[] b, int bOff, int ldb, int k, int n, float[] bt) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bt[p * n + j] = b[bOff + j * ldb + p];
                }
            }
        }

        @Override
        void fourRows(
                boolean ta,
                int i,
                int k,
                float[] a,
                int aOff,
                int lda,
                float[] b,
                int bOff,
                int ldb,
                int w,
                float[] t0,
                float[] t1,
                float[] t2,
                float[] t3) {
            java.util.Arrays.fill(t0, 0, w, 0f);
            java.util.Arrays.fill(t1, 0, w, 0f);
            java.util.Arrays.fill(t2, 0, w, 0f);
            java.util.Arrays.fill(t3, 0, w, 0f);
            for (int p = 0; p < k; p++) {
                float a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                float a1 = ta ? a[aOff + p * lda + i + 1] : a[aOff + (i + 1) * lda + p];
                float a2 = ta ? a[aOff + p * lda + i + 2] : a[aOff + (i + 2) * lda + p];
                float a3 = ta ? a[aOff + p * lda + i + 3] : a[aOff + (i + 3) * lda + p];
                int bi = bOff + p * ldb;
                float[] row = b;
                if (bi != 0) {
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
        }

        @Override
        void oneRow(
                boolean ta,
                int i,
                int k,
                float[] a,
                int aOff,
                int lda,
                float[] b,
                int bOff,
                int ldb,
                int w,
                float[] t0) {
            java.util.Arrays.fill(t0, 0, w, 0f);
            for (int p = 0; p < k; p++) {
                float a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                int bi = bOff + p * ldb;
                for (int j = 0; j < w; j++) {
                    t0[j] += a0 * b[bi + j];
                }
            }
        }
    }

    private static final class Doubles extends Precision<double[]> {
        @Override
        double[] scratch(int slot, long size) {
            return Scratch.doubles(slot, size);
        }

        @Override
        void transpose(double[] b, int bOff, int ldb, int k, int n, double[] bt) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bt[p * n + j] = b[bOff + j * ldb + p];
                }
            }
        }

        @Override
        void fourRows(
                boolean ta,
                int i,
                int k,
                double[] a,
                int aOff,
                int lda,
                double[] b,
                int bOff,
                int ldb,
                int w,
                double[] t0,
                double[] t1,
                double[] t2,
                double[] t3) {
            java.util.Arrays.fill(t0, 0, w, 0.0);
            java.util.Arrays.fill(t1, 0, w, 0.0);
            java.util.Arrays.fill(t2, 0, w, 0.0);
            java.util.Arrays.fill(t3, 0, w, 0.0);
            for (int p = 0; p < k; p++) {
                double a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                double a1 = ta ? a[aOff + p * lda + i + 1] : a[aOff + (i + 1) * lda + p];
                double a2 = ta ? a[aOff + p * lda + i + 2] : a[aOff + (i + 2) * lda + p];
                double a3 = ta ? a[aOff + p * lda + i + 3] : a[aOff + (i + 3) * lda + p];
                int bi = bOff + p * ldb;
                double[] row = b;
                if (bi != 0) {
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
        }

        @Override
        void oneRow(
                boolean ta,
                int i,
                int k,
                double[] a,
                int aOff,
                int lda,
                double[] b,
                int bOff,
                int ldb,
                int w,
                double[] t0) {
            java.util.Arrays.fill(t0, 0, w, 0.0);
            for (int p = 0; p < k; p++) {
                double a0 = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                int bi = bOff + p * ldb;
                for (int j = 0; j < w; j++) {
                    t0[j] += a0 * b[bi + j];
                }
            }
        }
    }
}
