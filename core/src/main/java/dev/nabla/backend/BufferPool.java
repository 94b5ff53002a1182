package dev.nabla.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator with size-bucketed free lists, shared by the device backends so that a
 * training step after the first allocates nothing from the driver.
 *
 * <p>Requests are rounded up to a bucket size (multiples of 512 bytes up to 1 MiB, then steps
 * of 1/8 of the next power of two), so repeated shapes reuse blocks exactly. When the device
 * reports out of memory, the pool frees its cache and retries once, then throws
 * {@link DeviceOutOfMemoryException}. Thread-safe.
 *
 * @param <H> the device's handle type (a CUdeviceptr, a cl_mem, …)
 */
public final class BufferPool<H> {

    /** The device side of the pool. */
    public interface Device<H> {
        /** Allocates {@code bytes} bytes, or returns null when the device is out of memory. */
        H allocate(long bytes);

        void free(H handle);

        /** Free device memory in bytes (for error messages), or −1 if unknown. */
        long freeBytes();

        /** The device's name for error messages. */
        String name();
    }

    /** A block handed out by the pool. */
    public record Block<H>(H handle, long bytes) {}

    private final Device<H> device;
    private final Map<Long, ArrayDeque<H>> free = new HashMap<>();
    private long cachedBytes;
    private long liveBuffers;
    private long liveBytes;
    private long driverAllocations;
    private long driverFrees;

    public BufferPool(Device<H> device) {
        this.device = device;
    }

    /** The bucket a request of {@code bytes} is served from. */
    public static long bucketSize(long bytes) {
        long size = Math.max(bytes, 1);
        if (size <= (1 << 20)) {
            return (size + 511) & ~511L;
        }
        long power = Long.highestOneBit(size - 1) << 1; // next power of two ≥ size
        long step = power / 8;
        return (size + step - 1) / step * step;
    }

    public synchronized Block<H> acquire(long bytes) {
        long size = bucketSize(bytes);
        ArrayDeque<H> list = free.get(size);
        H handle = list == null ? null : list.poll();
        if (handle != null) {
            cachedBytes -= size;
        } else {
            handle = device.allocate(size);
            if (handle == null) {
                long hadCached = cachedBytes;
                emptyCache();
                handle = device.allocate(size);
                if (handle == null) {
                    throw new DeviceOutOfMemoryException(device.name(), size, device.freeBytes(), hadCached);
                }
            }
            driverAllocations++;
        }
        liveBuffers++;
        liveBytes += size;
        return new Block<>(handle, size);
    }

    public synchronized void release(Block<H> block) {
        liveBuffers--;
        liveBytes -= block.bytes();
        free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block.handle());
        cachedBytes += block.bytes();
    }

    public synchronized void emptyCache() {
        for (ArrayDeque<H> list : free.values()) {
            for (H handle : list) {
                device.free(handle);
                driverFrees++;
            }
        }
        free.clear();
        cachedBytes = 0;
    }

    public synchronized MemoryStats stats() {
        return new MemoryStats(liveBuffers, liveBytes, cachedBytes, driverAllocations, driverFrees);
    }
}
