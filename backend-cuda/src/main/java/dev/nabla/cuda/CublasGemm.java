package dev.nabla.cuda;

import dev.nabla.backend.DType;
import jcuda.Pointer;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;

/**
 * Row-major (batched) GEMM through cuBLAS, on the backend's stream. cuBLAS is column-major, so
 * C = op(A)·op(B) in row-major is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: the operands swap places, a
 * row-major matrix with row stride ld is a column-major matrix of its transpose with leading
 * dimension ld, and C's leading dimension is n.
 *
 * <p>Only constructed after {@link CublasCompat#prepare()} said cuBLAS is usable. TF32 tensor-core
 * math only when asked for ({@code -Dnabla.cuda.tf32=true}); otherwise FP32 products are full
 * FP32 (CUBLAS_DEFAULT_MATH, which since cuBLAS 11 never uses TF32 on its own).
 */
final class CublasGemm implements AutoCloseable {
    private static final Pointer ONE_F = Pointer.to(new float[] {1f});
    private static final Pointer ZERO_F = Pointer.to(new float[] {0f});
    private static final Pointer ONE_D = Pointer.to(new double[] {1d});
    private static final Pointer ZERO_D = Pointer.to(new double[] {0d});

    private final cublasHandle handle = new cublasHandle();
    private final boolean tf32;

    CublasGemm(CUstream stream, boolean tf32) {
        this.tf32 = tf32;
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        check(JCublas2.cublasSetStream(handle, new cudaStream_t(stream)), "cublasSetStream");
        int mode = tf32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH : cublasMath.CUBLAS_DEFAULT_MATH;
        check(JCublas2.cublasSetMathMode(handle, mode), "cublasSetMathMode");
    }

    boolean tf32() {
        return tf32;
    }

    /** The math mode cuBLAS reports for our handle (CUBLAS_DEFAULT_MATH unless TF32 was asked for). */
    int mathMode() {
        int[] mode = new int[1];
        check(JCublas2.cublasGetMathMode(handle, mode), "cublasGetMathMode");
        return mode[0];
    }

    /**
     * For each of {@code batch} matrices: c = op(a)·op(b), all row-major; op(a) is m×k, op(b) k×n,
     * c is m×n with row stride n. lda / ldb are the row strides of a and b as stored; strides
     * between batch entries in elements (0 repeats one matrix).
     */
    void gemm(
            DType dtype,
            boolean transposeA,
            boolean transposeB,
            int m,
            int n,
            int k,
            Pointer a,
            int lda,
            long strideA,
            Pointer b,
            int ldb,
            long strideB,
            Pointer c,
            long strideC,
            int batch) {
        int opB = transposeB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opA = transposeA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        switch (dtype) {
            case FLOAT32 -> {
                if (batch == 1) {
                    check(
                            JCublas2.cublasSgemm(handle, opB, opA, n, m, k, ONE_F, b, ldb, a, lda, ZERO_F, c, n),
                            "cublasSgemm");
                } else {
                    check(
                            JCublas2.cublasSgemmStridedBatched(
                                    handle, opB, opA, n, m, k, ONE_F, b, ldb, strideB, a, lda, strideA, ZERO_F, c, n,
                                    strideC, batch),
                            "cublasSgemmStridedBatched");
                }
            }
            case FLOAT64 -> {
                if (batch == 1) {
                    check(
                            JCublas2.cublasDgemm(handle, opB, opA, n, m, k, ONE_D, b, ldb, a, lda, ZERO_D, c, n),
                            "cublasDgemm");
                } else {
                    check(
                            JCublas2.cublasDgemmStridedBatched(
                                    handle, opB, opA, n, m, k, ONE_D, b, ldb, strideB, a, lda, strideA, ZERO_D, c, n,
                                    strideC, batch),
                            "cublasDgemmStridedBatched");
                }
            }
            default -> throw new IllegalArgumentException("matmul on CUDA takes FLOAT32 or FLOAT64, got " + dtype);
        }
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaCallException(call, status, cublasStatus.stringFor(status));
        }
    }

    @Override
    public void close() {
        JCublas2.cublasDestroy(handle);
    }
}
