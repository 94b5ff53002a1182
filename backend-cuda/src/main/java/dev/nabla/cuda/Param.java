package dev.nabla.cuda;

/**
 * The kinds of kernel parameter Nabla's kernels take, with the PTX each compiles to. A kernel's
 * Java declaration ({@link KernelSpec}) lists them in order; a test compares that list with the
 * {@code .entry} in the PTX, so a kernel whose signature changed is caught without a GPU.
 */
enum Param {
    /** A device pointer ({@code T*}): a {@link jcuda.driver.CUdeviceptr}. */
    PTR(".u64", 8),
    /** {@code int}: an {@link Integer}. */
    I32(".u32", 4),
    /** {@code long long}: a {@link Long}. */
    I64(".u64", 8),
    /** {@code double}: a {@link Double}. */
    F64(".f64", 8),
    /** {@code NbShape} by value: {@code int rank; int dims[8]}, 36 bytes, 4-aligned; an {@code int[9]}. */
    SHAPE(".align 4 .b8[36]", 36),
    /** {@code NbStrides} by value: {@code long long s[8]}, 64 bytes, 8-aligned; a {@code long[8]}. */
    STRIDES(".align 8 .b8[64]", 64);

    /** How the PTX declares it (struct parameters as ".align A .b8[size]"). */
    final String ptx;

    final int bytes;

    Param(String ptx, int bytes) {
        this.ptx = ptx;
        this.bytes = bytes;
    }
}
