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
     * Single precision. {@code parallel} allows it to split the product across cores (a
     * native BLAS may thread on its own regardless).
     */
    void sgemm(
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
            boolean parallel);

    /** Double precision, as {@link #sgemm}. */
    void dgemm(
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
            boolean parallel);
}
