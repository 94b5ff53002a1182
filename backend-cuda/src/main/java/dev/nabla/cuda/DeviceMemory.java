package dev.nabla.cuda;

import static dev.nabla.cuda.CudaCallException.check;

import dev.nabla.backend.BufferPool;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** The device side of the caching allocator: cuMemAlloc / cuMemFree / cuMemGetInfo. */
final class DeviceMemory implements BufferPool.Device<CUdeviceptr> {
    private final CudaBackend backend;

    DeviceMemory(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public CUdeviceptr allocate(long bytes) {
        backend.enter();
        DevicePointer pointer = new DevicePointer();
        int result;
        try {
            result = JCudaDriver.cuMemAlloc(pointer, bytes);
        } catch (CudaException e) { // someone turned JCuda's exceptions on
            if (e.getMessage() != null && e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY")) {
                return null;
            }
            throw e;
        }
        if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            return null; // the pool empties its cache and retries, then reports
        }
        check(result, "cuMemAlloc(" + bytes + " bytes)");
        return pointer;
    }

    @Override
    public void free(CUdeviceptr handle) {
        backend.enter();
        // Work queued earlier may still use the block; cuMemFree must not pull it away under it.
        backend.synchronize();
        check(JCudaDriver.cuMemFree(handle), "cuMemFree");
    }

    @Override
    public long freeBytes() {
        backend.enter();
        long[] free = new long[1];
        long[] total = new long[1];
        return JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS ? free[0] : -1;
    }

    @Override
    public String name() {
        return backend.deviceName();
    }
}
