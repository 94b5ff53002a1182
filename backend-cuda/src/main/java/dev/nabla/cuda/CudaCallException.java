package dev.nabla.cuda;

import jcuda.driver.CUresult;

/**
 * A CUDA driver or cuBLAS call failed. The message names the call and the error, e.g.
 * {@code cuLaunchKernel(nabla_unary_f32) failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)}. Errors of
 * asynchronous work surface at a later call (often {@code read} or {@code synchronize}).
 */
public class CudaCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public CudaCallException(String call, int code, String errorName) {
        super(call + " failed: " + errorName + " (" + code + ")");
        this.code = code;
    }

    /** The CUresult (or cublasStatus) code. */
    public int code() {
        return code;
    }

    /** Throws unless {@code result} is CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(call, result, CUresult.stringFor(result));
        }
    }
}
