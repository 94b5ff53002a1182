package dev.nabla.cuda;

import java.util.Optional;

/**
 * Makes JCublas2's native library loadable on the host as it is. JCuda 12.6.0's JCublas natives
 * link {@code libcublas.so.12} with versioned symbols; a CUDA-13-only host has just
 * {@code libcublas.so.13}. Call {@link #prepare()} before the first use of any
 * {@code jcuda.jcublas} class.
 */
public final class CublasCompat {
    private CublasCompat() {
    }

    /**
     * Ensures cuBLAS can be used through JCublas2 in this process.
     *
     * @return empty when cuBLAS is usable, else the reason it is not (for availability messages)
     */
    public static synchronized Optional<String> prepare() {
        return Optional.empty(); // placeholder: the compatibility layer replaces this
    }
}
