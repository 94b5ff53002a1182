package dev.nabla.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clFlush;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.BufferPool;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.OpCodes;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * Nabla's backend on one OpenCL device (OpenCL 1.2 or newer), through JOCL.
 *
 * <p>One context and one in-order command queue per device. Every primitive enqueues kernels
 * without waiting (writes go through {@link HostStaging}); only {@link #read} and
 * {@link #synchronize} wait. Programs come from the .cl resources of nabla-kernels and are built
 * at first use, once per element type ({@link ClPrograms}). Buffers come from a
 * {@link BufferPool} over {@code clCreateBuffer}, so a repeated training step allocates nothing
 * from the driver. FLOAT64 is supported when the device has cl_khr_fp64.
 *
 * <pre>{@code
 * Backend cl = Backends.use("opencl");          // or NABLA_BACKEND=opencl
 * Tensor x = Tensor.of(new float[] {1, 2, 3});  // lives on the OpenCL device
 * }</pre>
 *
 * <p>Calls from several threads are serialized by a lock around each primitive.
 */
public final class OpenClBackend implements Backend {
    /** Work items per group for 1-D kernels (capped by what each kernel allows). */
    private static final int LOCAL = 256;
    /** Cap on work groups of grid-stride kernels; each item then loops. */
    private static final long MAX_GROUPS = 4096;
    /** Flush the queue after this many enqueues, so the device starts while the host keeps queueing. */
    private static final int FLUSH_EVERY = 8;
    /** Host writes go in pieces of at most this many elements. */
    private static final int WRITE_CHUNK = 1 << 24;

    private final ClDeviceInfo info;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClPrograms programs;
    private final ClMemory memory;
    private final BufferPool<cl_mem> pool;
    private final HostStaging staging = new HostStaging();
    private final Object lock = new Object();
    private int unflushed;
    private volatile boolean closed;

    @SuppressWarnings("deprecation") // clCreateCommandQueue: the OpenCL 1.2 call, still in every 2.x/3.x driver
    OpenClBackend(ClDeviceInfo info) {
        this.info = info;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, info.platform());
        this.context = clCreateContext(properties, 1, new cl_device_id[] {info.device()}, null, null, null);
        this.queue = clCreateCommandQueue(context, info.device(), 0, null);
        this.programs = new ClPrograms(context, info.device(), info.fp64(), info.describe());
        this.memory = new ClMemory(context, info);
        this.pool = new BufferPool<>(memory);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String deviceName() {
        return info.describe();
    }

    /** What discovery learned about the device. */
    ClDeviceInfo info() {
        return info;
    }

    /** The programs of this context (for tests: build counts, custom sources). */
    ClPrograms programs() {
        return programs;
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype != DType.FLOAT64 || info.fp64();
    }

    // ---------------------------------------------------------------- memory and transfer

    @Override
    public DeviceBuffer allocate(DType dtype, long elements) {
        open();
        if (!supports(dtype)) {
            throw new IllegalArgumentException(dtype + " tensors are not supported on " + deviceName()
                    + " (no cl_khr_fp64); expected FLOAT32 or INT32");
        }
        if (elements < 0) {
            throw new IllegalArgumentException("cannot allocate " + elements + " elements; expected a count ≥ 0");
        }
        return new ClBuffer(this, pool.acquire(elements * dtype.bytes()), dtype);
    }

    @Override
    public void release(DeviceBuffer buffer) {
        if (!closed) {
            pool.release(((ClBuffer) buffer).block());
        }
    }

    @Override
    public MemoryStats memoryStats() {
        return pool.stats();
    }

    @Override
    public void emptyCache() {
        pool.emptyCache();
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length) {
        synchronized (lock) {
            open();
            DType dtype = dst.dtype();
            for (int done = 0; done < length; done += WRITE_CHUNK) {
                int n = Math.min(WRITE_CHUNK, length - done);
                staging.write(
                        queue, mem(dst), (dstOffset + done) * dtype.bytes(), hostArray, srcOffset + done, n, dtype);
            }
            flushSoon(FLUSH_EVERY);
        }
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
        synchronized (lock) {
            open();
            if (length == 0) {
                return;
            }
            int bytes = src.dtype().bytes();
            Pointer target = switch (src.dtype()) {
                case FLOAT32 -> Pointer.to((float[]) hostArray);
                case FLOAT64 -> Pointer.to((double[]) hostArray);
                case INT32 -> Pointer.to((int[]) hostArray);
            };
            clEnqueueReadBuffer(
                    queue,
                    mem(src),
                    CL_TRUE,
                    srcOffset * bytes,
                    (long) length * bytes,
                    target.withByteOffset((long) dstOffset * bytes),
                    0,
                    null,
                    null);
            unflushed = 0;
            staging.reap();
        }
    }

    @Override
    public void synchronize() {
        synchronized (lock) {
            open();
            clFinish(queue);
            unflushed = 0;
            staging.reap();
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void fill(View out, double value) {
        synchronized (lock) {
            open();
            StridedLayout layout = StridedLayout.of(out.shape(), out.strides());
            if (layout.size == 0) {
                return;
            }
            layout.chunks((offsets, l) -> {
                long ooff = out.offset() + offsets[0];
                if (l.flat(0)) {
                    run1d(
                            kernel("elementwise", out.dtype(), "fill_contig")
                                    .begin()
                                    .i64(l.size)
                                    .mem(mem(out))
                                    .i64(ooff)
                                    .value(value),
                            l.size);
                } else {
                    run1d(
                            kernel("elementwise", out.dtype(), "fill_strided")
                                    .begin()
                                    .i64(l.size)
                                    .i32(l.rank())
                                    .long8(l.shape8())
                                    .mem(mem(out))
                                    .i64(ooff)
                                    .long8(l.strides8(0))
                                    .value(value),
                            l.size);
                }
            });
        }
    }

    @Override
    public void copy(View src, View dst) {
        synchronized (lock) {
            open();
            StridedLayout layout = StridedLayout.of(dst.shape(), src.strides(), dst.strides());
            if (layout.size == 0) {
                return;
            }
            String from = "copy_from_" + ClPrelude.clType(src.dtype());
            layout.chunks((offsets, l) -> {
                long xoff = src.offset() + offsets[0], ooff = dst.offset() + offsets[1];
                if (l.flat(1)) {
                    run1d(
                            kernel("elementwise", dst.dtype(), from + "_contig")
                                    .begin()
                                    .i64(l.size)
                                    .mem(mem(src))
                                    .i64(xoff)
                                    .i64(l.step(0))
                                    .mem(mem(dst))
                                    .i64(ooff),
                            l.size);
                } else {
                    run1d(
                            kernel("elementwise", dst.dtype(), from + "_strided")
                                    .begin()
                                    .i64(l.size)
                                    .i32(l.rank())
                                    .long8(l.shape8())
                                    .mem(mem(src))
                                    .i64(xoff)
                                    .long8(l.strides8(0))
                                    .mem(mem(dst))
                                    .i64(ooff)
                                    .long8(l.strides8(1)),
                            l.size);
                }
            });
        }
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double a, double b) {
        synchronized (lock) {
            open();
            StridedLayout layout = StridedLayout.of(out.shape(), x.strides(), out.strides());
            if (layout.size == 0) {
                return;
            }
            layout.chunks((offsets, l) -> {
                long xoff = x.offset() + offsets[0], ooff = out.offset() + offsets[1];
                if (l.flat(1)) {
                    run1d(
                            kernel("elementwise", out.dtype(), "unary_contig")
                                    .begin()
                                    .i32(OpCodes.of(op))
                                    .ct(a)
                                    .ct(b)
                                    .i64(l.size)
                                    .mem(mem(x))
                                    .i64(xoff)
                                    .i64(l.step(0))
                                    .mem(mem(out))
                                    .i64(ooff),
                            l.size);
                } else {
                    run1d(
                            kernel("elementwise", out.dtype(), "unary_strided")
                                    .begin()
                                    .i32(OpCodes.of(op))
                                    .ct(a)
                                    .ct(b)
                                    .i64(l.size)
                                    .i32(l.rank())
                                    .long8(l.shape8())
                                    .mem(mem(x))
                                    .i64(xoff)
                                    .long8(l.strides8(0))
                                    .mem(mem(out))
                                    .i64(ooff)
                                    .long8(l.strides8(1)),
                            l.size);
                }
            });
        }
    }

    @Override
    public void binary(BinaryOp op, View x, View y, View out, double a) {
        synchronized (lock) {
            open();
            StridedLayout layout = StridedLayout.of(out.shape(), x.strides(), y.strides(), out.strides());
            if (layout.size == 0) {
                return;
            }
            layout.chunks((offsets, l) -> {
                long xoff = x.offset() + offsets[0], yoff = y.offset() + offsets[1], ooff = out.offset() + offsets[2];
                if (l.flat(2)) {
                    run1d(
                            kernel("elementwise", out.dtype(), "binary_contig")
                                    .begin()
                                    .i32(OpCodes.of(op))
                                    .ct(a)
                                    .i64(l.size)
                                    .mem(mem(x))
                                    .i64(xoff)
                                    .i64(l.step(0))
                                    .mem(mem(y))
                                    .i64(yoff)
                                    .i64(l.step(1))
                                    .mem(mem(out))
                                    .i64(ooff),
                            l.size);
                } else {
                    run1d(
                            kernel("elementwise", out.dtype(), "binary_strided")
                                    .begin()
                                    .i32(OpCodes.of(op))
                                    .ct(a)
                                    .i64(l.size)
                                    .i32(l.rank())
                                    .long8(l.shape8())
                                    .mem(mem(x))
                                    .i64(xoff)
                                    .long8(l.strides8(0))
                                    .mem(mem(y))
                                    .i64(yoff)
                                    .long8(l.strides8(1))
                                    .mem(mem(out))
                                    .i64(ooff)
                                    .long8(l.strides8(2)),
                            l.size);
                }
            });
        }
    }

    @Override
    public void where(View cond, View x, View y, View out) {
        synchronized (lock) {
            open();
            StridedLayout layout =
                    StridedLayout.of(out.shape(), cond.strides(), x.strides(), y.strides(), out.strides());
            if (layout.size == 0) {
                return;
            }
            String name = "where_" + ClPrelude.clType(cond.dtype());
            layout.chunks((offsets, l) -> {
                long coff = cond.offset() + offsets[0], xoff = x.offset() + offsets[1];
                long yoff = y.offset() + offsets[2], ooff = out.offset() + offsets[3];
                if (l.flat(3)) {
                    run1d(
                            kernel("elementwise", out.dtype(), name + "_contig")
                                    .begin()
                                    .i64(l.size)
                                    .mem(mem(cond))
                                    .i64(coff)
                                    .i64(l.step(0))
                                    .mem(mem(x))
                                    .i64(xoff)
                                    .i64(l.step(1))
                                    .mem(mem(y))
                                    .i64(yoff)
                                    .i64(l.step(2))
                                    .mem(mem(out))
                                    .i64(ooff),
                            l.size);
                } else {
                    run1d(
                            kernel("elementwise", out.dtype(), name + "_strided")
                                    .begin()
                                    .i64(l.size)
                                    .i32(l.rank())
                                    .long8(l.shape8())
                                    .mem(mem(cond))
                                    .i64(coff)
                                    .long8(l.strides8(0))
                                    .mem(mem(x))
                                    .i64(xoff)
                                    .long8(l.strides8(1))
                                    .mem(mem(y))
                                    .i64(yoff)
                                    .long8(l.strides8(2))
                                    .mem(mem(out))
                                    .i64(ooff)
                                    .long8(l.strides8(3)),
                            l.size);
                }
            });
        }
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        synchronized (lock) {
            open();
            int kept = x.rank() - reducedAxes;
            int[] outerShape = Arrays.copyOf(x.shape(), kept);
            int[] innerShape = Arrays.copyOfRange(x.shape(), kept, x.rank());
            StridedLayout outer = StridedLayout.of(outerShape, Arrays.copyOf(x.strides(), kept));
            StridedLayout inner = StridedLayout.of(innerShape, Arrays.copyOfRange(x.strides(), kept, x.rank()));
            if (outer.size == 0) {
                return;
            }
            if (inner.size == 0) { // an empty reduction: the identity of the operation
                double identity = op == ReduceOp.MAX
                        ? Double.NEGATIVE_INFINITY
                        : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : 0;
                fill(out, identity);
                return;
            }
            if (outer.rank() > StridedLayout.MAX_RANK || inner.rank() > StridedLayout.MAX_RANK) {
                // more than eight separate axes on one side: reduce a contiguous copy instead
                DeviceBuffer temp = allocate(x.dtype(), x.size());
                View dense = View.contiguous(temp, x.shape());
                copy(x, dense);
                reduce(op, dense, reducedAxes, out);
                release(temp);
                return;
            }
            boolean index = op.producesIndex();
            boolean group = inner.size > 32 && outer.size < 4096;
            String name = (index ? "argreduce" : "reduce") + (group ? "_group" : "_serial");
            ClKernel k = kernel("reduce", x.dtype(), name)
                    .begin()
                    .i32(OpCodes.of(op))
                    .i64(outer.size)
                    .i64(inner.size)
                    .i32(outer.rank())
                    .long8(outer.shape8())
                    .long8(outer.strides8(0))
                    .i32(inner.rank())
                    .long8(inner.shape8())
                    .long8(inner.strides8(0))
                    .mem(mem(x))
                    .i64(x.offset())
                    .mem(mem(out))
                    .i64(out.offset());
            if (group) {
                int local = powerOfTwoAtMost(Math.min(Math.min(LOCAL, k.maxLocal), ceilPowerOfTwo(inner.size)));
                k.local((long) local * k.computeBytes());
                if (index) {
                    k.local((long) local * Integer.BYTES);
                }
                runGroups(k, outer.size, local);
            } else {
                run1d(k, outer.size);
            }
        }
    }

    // ---------------------------------------------------------------- matrix multiply

    @Override
    public void matmul(View a, boolean transposeA, View b, boolean transposeB, View out) {
        synchronized (lock) {
            open();
            int batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2];
            int k = transposeA ? a.shape()[1] : a.shape()[2];
            if ((long) batch * m * n == 0) {
                return;
            }
            if (k == 0) {
                fill(out, 0);
                return;
            }
            long aBatch = a.shape()[0] == 1 ? 0 : a.strides()[0];
            long bBatch = b.shape()[0] == 1 ? 0 : b.strides()[0];
            GemmKernel kind = gemmKernel(transposeA, transposeB);
            ClKernel gemm = kernel("gemm", out.dtype(), kind.kernelName)
                    .begin()
                    .i32(m)
                    .i32(n)
                    .i32(k)
                    .i32(transposeA ? 1 : 0)
                    .i32(transposeB ? 1 : 0)
                    .mem(mem(a))
                    .i64(a.offset())
                    .i64(aBatch)
                    .i64(a.strides()[1])
                    .mem(mem(b))
                    .i64(b.offset())
                    .i64(bBatch)
                    .i64(b.strides()[1])
                    .mem(mem(out))
                    .i64(out.offset())
                    .i64(out.strides()[0])
                    .i64(out.strides()[1]);
            int width = out.dtype() == DType.FLOAT64 ? 8 : 16;
            switch (kind) { // global sizes: items along columns (dim 0) and row blocks (dim 1), one batch per dim 2
                case TILED ->
                    enqueue(gemm, 3, new long[] {ceilDiv(n, 64) * 16, ceilDiv(m, 64) * 16, batch}, new long[] {16, 16, 1
                    });
                case VECTOR ->
                    enqueue(
                            gemm,
                            3,
                            new long[] {ceilDiv(ceilDiv(n, width), 4) * 4, ceilDiv(ceilDiv(m, 8), 4) * 4, batch},
                            new long[] {4, 4, 1});
                case VECTOR_BT ->
                    enqueue(gemm, 3, new long[] {ceilDiv(ceilDiv(n, 4), 8) * 8, ceilDiv(m, 8), batch}, new long[] {
                        8, 1, 1
                    });
                case SIMPLE ->
                    enqueue(gemm, 3, new long[] {ceilDiv(n, 8) * 8, ceilDiv(m, 8) * 8, batch}, new long[] {8, 8, 1});
            }
        }
    }

    /** The GEMM kernels of gemm.cl; see docs/opencl.md for how they were chosen. */
    enum GemmKernel {
        /** 64×64 tiles staged in local memory, 16×16 items with 4×4 register blocks: for GPUs. */
        TILED("gemm_tiled"),
        /** 8 rows × one vector of columns per item, no local memory: for CPU devices (B transposed is gathered). */
        VECTOR("gemm_vec"),
        /** 8×4 dot products along k in vectors: for CPU devices, B transposed and A not. */
        VECTOR_BT("gemm_vec_bt"),
        /** One item per element: where a work group cannot hold 16×16 items. */
        SIMPLE("gemm_simple");

        final String kernelName;

        GemmKernel(String kernelName) {
            this.kernelName = kernelName;
        }
    }

    /** Null for the automatic choice; set by tests, or by benchmarks through -Dnabla.opencl.gemm=tiled|vector|…. */
    private volatile GemmKernel forcedGemm = forcedGemmFromProperty();

    private static GemmKernel forcedGemmFromProperty() {
        String value = System.getProperty("nabla.opencl.gemm");
        if (value == null || value.isBlank() || value.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            return GemmKernel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "nabla.opencl.gemm=" + value + " names no GEMM kernel; expected auto or one of "
                            + Arrays.toString(GemmKernel.values()),
                    e);
        }
    }

    /** Forces one GEMM kernel (null restores the automatic choice). For tests and benchmarks. */
    void forceGemmKernel(GemmKernel kernel) {
        this.forcedGemm = kernel;
    }

    /** Vector kernels on CPU devices, tiles elsewhere, the simple kernel where 16×16 items do not fit in a group. */
    GemmKernel gemmKernel(boolean transposeA, boolean transposeB) {
        GemmKernel forced = forcedGemm;
        if (forced == GemmKernel.VECTOR_BT && (transposeA || !transposeB)) {
            forced = GemmKernel.VECTOR; // gemm_vec_bt only reads B transposed and A as stored
        }
        if (forced != null) {
            return forced;
        }
        if (!info.isGpu() && !transposeB) {
            return GemmKernel.VECTOR;
        }
        if (!info.isGpu() && !transposeA) {
            return GemmKernel.VECTOR_BT;
        }
        if (!info.isGpu()) {
            return GemmKernel.VECTOR; // both transposed: still better on a CPU than local-memory tiles
        }
        return programs.kernel("gemm", DType.FLOAT32, "gemm_tiled").maxLocal >= 256
                ? GemmKernel.TILED
                : GemmKernel.SIMPLE;
    }

    // ---------------------------------------------------------------- fused kernels

    @Override
    public void softmax(View x, View out, boolean log) {
        synchronized (lock) {
            open();
            long rows = x.shape()[0], cols = x.shape()[1];
            if (rows * cols == 0) {
                return;
            }
            ClKernel k = kernel("nn", x.dtype(), "softmax_rows");
            int local = rowLocal(k, cols);
            k.begin()
                    .i64(rows)
                    .i64(cols)
                    .mem(mem(x))
                    .i64(x.offset())
                    .mem(mem(out))
                    .i64(out.offset())
                    .i32(log ? 1 : 0)
                    .local((long) local * k.computeBytes());
            runGroups(k, rows, local);
        }
    }

    @Override
    public void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        synchronized (lock) {
            open();
            long rows = logits.shape()[0], cols = logits.shape()[1];
            if (rows == 0) {
                return;
            }
            ClKernel k = kernel("nn", logits.dtype(), "softmax_xent_rows");
            int local = rowLocal(k, cols);
            k.begin()
                    .i64(rows)
                    .i64(cols)
                    .mem(mem(logits))
                    .i64(logits.offset())
                    .mem(mem(targets))
                    .i64(targets.offset())
                    .mem(mem(loss))
                    .i64(loss.offset())
                    .mem(mem(probs))
                    .i64(probs.offset())
                    .local((long) local * k.computeBytes());
            runGroups(k, rows, local);
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        synchronized (lock) {
            open();
            long n = probs.size();
            if (n == 0) {
                return;
            }
            run1d(
                    kernel("nn", probs.dtype(), "softmax_xent_backward")
                            .begin()
                            .i64(n)
                            .i64(probs.shape()[1])
                            .mem(mem(probs))
                            .i64(probs.offset())
                            .mem(mem(targets))
                            .i64(targets.offset())
                            .mem(mem(gradLoss))
                            .i64(gradLoss.offset())
                            .mem(mem(out))
                            .i64(out.offset()),
                    n);
        }
    }

    @Override
    public void gatherRows(View source, View rows, View out) {
        synchronized (lock) {
            open();
            long n = out.size();
            if (n == 0) {
                return;
            }
            run1d(
                    kernel("nn", out.dtype(), "gather_rows")
                            .begin()
                            .i64(n)
                            .i64(out.shape()[1])
                            .mem(mem(source))
                            .i64(source.offset())
                            .mem(mem(rows))
                            .i64(rows.offset())
                            .mem(mem(out))
                            .i64(out.offset()),
                    n);
        }
    }

    @Override
    public void oneHot(View indices, View out) {
        synchronized (lock) {
            open();
            long n = indices.size(), classes = out.shape()[1];
            if (n * classes == 0) {
                return;
            }
            run1d(
                    kernel("nn", out.dtype(), "one_hot")
                            .begin()
                            .i64(n)
                            .i64(classes)
                            .mem(mem(indices))
                            .i64(indices.offset())
                            .mem(mem(out))
                            .i64(out.offset()),
                    n * classes);
        }
    }

    @Override
    public void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        synchronized (lock) {
            open();
            long n = x.size();
            if (n == 0) {
                return;
            }
            run1d(
                    kernel("nn", x.dtype(), "bias_activation")
                            .begin()
                            .i64(n)
                            .i64(x.shape()[1])
                            .mem(mem(x))
                            .i64(x.offset())
                            .mem(mem(bias))
                            .i64(bias.offset())
                            .mem(mem(out))
                            .i64(out.offset())
                            .i32(activation == null ? OpCodes.IDENTITY : OpCodes.of(activation))
                            .ct(a),
                    n);
        }
    }

    @Override
    public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
        synchronized (lock) {
            open();
            long n = out.size();
            if (n == 0) {
                return;
            }
            // unit(bits) < a  ⇔  (bits >>> 8) < ⌈a·2²⁴⌉ for the integer bits >>> 8: the reference's test, exactly
            long keepBelow = kind == RandomKind.DROPOUT_MASK ? (long) Math.min(Math.ceil(a * 0x1.0p24), 0x1.0p24) : 0;
            double keepValue = kind == RandomKind.DROPOUT_MASK ? 1.0 / a : 0;
            long perBlock = kind == RandomKind.NORMAL ? 2 : 4;
            run1d(
                    kernel("nn", out.dtype(), "random_philox")
                            .begin()
                            .i32(OpCodes.of(kind))
                            .i64(seed)
                            .i64(counter)
                            .i64(n)
                            .rt(a)
                            .rt(b)
                            .i64(Math.max(keepBelow, 0))
                            .rt(keepValue)
                            .mem(mem(out))
                            .i64(out.offset()),
                    ceilDiv(n, perBlock));
        }
    }

    // ---------------------------------------------------------------- window ops (window.cl)

    @Override
    public void im2col(View input, Window2d window, int groups, double padValue, View cols) {
        if (!windowKernels(input, cols)) {
            Backend.super.im2col(input, window, groups, padValue, cols);
            return;
        }
        runWindow(
                "im2col",
                window,
                groups * window.windows() * window.taps(),
                k -> k.i32(groups)
                        .mem(mem(input))
                        .i64(input.offset())
                        .value(padValue)
                        .mem(mem(cols))
                        .i64(cols.offset()));
    }

    @Override
    public void col2im(View cols, Window2d window, int groups, View gradInput) {
        if (!windowKernels(cols, gradInput)) {
            Backend.super.col2im(cols, window, groups, gradInput);
            return;
        }
        runWindow(
                "col2im",
                window,
                (long) window.n() * window.h() * window.w() * groups,
                k -> k.i32(groups)
                        .mem(mem(cols))
                        .i64(cols.offset())
                        .mem(mem(gradInput))
                        .i64(gradInput.offset()));
    }

    @Override
    public void maxPool2d(View input, Window2d window, View out, View argmax) {
        if (!windowKernels(input, out) || (argmax != null && !argmax.isContiguous())) {
            Backend.super.maxPool2d(input, window, out, argmax);
            return;
        }
        // without argmax the kernel is told not to write it, and gets out's buffer only to fill the argument
        View arg = argmax == null ? out : argmax;
        runWindow(
                "max_pool2d",
                window,
                window.windows(),
                k -> k.mem(mem(input))
                        .i64(input.offset())
                        .mem(mem(out))
                        .i64(out.offset())
                        .mem(mem(arg))
                        .i64(arg.offset())
                        .i32(argmax == null ? 0 : 1));
    }

    @Override
    public void maxPool2dBackward(View gradOut, View argmax, Window2d window, View gradInput) {
        if (!windowKernels(gradOut, gradInput) || !argmax.isContiguous()) {
            Backend.super.maxPool2dBackward(gradOut, argmax, window, gradInput);
            return;
        }
        runWindow(
                "max_pool2d_backward",
                window,
                (long) window.n() * window.h() * window.w(),
                k -> k.mem(mem(gradOut))
                        .i64(gradOut.offset())
                        .mem(mem(argmax))
                        .i64(argmax.offset())
                        .mem(mem(gradInput))
                        .i64(gradInput.offset()));
    }

    /** Whether the window kernels take these operands: contiguous FLOAT32 (else the compositions run). */
    private static boolean windowKernels(View a, View b) {
        return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && a.isContiguous() && b.isContiguous();
    }

    /**
     * Launches kernel {@code name} of window.cl over {@code items} work items (each loops over the channels,
     * so none is needed when there are none): its arguments are the geometry, then {@code operands}.
     */
    private void runWindow(String name, Window2d win, long items, UnaryOperator<ClKernel> operands) {
        synchronized (lock) {
            open();
            if (items == 0 || win.c() == 0) {
                return;
            }
            ClKernel k = kernel("window", DType.FLOAT32, name)
                    .begin()
                    .i32(win.n())
                    .i32(win.h())
                    .i32(win.w())
                    .i32(win.c())
                    .i32(win.kh())
                    .i32(win.kw())
                    .i32(win.sh())
                    .i32(win.sw())
                    .i32(win.dh())
                    .i32(win.dw())
                    .i32(win.top())
                    .i32(win.left())
                    .i32(win.oh())
                    .i32(win.ow());
            run1d(operands.apply(k), items);
        }
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void sgdUpdate(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        synchronized (lock) {
            open();
            long n = param.size();
            if (n == 0) {
                return;
            }
            if (velocity == null) {
                run1d(
                        kernel("nn", param.dtype(), "sgd_plain")
                                .begin()
                                .i64(n)
                                .mem(mem(param))
                                .i64(param.offset())
                                .mem(mem(grad))
                                .i64(grad.offset())
                                .ct(lr),
                        n);
            } else {
                run1d(
                        kernel("nn", param.dtype(), "sgd_momentum")
                                .begin()
                                .i64(n)
                                .mem(mem(param))
                                .i64(param.offset())
                                .mem(mem(grad))
                                .i64(grad.offset())
                                .mem(mem(velocity))
                                .i64(velocity.offset())
                                .ct(lr)
                                .ct(momentum)
                                .i32(nesterov ? 1 : 0),
                        n);
            }
        }
    }

    @Override
    public void rmspropUpdate(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        synchronized (lock) {
            open();
            long n = param.size();
            if (n == 0) {
                return;
            }
            run1d(
                    kernel("nn", param.dtype(), "rmsprop")
                            .begin()
                            .i64(n)
                            .mem(mem(param))
                            .i64(param.offset())
                            .mem(mem(grad))
                            .i64(grad.offset())
                            .mem(mem(meanSquare))
                            .i64(meanSquare.offset())
                            .ct(lr)
                            .ct(rho)
                            .ct(1 - rho)
                            .ct(eps),
                    n);
        }
    }

    @Override
    public void adamUpdate(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        synchronized (lock) {
            open();
            long n = param.size();
            if (n == 0) {
                return;
            }
            run1d(
                    kernel("nn", param.dtype(), "adam")
                            .begin()
                            .i64(n)
                            .mem(mem(param))
                            .i64(param.offset())
                            .mem(mem(grad))
                            .i64(grad.offset())
                            .mem(mem(m))
                            .i64(m.offset())
                            .mem(mem(v))
                            .i64(v.offset())
                            .ct(alpha)
                            .ct(1 - beta1)
                            .ct(1 - beta2)
                            .ct(eps)
                            .ct(1 - decay),
                    n);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            clFinish(queue);
            staging.reap();
            closed = true;
            pool.emptyCache();
            programs.close();
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
        }
    }

    @Override
    public String toString() {
        return "OpenClBackend[" + deviceName() + "]";
    }

    // ---------------------------------------------------------------- launching

    private ClKernel kernel(String program, DType dtype, String name) {
        return programs.kernel(program, dtype, name);
    }

    private static cl_mem mem(View v) {
        return ((ClBuffer) v.buffer()).mem();
    }

    private static cl_mem mem(DeviceBuffer b) {
        return ((ClBuffer) b).mem();
    }

    /** A grid-stride launch over {@code items} work items. */
    private void run1d(ClKernel k, long items) {
        long local = Math.min(LOCAL, k.maxLocal);
        long groups = Math.min(ceilDiv(items, local), MAX_GROUPS);
        enqueue(k, 1, new long[] {groups * local}, new long[] {local});
    }

    /** One work group of {@code local} items per row (grid-stride over rows). */
    private void runGroups(ClKernel k, long rows, int local) {
        long groups = Math.min(rows, 65536);
        enqueue(k, 1, new long[] {groups * local}, new long[] {local});
    }

    /** Work items per row for the row kernels: 1 for short rows, else a power of two up to 256. */
    private static int rowLocal(ClKernel k, long cols) {
        if (cols <= 32) {
            return 1;
        }
        return powerOfTwoAtMost(Math.min(Math.min(LOCAL, k.maxLocal), ceilPowerOfTwo(cols)));
    }

    private void enqueue(ClKernel k, int dims, long[] global, long[] local) {
        clEnqueueNDRangeKernel(queue, k.kernel, dims, null, global, local, 0, null, null);
        flushSoon(FLUSH_EVERY);
    }

    private void flushSoon(int every) {
        if (++unflushed >= every) {
            clFlush(queue);
            unflushed = 0;
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the OpenCL backend on " + deviceName() + " is closed");
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long ceilPowerOfTwo(long v) {
        return v <= 1 ? 1 : Long.highestOneBit(v - 1) << 1;
    }

    private static int powerOfTwoAtMost(long v) {
        return (int) Long.highestOneBit(Math.max(1, v));
    }
}
