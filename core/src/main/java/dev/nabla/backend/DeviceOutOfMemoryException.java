package dev.nabla.backend;

/**
 * A device allocation failed even after the backend emptied its cache and retried. The backend
 * stays usable. The message names the request, the free memory and what was cached.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long requestedBytes;
    private final long freeBytes;
    private final long cachedBytes;

    public DeviceOutOfMemoryException(String device, long requestedBytes, long freeBytes, long cachedBytes) {
        super(String.format(
                "%s is out of memory: asked for %,d bytes, %,d bytes free on the device, "
                        + "%,d bytes were cached by Nabla (the cache was emptied and the allocation retried)",
                device, requestedBytes, freeBytes, cachedBytes));
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
        this.cachedBytes = cachedBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    public long freeBytes() {
        return freeBytes;
    }

    public long cachedBytes() {
        return cachedBytes;
    }
}
