package dev.nabla.opencl;

import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.clGetKernelWorkGroupInfo;
import static org.jocl.CL.clSetKernelArg;

import dev.nabla.backend.DType;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One kernel of a built program, with a builder for its arguments in order:
 * {@code k.begin().i64(n).mem(out).i64(offset).value(1.0)}. Kernel objects hold their
 * arguments, so a call sets them and is enqueued under the backend's lock.
 */
final class ClKernel {
    final cl_kernel kernel;
    final String name;
    /** The largest work group this kernel can run with on its device. */
    final long maxLocal;

    private final DType type;
    private final boolean computeDouble;
    private final boolean fp64;
    private int next;

    ClKernel(cl_kernel kernel, String name, cl_device_id device, DType type, boolean computeDouble, boolean fp64) {
        this.kernel = kernel;
        this.name = name;
        this.type = type;
        this.computeDouble = computeDouble;
        this.fp64 = fp64;
        long[] size = new long[1];
        clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(size), null);
        this.maxLocal = Math.max(1, size[0]);
    }

    ClKernel begin() {
        next = 0;
        return this;
    }

    ClKernel i32(int v) {
        clSetKernelArg(kernel, next++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    ClKernel i64(long v) {
        clSetKernelArg(kernel, next++, Sizeof.cl_long, Pointer.to(new long[] {v}));
        return this;
    }

    ClKernel mem(cl_mem m) {
        clSetKernelArg(kernel, next++, Sizeof.cl_mem, Pointer.to(m));
        return this;
    }

    /** A long8 vector argument (a merged shape or strides, innermost first). */
    ClKernel long8(long[] v) {
        clSetKernelArg(kernel, next++, Sizeof.cl_long * 8L, Pointer.to(v));
        return this;
    }

    /** A scalar of the program's compute type CT. */
    ClKernel ct(double v) {
        return computeDouble ? f64(v) : f32((float) v);
    }

    /** A scalar of type RT (double when the device has fp64). */
    ClKernel rt(double v) {
        return fp64 ? f64(v) : f32((float) v);
    }

    /** A scalar of the program's element type T (Java's casts: an int truncates toward zero). */
    ClKernel value(double v) {
        return switch (type) {
            case FLOAT32 -> f32((float) v);
            case FLOAT64 -> f64(v);
            case INT32 -> i32((int) v);
        };
    }

    /** A __local buffer of {@code bytes} bytes. */
    ClKernel local(long bytes) {
        clSetKernelArg(kernel, next++, bytes, null);
        return this;
    }

    private ClKernel f32(float v) {
        clSetKernelArg(kernel, next++, Sizeof.cl_float, Pointer.to(new float[] {v}));
        return this;
    }

    private ClKernel f64(double v) {
        clSetKernelArg(kernel, next++, Sizeof.cl_double, Pointer.to(new double[] {v}));
        return this;
    }

    /** Bytes of one CT value, for sizing __local scratch. */
    int computeBytes() {
        return computeDouble ? 8 : 4;
    }
}
