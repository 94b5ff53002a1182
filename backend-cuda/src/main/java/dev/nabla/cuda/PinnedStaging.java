package dev.nabla.cuda;

import static dev.nabla.cuda.CudaCallException.check;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Page-locked host buffers that every host↔device copy goes through, so that copies are true DMA
 * and {@code write} can return before its copy has run. A slot is busy from the moment a copy
 * is queued until the event recorded after it completes; {@link #acquire} hands out a free slot
 * of sufficient size, allocates a new one while under {@link #LIMIT_BYTES}, and otherwise waits
 * for the oldest busy one. Transfers larger than {@link #CHUNK_BYTES} are cut into chunks.
 * Not thread-safe on its own: the backend calls it under its transfer lock.
 */
final class PinnedStaging implements AutoCloseable {
    /** Largest single copy; bigger transfers are chunked. */
    static final long CHUNK_BYTES = 4L << 20;
    /** Most pinned memory kept. */
    static final long LIMIT_BYTES = 64L << 20;

    private static final long MIN_SLOT_BYTES = 64L << 10;

    /** A pinned buffer and the event marking the end of the last copy that used it. */
    static final class Slot {
        final Pointer host;
        final ByteBuffer buffer;
        final long bytes;
        final CUevent done;
        boolean busy;
        long lastUse;

        Slot(Pointer host, long bytes, CUevent done) {
            this.host = host;
            this.bytes = bytes;
            this.buffer = host.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
            this.done = done;
        }
    }

    private final CUstream stream;
    private final List<Slot> slots = new ArrayList<>();
    private long pinnedBytes;
    private long uses;

    PinnedStaging(CUstream stream) {
        this.stream = stream;
    }

    /** A free slot of at least {@code bytes} (≤ CHUNK_BYTES), waiting for a busy one if needed. */
    Slot acquire(long bytes) {
        Slot oldestBusy = null;
        for (Slot slot : slots) {
            if (slot.bytes < bytes) {
                continue;
            }
            if (isFree(slot)) {
                slot.lastUse = ++uses;
                return slot;
            }
            if (oldestBusy == null || slot.lastUse < oldestBusy.lastUse) {
                oldestBusy = slot;
            }
        }
        long size = Math.max(MIN_SLOT_BYTES, Long.highestOneBit(Math.max(bytes - 1, 1)) << 1);
        if (pinnedBytes + size > LIMIT_BYTES) {
            if (oldestBusy != null) {
                check(JCudaDriver.cuEventSynchronize(oldestBusy.done), "cuEventSynchronize");
                oldestBusy.busy = false;
                oldestBusy.lastUse = ++uses;
                return oldestBusy;
            }
            dropSmallerThan(size); // every slot is too small: make room
        }
        Pointer host = new Pointer();
        check(JCudaDriver.cuMemAllocHost(host, size), "cuMemAllocHost(" + size + " bytes)");
        CUevent done = new CUevent();
        check(JCudaDriver.cuEventCreate(done, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        Slot slot = new Slot(host, size, done);
        slot.lastUse = ++uses;
        slots.add(slot);
        pinnedBytes += size;
        return slot;
    }

    /** Marks {@code slot} busy until the work queued on the stream so far (its copy) has run. */
    void queued(Slot slot) {
        check(JCudaDriver.cuEventRecord(slot.done, stream), "cuEventRecord");
        slot.busy = true;
    }

    private static boolean isFree(Slot slot) {
        if (!slot.busy) {
            return true;
        }
        int state;
        try {
            state = JCudaDriver.cuEventQuery(slot.done);
        } catch (jcuda.CudaException e) { // someone turned JCuda's exceptions on: NOT_READY arrives thrown
            if (e.getMessage() != null && e.getMessage().contains("CUDA_ERROR_NOT_READY")) {
                return false;
            }
            throw e;
        }
        if (state == CUresult.CUDA_SUCCESS) {
            slot.busy = false;
            return true;
        }
        if (state != CUresult.CUDA_ERROR_NOT_READY) {
            check(state, "cuEventQuery");
        }
        return false;
    }

    private void dropSmallerThan(long size) {
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
        slots.removeIf(slot -> {
            if (slot.bytes < size) {
                release(slot);
                return true;
            }
            return false;
        });
    }

    private void release(Slot slot) {
        JCudaDriver.cuEventDestroy(slot.done);
        JCudaDriver.cuMemFreeHost(slot.host);
        pinnedBytes -= slot.bytes;
    }

    /** Bytes of pinned host memory held. */
    long pinnedBytes() {
        return pinnedBytes;
    }

    /** Frees every slot; the caller has synchronized the stream. */
    @Override
    public void close() {
        for (Slot slot : slots) {
            release(slot);
        }
        slots.clear();
    }
}
