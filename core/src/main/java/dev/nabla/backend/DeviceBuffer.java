package dev.nabla.backend;

/**
 * A block of memory owned by a {@link Backend}: a Java array for the CPU, a device pointer for
 * CUDA, a {@code cl_mem} for OpenCL. Each backend has its own implementation and casts the
 * buffers it receives to it. Buffers hold {@link #capacity()} elements of one {@link DType}.
 *
 * <p>Core never frees a buffer twice and never uses it after {@link Backend#release}.
 */
public interface DeviceBuffer {
    /** The backend that allocated this buffer. */
    Backend backend();

    /** The element type the buffer was allocated for. */
    DType dtype();

    /** Number of elements it holds (may exceed what was asked for when a cache rounds up). */
    long capacity();
}
