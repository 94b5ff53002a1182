package dev.nabla.opencl;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BufferPool;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import org.jocl.cl_mem;

/** A device buffer of the OpenCL backend: a pooled {@code cl_mem} block. */
final class ClBuffer implements DeviceBuffer {
    private final OpenClBackend backend;
    private final BufferPool.Block<cl_mem> block;
    private final DType dtype;

    ClBuffer(OpenClBackend backend, BufferPool.Block<cl_mem> block, DType dtype) {
        this.backend = backend;
        this.block = block;
        this.dtype = dtype;
    }

    cl_mem mem() {
        return block.handle();
    }

    BufferPool.Block<cl_mem> block() {
        return block;
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
        return block.bytes() / dtype.bytes();
    }

    @Override
    public String toString() {
        return "ClBuffer[" + dtype + " × " + capacity() + "]";
    }
}
