package dev.nabla.cpu;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * GEMM through {@code dev.ludovic.netlib}'s JNI binding to the system BLAS ({@code libblas.so.3},
 * e.g. OpenBLAS from Debian's {@code libopenblas0}). BLAS is column-major, so the row-major
 * product C = op(A)·op(B) is computed as its transpose Cᵀ = op(B)ᵀ·op(A)ᵀ, which needs no copy:
 * a row-major matrix read column-major is its transpose.
 */
final class BlasGemm implements GemmKernel {
    private final BLAS blas;

    private BlasGemm(BLAS blas) {
        this.blas = blas;
    }

    /** The native BLAS, or an exception saying why it cannot be loaded. */
    static BlasGemm load() {
        return new BlasGemm(NativeBLAS.getInstance());
    }

    @Override
    public String description() {
        return "native BLAS (" + blas.getClass().getSimpleName() + " → libblas.so.3)";
    }

    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
            int ldb, float[] c, int cOff, int ldc, boolean parallel) {
        blas.sgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, 1f, b, bOff, Math.max(ldb, 1), a, aOff, Math.max(lda, 1),
                0f, c, cOff, Math.max(ldc, 1));
    }

    @Override
    public void dgemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, double[] c, int cOff, int ldc, boolean parallel) {
        blas.dgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, 1.0, b, bOff, Math.max(ldb, 1), a, aOff, Math.max(lda, 1),
                0.0, c, cOff, Math.max(ldc, 1));
    }
}
