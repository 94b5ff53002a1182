package dev.nabla.cpu;

/**
 * One single-matrix GEMM implementation, row-major: C = op(A) · op(B), with op(A) of shape
 * [m, k] and op(B) of shape [k, n]. A is stored [m, k] (or [k, m] when {@code ta}) with leading
 * dimension {@code lda}, likewise B; C is overwritten, [m, n] with leading dimension {@code ldc}.
 * Implementations: {@link BlasGemm} (native BLAS), {@link VectorGemm} (Vector API) and
 * {@link ScalarGemm} (plain Java); {@link Gemm} picks one.
 */
interface GemmKernel {

    /** What it is, for the start-up log, e.g. "native BLAS (JNIBLAS → libblas.so.3)". */
    String description();

    /**
     * C = op(A) · op(B) in the precision of the arrays: {@code a}, {@code b} and {@code c} are all
     * {@code float[]} or all {@code double[]}. {@code parallel} allows it to split the product
     * across cores (a native BLAS may thread on its own regardless).
     */
    void gemm(
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
            boolean parallel);

    /** Single precision, as {@link #gemm}. */
    default void sgemm(
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
        gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, parallel);
    }

    /** Double precision, as {@link #gemm}. */
    default void dgemm(
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
        gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, parallel);
    }
}
