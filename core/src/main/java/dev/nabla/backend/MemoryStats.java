package dev.nabla.backend;

/**
 * A snapshot of a backend's memory counters.
 *
 * @param liveBuffers        buffers handed out by {@link Backend#allocate} and not yet released
 * @param liveBytes          bytes in those buffers
 * @param cachedBytes        bytes held in the cache for reuse
 * @param driverAllocations  allocations made from the device (driver or JVM heap) since start
 * @param driverFrees        blocks given back to the device since start
 */
public record MemoryStats(
        long liveBuffers, long liveBytes, long cachedBytes, long driverAllocations, long driverFrees) {}
