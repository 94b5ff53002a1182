package dev.nabla.backend;

/**
 * Element types of a {@link Tensor}.
 *
 * <p>{@code FLOAT32} is the type of everything a network computes; every backend supports it.
 * {@code FLOAT64} exists for gradient checking and reference computations (the CPU backend
 * supports it; device backends may not, see {@link Backend#supports}).
 * {@code INT32} holds labels and indices (results of {@code argmax}, inputs of {@code oneHot}).
 */
public enum DType {
    FLOAT32(4, true),
    FLOAT64(8, true),
    INT32(4, false);

    private final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether this is a floating-point type (the only types autograd differentiates). */
    public boolean isFloating() {
        return floating;
    }
}
