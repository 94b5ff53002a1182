package dev.nabla.cpu;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;

/** A CPU buffer: a Java array of the dtype's element type ({@code float[]}, {@code double[]} or {@code int[]}). */
final class CpuBuffer implements DeviceBuffer {
    private final CpuBackend backend;
    private final DType dtype;
    final Object array;
    final long bucketBytes;

    CpuBuffer(CpuBackend backend, DType dtype, Object array, long bucketBytes) {
        this.backend = backend;
        this.dtype = dtype;
        this.array = array;
        this.bucketBytes = bucketBytes;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long capacity() {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) array).length;
            case FLOAT64 -> ((double[]) array).length;
            case INT32 -> ((int[]) array).length;
        };
    }
}
