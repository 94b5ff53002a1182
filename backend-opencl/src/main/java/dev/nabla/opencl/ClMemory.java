package dev.nabla.opencl;

import static org.jocl.CL.CL_INVALID_BUFFER_SIZE;
import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clReleaseMemObject;

import dev.nabla.backend.BufferPool;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * The driver side of the OpenCL buffer pool: {@code clCreateBuffer} and {@code clReleaseMemObject}.
 * Out-of-memory answers (and requests above the device's largest single allocation) return
 * null, so that {@link BufferPool} empties its cache, retries, and then throws
 * {@link dev.nabla.backend.DeviceOutOfMemoryException}.
 */
final class ClMemory implements BufferPool.Device<cl_mem> {
    private final cl_context context;
    private final ClDeviceInfo info;
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final Map<cl_mem, Long> sizes = new ConcurrentHashMap<>();

    ClMemory(cl_context context, ClDeviceInfo info) {
        this.context = context;
        this.info = info;
    }

    @Override
    public cl_mem allocate(long bytes) {
        if (bytes > info.maxAllocBytes() || allocatedBytes.get() + bytes > info.globalMemBytes()) {
            return null;
        }
        try {
            cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
            allocatedBytes.addAndGet(bytes);
            sizes.put(mem, bytes);
            return mem;
        } catch (CLException e) {
            int status = e.getStatus();
            if (status == CL_MEM_OBJECT_ALLOCATION_FAILURE
                    || status == CL_OUT_OF_RESOURCES
                    || status == CL_OUT_OF_HOST_MEMORY
                    || status == CL_INVALID_BUFFER_SIZE) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void free(cl_mem handle) {
        Long bytes = sizes.remove(handle);
        if (bytes != null) {
            allocatedBytes.addAndGet(-bytes);
        }
        clReleaseMemObject(handle); // deferred by the driver until queued commands using it finish
    }

    /** An estimate: the device's global memory less what this backend holds (OpenCL 1.2 cannot report free memory). */
    @Override
    public long freeBytes() {
        return Math.max(0, info.globalMemBytes() - allocatedBytes.get());
    }

    @Override
    public String name() {
        return "OpenCL device " + info.name() + " (largest buffer " + info.maxAllocBytes() + " bytes)";
    }
}
