package dev.nabla.opencl;

import static org.jocl.CL.CL_COMPLETE;
import static org.jocl.CL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.jocl.CL.CL_FALSE;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clGetEventInfo;
import static org.jocl.CL.clReleaseEvent;

import dev.nabla.backend.DType;
import dev.nabla.backend.HostArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_mem;

/**
 * Host-to-device writes that do not wait: the caller's array is copied into a direct buffer
 * the driver reads from later, and the buffer is kept until the write's event completes
 * (checked on each later call, and all at once after a synchronize). Direct buffers are reused
 * by power-of-two size.
 */
final class HostStaging {
    /** At most this many bytes of idle direct buffers are kept for reuse. */
    private static final long KEEP_BYTES = 64L << 20;

    private record Pending(cl_event event, ByteBuffer buffer) {}

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private long idleBytes;

    /** Enqueues a non-blocking write of {@code length} elements of {@code array} (from {@code srcOffset}). */
    void write(
            cl_command_queue queue,
            cl_mem dst,
            long dstByteOffset,
            Object array,
            int srcOffset,
            int length,
            DType dtype) {
        reap();
        long bytes = (long) length * dtype.bytes();
        ByteBuffer buffer = take(bytes);
        HostArrays.put(buffer, array, srcOffset, length);
        cl_event event = new cl_event();
        clEnqueueWriteBuffer(queue, dst, CL_FALSE, dstByteOffset, bytes, Pointer.to(buffer), 0, null, event);
        pending.add(new Pending(event, buffer));
    }

    /** Recycles the buffers of writes that have finished. */
    void reap() {
        int[] status = new int[1];
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            clGetEventInfo(p.event(), CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, Pointer.to(status), null);
            if (status[0] != CL_COMPLETE && status[0] >= 0) {
                break; // an in-order queue finishes writes in order
            }
            clReleaseEvent(p.event());
            give(p.buffer());
            it.remove();
        }
    }

    /** Number of writes still in flight (for tests). */
    int pending() {
        return pending.size();
    }

    private ByteBuffer take(long bytes) {
        int capacity = (int) Math.max(64, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
        for (Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
            ByteBuffer b = it.next();
            if (b.capacity() == capacity) {
                it.remove();
                idleBytes -= capacity;
                b.clear();
                return b;
            }
        }
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    private void give(ByteBuffer buffer) {
        if (idleBytes + buffer.capacity() <= KEEP_BYTES) {
            idle.push(buffer);
            idleBytes += buffer.capacity();
        }
    }
}
