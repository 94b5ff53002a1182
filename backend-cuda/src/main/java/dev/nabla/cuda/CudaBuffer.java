package dev.nabla.cuda;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BufferPool;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import jcuda.driver.CUdeviceptr;

/** Device memory of the CUDA backend: a block of its caching allocator, typed for one DType. */
final class CudaBuffer implements DeviceBuffer {
    private final CudaBackend backend;
    private final DType dtype;
    private final long capacity;
    private final long address;
    final BufferPool.Block<CUdeviceptr> block;
    /** The graph whose private pool this buffer came from (allocated during its capture), or null. */
    final CudaGraph graph;

    boolean released;

    CudaBuffer(CudaBackend backend, DType dtype, BufferPool.Block<CUdeviceptr> block) {
        this(backend, dtype, block, null);
    }

    CudaBuffer(CudaBackend backend, DType dtype, BufferPool.Block<CUdeviceptr> block, CudaGraph graph) {
        this.backend = backend;
        this.graph = graph;
        this.dtype = dtype;
        this.block = block;
        this.capacity = block.bytes() / dtype.bytes();
        this.address = ((DevicePointer) block.handle()).address();
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
        return capacity;
    }

    /** The device address of element {@code elementOffset}, as a kernel argument. */
    DeviceAddress address(long elementOffset) {
        return new DeviceAddress(address + elementOffset * dtype.bytes());
    }

    /** The device pointer of element {@code elementOffset}, for JCuda's copy, memset and cuBLAS calls. */
    CUdeviceptr at(long elementOffset) {
        return elementOffset == 0 ? block.handle() : block.handle().withByteOffset(elementOffset * dtype.bytes());
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + dtype + " x " + capacity + "]";
    }
}
