package dev.nabla.cuda;

import static dev.nabla.cuda.CudaCallException.check;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendUnavailableException;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.BufferPool;
import dev.nabla.backend.CaptureUnsupportedException;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.HostArrays;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.OpCodes;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.StepGraph;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.nio.ByteOrder;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nabla on one NVIDIA GPU: JCuda's driver API, Nabla's own kernels (PTX from nabla-kernels) for
 * every primitive, cuBLAS for matrix products.
 *
 * <ul>
 *   <li><b>Context.</b> The device's primary context (the one the CUDA runtime and cuBLAS use),
 *       made current on whichever thread calls, once per thread.</li>
 *   <li><b>One stream.</b> Every kernel, copy and GEMM is queued on one non-blocking stream, in
 *       call order, with no synchronization between them; {@link #read} and {@link #synchronize}
 *       wait.</li>
 *   <li><b>Caching allocator.</b> {@link BufferPool} over cuMemAlloc/cuMemFree: after the first
 *       training step every buffer comes from the cache. Reusing a released block is safe because
 *       all work is ordered on the one stream.</li>
 *   <li><b>Pinned staging.</b> Host transfers go through page-locked buffers, so {@link #write}
 *       returns as soon as the data is staged.</li>
 *   <li><b>TF32.</b> Off unless {@code -Dnabla.cuda.tf32=true}.</li>
 * </ul>
 *
 * <pre>{@code
 * Backend cuda = Backends.use("cuda");          // or NABLA_BACKEND=cuda
 * Tensor y = Tensor.randn(new int[] {1024, 1024}).matmul(w);
 * }</pre>
 */
public final class CudaBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);
    /** The system property that allows TF32 tensor-core math in FP32 GEMMs. */
    public static final String TF32_PROPERTY = "nabla.cuda.tf32";

    private static final int THREADS = 256;
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    private final int deviceIndex;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String deviceName;
    private final int multiprocessors;
    private final int maxBlocks;
    private final boolean tf32;
    private final BufferPool<CUdeviceptr> pool;
    private final KernelLauncher kernels;
    private final PinnedStaging staging;
    private CublasGemm cublas;
    private volatile boolean closed;
    /** The graph being captured, or null. */
    private volatile CudaGraph capturing;

    /** Opens device {@code deviceIndex}; use {@link CudaBackendProvider#create}. */
    CudaBackend(int deviceIndex) {
        Availability driver = CudaProbe.driver();
        if (!driver.available()) {
            throw new BackendUnavailableException("backend 'cuda' is unavailable: " + driver.detail());
        }
        int[] count = new int[1];
        check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (deviceIndex < 0 || deviceIndex >= count[0]) {
            throw new BackendUnavailableException("CUDA device " + deviceIndex + " does not exist: this machine has "
                    + count[0] + " (expected an index from 0 to " + (count[0] - 1) + ")");
        }
        this.deviceIndex = deviceIndex;
        check(JCudaDriver.cuDeviceGet(device, deviceIndex), "cuDeviceGet(" + deviceIndex + ")");
        int capability = CudaProbe.capability(device);
        String name = CudaProbe.deviceName(device);
        if (capability < CudaProbe.REQUIRED_CAPABILITY) {
            throw new BackendUnavailableException(
                    "CUDA device " + deviceIndex + " (" + name + ") has compute capability " + capability / 10 + "."
                            + capability % 10 + "; Nabla's PTX needs 7.5 or newer");
        }
        this.deviceName = name + " (device " + deviceIndex + ")";
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        enter();
        int[] sms = new int[1];
        check(
                JCudaDriver.cuDeviceGetAttribute(
                        sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device),
                "cuDeviceGetAttribute(MULTIPROCESSOR_COUNT)");
        this.multiprocessors = Math.max(1, sms[0]);
        this.maxBlocks = multiprocessors * 16;
        check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        this.tf32 = Boolean.getBoolean(TF32_PROPERTY);
        this.pool = new BufferPool<>(new DeviceMemory(this));
        this.kernels = new KernelLauncher(stream);
        this.staging = new PinnedStaging(stream);
        LOG.debug(
                "CUDA backend on {}: {} multiprocessors, TF32 {}",
                deviceName,
                multiprocessors,
                tf32 ? "allowed" : "off");
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public boolean supports(DType dtype) {
        return true; // FLOAT32, FLOAT64 (slow on consumer GPUs, but right) and INT32
    }

    /** Makes this backend's context current on the calling thread (once per thread). */
    void enter() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend on " + deviceName + " is closed");
        }
        if (CURRENT.get() != context) {
            check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            CURRENT.set(context);
        }
    }

    /** Whether FP32 matrix products may use TF32 tensor cores ({@code -Dnabla.cuda.tf32=true}). */
    public boolean tf32() {
        return tf32;
    }

    /** The cuBLAS math mode of this backend's handle (creates the handle; needs cuBLAS). */
    int cublasMathMode() {
        enter();
        return cublas().mathMode();
    }

    /** JIT-compiles every PTX module now instead of at first use. */
    void loadAllKernels() {
        enter();
        kernels.loadAll();
    }

    // ---------------------------------------------------------------- memory and transfer

    @Override
    public DeviceBuffer allocate(DType dtype, long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("cannot allocate " + elements + " elements; expected a count ≥ 0");
        }
        enter();
        long bytes = Math.multiplyExact(elements, (long) dtype.bytes());
        CudaGraph graph = capturing;
        if (graph != null) {
            return new CudaBuffer(this, dtype, graph.pool.acquire(bytes), graph);
        }
        return new CudaBuffer(this, dtype, pool.acquire(bytes));
    }

    @Override
    public void release(DeviceBuffer buffer) {
        CudaBuffer b = own(buffer);
        if (b.released || closed) {
            return; // after close() the context and every block are gone already
        }
        b.released = true;
        if (b.graph != null) {
            b.graph.pool.release(b.block); // the graph's private pool, never the shared cache
            if (b.graph.closed()) {
                b.graph.pool.emptyCache();
            }
        } else if (capturing != null) {
            capturing.held.add(b); // the graph may read it: back to the cache when the graph closes
        } else {
            pool.release(b.block);
        }
    }

    @Override
    public MemoryStats memoryStats() {
        return pool.stats();
    }

    @Override
    public void emptyCache() {
        enter();
        pool.emptyCache();
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length) {
        CudaBuffer b = own(dst);
        checkTransfer("write", b, dstOffset, hostArray, srcOffset, length);
        if (length == 0) {
            return;
        }
        enter();
        CudaGraph graph = capturing;
        if (graph != null) {
            // recorded as a constant: the values now, in pinned memory of the graph's own that no later write reuses
            long bytes = (long) length * b.dtype().bytes();
            Pointer host = new Pointer();
            check(JCudaDriver.cuMemAllocHost(host, bytes), "cuMemAllocHost(" + bytes + " bytes)");
            graph.pinned.add(host);
            HostArrays.put(host.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder()), hostArray, srcOffset, length);
            check(
                    JCudaDriver.cuMemcpyHtoDAsync(b.at(dstOffset), host, bytes, stream),
                    "cuMemcpyHtoDAsync(" + bytes + " bytes, captured)");
            return;
        }
        inChunks(b, length, (slot, done, count, bytes) -> {
            HostArrays.put(slot.buffer.clear(), hostArray, srcOffset + done, count);
            check(
                    JCudaDriver.cuMemcpyHtoDAsync(b.at(dstOffset + done), slot.host, bytes, stream),
                    "cuMemcpyHtoDAsync(" + bytes + " bytes)");
            staging.queued(slot);
        });
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
        refuseWhileCapturing("a host read");
        CudaBuffer b = own(src);
        checkTransfer("read", b, srcOffset, hostArray, dstOffset, length);
        enter();
        if (length == 0) {
            synchronize();
            return;
        }
        inChunks(b, length, (slot, done, count, bytes) -> {
            check(
                    JCudaDriver.cuMemcpyDtoHAsync(slot.host, b.at(srcOffset + done), bytes, stream),
                    "cuMemcpyDtoHAsync(" + bytes + " bytes)");
            check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
            HostArrays.get(slot.buffer.clear(), hostArray, dstOffset + done, count);
        });
    }

    /** One chunk of a transfer through {@link #staging}: elements [done, done + count) of it, bytes long, in slot. */
    @FunctionalInterface
    private interface Chunk {
        void transfer(PinnedStaging.Slot slot, int done, int count, long bytes);
    }

    /** A transfer of length elements of b's type cut into chunks that fit a staging slot, each in its own slot. */
    private void inChunks(CudaBuffer b, int length, Chunk chunk) {
        int elementBytes = b.dtype().bytes();
        int perChunk = (int) (PinnedStaging.CHUNK_BYTES / elementBytes);
        synchronized (staging) {
            for (int done = 0; done < length; done += perChunk) {
                int count = Math.min(perChunk, length - done);
                long bytes = (long) count * elementBytes;
                chunk.transfer(staging.acquire(bytes), done, count, bytes);
            }
        }
    }

    private static void checkTransfer(
            String what, CudaBuffer b, long deviceOffset, Object hostArray, int hostOffset, int length) {
        Class<?> expected = switch (b.dtype()) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT32 -> int[].class;
        };
        if (hostArray == null || hostArray.getClass() != expected) {
            throw new IllegalArgumentException(
                    what + ": a " + b.dtype() + " buffer takes a " + expected.getSimpleName() + ", got "
                            + (hostArray == null ? "null" : hostArray.getClass().getSimpleName()));
        }
        int hostLength = java.lang.reflect.Array.getLength(hostArray);
        if (length < 0
                || hostOffset < 0
                || hostOffset + (long) length > hostLength
                || deviceOffset < 0
                || deviceOffset + length > b.capacity()) {
            throw new IllegalArgumentException(what + ": " + length + " elements at host offset " + hostOffset
                    + " (array of " + hostLength + ") and device offset " + deviceOffset + " (buffer of "
                    + b.capacity() + ") are out of bounds");
        }
    }

    @Override
    public void synchronize() {
        refuseWhileCapturing("synchronize");
        enter();
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void fill(View out, double value) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        enter();
        Layout l = Layout.of(out.shape(), out.strides());
        if (l.contiguous(0) && out.dtype().bytes() == 4) {
            int bits = out.dtype() == DType.FLOAT32 ? Float.floatToRawIntBits((float) value) : (int) value;
            check(JCudaDriver.cuMemsetD32Async(devicePointer(out), bits, n, stream), "cuMemsetD32Async");
            return;
        }
        kernels.launch(
                Kernels.FILL.of(out.dtype()),
                blocks(n),
                THREADS,
                pointer(out),
                l.shapeParam(),
                l.stridesParam(0),
                n,
                value);
    }

    @Override
    public void copy(View src, View dst) {
        long n = dst.size();
        if (n == 0) {
            return;
        }
        enter();
        Layout l = Layout.of(dst.shape(), src.strides(), dst.strides());
        if (src.dtype() == dst.dtype() && l.allContiguous()) {
            check(
                    JCudaDriver.cuMemcpyDtoDAsync(
                            devicePointer(dst),
                            devicePointer(src),
                            n * dst.dtype().bytes(),
                            stream),
                    "cuMemcpyDtoDAsync");
            return;
        }
        kernels.launch(
                Kernels.COPY[src.dtype().ordinal()][dst.dtype().ordinal()],
                blocks(n),
                THREADS,
                pointer(src),
                l.shapeParam(),
                l.stridesParam(0),
                pointer(dst),
                l.stridesParam(1),
                n);
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double a, double b) {
        if (!x.dtype().isFloating()) {
            floating("unary " + op, x.dtype());
        }
        long n = out.size();
        if (n == 0) {
            return;
        }
        enter();
        int code = OpCodes.of(op);
        Layout l = Layout.of(out.shape(), x.strides(), out.strides());
        if (l.allContiguous()) {
            kernels.launch(
                    Kernels.UNARY.of(x.dtype()), blocks((n + 3) / 4), THREADS, code, pointer(x), pointer(out), n, a, b);
        } else {
            kernels.launch(
                    Kernels.UNARY_STRIDED.of(x.dtype()),
                    blocks(n),
                    THREADS,
                    code,
                    pointer(x),
                    l.shapeParam(),
                    l.stridesParam(0),
                    pointer(out),
                    l.stridesParam(1),
                    n,
                    a,
                    b);
        }
    }

    @Override
    public void binary(BinaryOp op, View x, View y, View out, double a) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        enter();
        int code = OpCodes.of(op);
        Layout l = Layout.of(out.shape(), x.strides(), y.strides(), out.strides());
        if (l.allContiguous()) {
            kernels.launch(
                    Kernels.BINARY.of(x.dtype()),
                    blocks((n + 3) / 4),
                    THREADS,
                    code,
                    pointer(x),
                    pointer(y),
                    pointer(out),
                    n,
                    a);
        } else {
            kernels.launch(
                    Kernels.BINARY_STRIDED.of(x.dtype()),
                    blocks(n),
                    THREADS,
                    code,
                    pointer(x),
                    pointer(y),
                    pointer(out),
                    l.shapeParam(),
                    l.stridesParam(0),
                    l.stridesParam(1),
                    l.stridesParam(2),
                    n,
                    a);
        }
    }

    @Override
    public void where(View cond, View x, View y, View out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        enter();
        if (cond.dtype() != x.dtype()) {
            throw new IllegalArgumentException(
                    "where on CUDA takes a condition of the values' type " + x.dtype() + ", got " + cond.dtype());
        }
        Layout l = Layout.of(out.shape(), cond.strides(), x.strides(), y.strides(), out.strides());
        kernels.launch(
                Kernels.WHERE.of(x.dtype()),
                blocks(n),
                THREADS,
                pointer(cond),
                pointer(x),
                pointer(y),
                pointer(out),
                l.shapeParam(),
                l.stridesParam(0),
                l.stridesParam(1),
                l.stridesParam(2),
                l.stridesParam(3),
                n);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        int rank = x.rank();
        if (reducedAxes < 0 || reducedAxes > rank) {
            throw new IllegalArgumentException(
                    "reduce: cannot reduce " + reducedAxes + " trailing axes of a rank-" + rank + " view");
        }
        int outerRank = rank - reducedAxes;
        int[] outerShape = Arrays.copyOfRange(x.shape(), 0, outerRank);
        int[] innerShape = Arrays.copyOfRange(x.shape(), outerRank, rank);
        long outerCount = product(outerShape);
        long innerCount = product(innerShape);
        if (outerCount == 0) {
            return;
        }
        enter();
        Layout outer = Layout.of(outerShape, Arrays.copyOfRange(x.strides(), 0, outerRank));
        Layout inner = Layout.of(innerShape, Arrays.copyOfRange(x.strides(), outerRank, rank));
        int code = OpCodes.of(op);
        DType type = x.dtype();
        DeviceAddress xp = pointer(x);
        DeviceAddress outp = pointer(out);
        boolean innerUnit = inner.rank() == 0 || inner.stride(0, inner.rank() - 1) == 1;
        if (!innerUnit && outerCount >= 256) {
            // column-like: 32 neighbouring outputs per block, 8 threads each over the reduced elements
            int grid = (int) Math.min((outerCount + 31) / 32, maxBlocks);
            kernels.launch2d(
                    Kernels.REDUCE_COLS.of(type),
                    grid,
                    1,
                    32,
                    8,
                    code,
                    xp,
                    outer.shapeParam(),
                    outer.stridesParam(0),
                    inner.shapeParam(),
                    inner.stridesParam(0),
                    outerCount,
                    innerCount,
                    outp);
            return;
        }
        int threads = innerCount >= THREADS ? THREADS : (int) Math.max(32, (innerCount + 31) / 32 * 32);
        int grid = (int) Math.min(outerCount, maxBlocks);
        int splits = 1;
        if (outerCount < multiprocessors && innerCount >= 65536) {
            // few outputs, many elements: split each row over several blocks, then combine the partials
            splits = (int) Math.min(
                    1024, Math.min((innerCount + 16383) / 16384, Math.max(1, multiprocessors * 4L / outerCount)));
        }
        long chunk = (innerCount + splits - 1) / splits;
        splits = (int) Math.max(1, (innerCount + chunk - 1) / Math.max(chunk, 1));
        if (splits == 1) {
            kernels.launch2d(
                    Kernels.REDUCE_ROWS.of(type),
                    grid,
                    1,
                    threads,
                    1,
                    code,
                    xp,
                    outer.shapeParam(),
                    outer.stridesParam(0),
                    inner.shapeParam(),
                    inner.stridesParam(0),
                    outerCount,
                    innerCount,
                    Math.max(innerCount, 1L),
                    outp,
                    outp,
                    outp);
            return;
        }
        long partials = outerCount * splits;
        long valueBytes = (partials * type.bytes() + 7) / 8 * 8;
        BufferPool.Block<CUdeviceptr> scratch = pool.acquire(valueBytes + partials * 8);
        try {
            long base = ((DevicePointer) scratch.handle()).address();
            DeviceAddress values = new DeviceAddress(base);
            DeviceAddress indices = new DeviceAddress(base + valueBytes);
            kernels.launch2d(
                    Kernels.REDUCE_ROWS.of(type),
                    grid,
                    splits,
                    threads,
                    1,
                    code,
                    xp,
                    outer.shapeParam(),
                    outer.stridesParam(0),
                    inner.shapeParam(),
                    inner.stridesParam(0),
                    outerCount,
                    innerCount,
                    chunk,
                    outp,
                    values,
                    indices);
            int finishThreads = (int) Math.min(THREADS, (splits + 31) / 32 * 32);
            kernels.launch(
                    Kernels.REDUCE_FINISH.of(type),
                    grid,
                    finishThreads,
                    code,
                    values,
                    indices,
                    outerCount,
                    splits,
                    outp);
        } finally {
            pool.release(scratch); // later work on the stream runs after the kernels that use it
        }
    }

    // ---------------------------------------------------------------- matrix multiply

    @Override
    public void matmul(View a, boolean transposeA, View b, boolean transposeB, View out) {
        int batch = out.shape()[0];
        int m = out.shape()[1];
        int n = out.shape()[2];
        int k = transposeA ? a.shape()[1] : a.shape()[2];
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            fill(out, 0);
            return;
        }
        floating("matmul", a.dtype());
        enter();
        CublasGemm gemm = cublas();
        Operand left = operand(a);
        Operand right = operand(b);
        try {
            long strideA = left.batchStride;
            long strideB = right.batchStride;
            int rows = m;
            int count = batch;
            if (batch > 1
                    && strideB == 0
                    && !transposeA
                    && strideA == (long) m * left.ld
                    && (long) m * batch <= Integer.MAX_VALUE) {
                rows = m * batch; // one weight matrix for stacked inputs: a single larger GEMM
                count = 1;
            }
            gemm.gemm(
                    a.dtype(),
                    transposeA,
                    transposeB,
                    rows,
                    n,
                    k,
                    left.pointer,
                    left.ld,
                    strideA,
                    right.pointer,
                    right.ld,
                    strideB,
                    devicePointer(out),
                    (long) m * n,
                    count);
        } finally {
            left.release();
            right.release();
        }
    }

    /** A matmul operand as cuBLAS takes it: unit column stride and a leading dimension ≥ its columns. */
    private final class Operand {
        final CUdeviceptr pointer;
        final int ld;
        final long batchStride;
        final DeviceBuffer temporary;

        Operand(CUdeviceptr pointer, int ld, long batchStride, DeviceBuffer temporary) {
            this.pointer = pointer;
            this.ld = ld;
            this.batchStride = batchStride;
            this.temporary = temporary;
        }

        void release() {
            if (temporary != null) {
                CudaBackend.this.release(temporary);
            }
        }
    }

    private Operand operand(View v) {
        int rows = v.shape()[1];
        int cols = v.shape()[2];
        long batchStride = v.shape()[0] <= 1 ? 0 : v.strides()[0];
        boolean unitColumns = cols <= 1 || v.strides()[2] == 1;
        long ld = rows <= 1 ? Math.max(1, cols) : v.strides()[1];
        if (unitColumns && ld >= Math.max(1, cols) && ld <= Integer.MAX_VALUE) {
            return new Operand(devicePointer(v), (int) ld, batchStride, null);
        }
        // a layout cuBLAS cannot read (e.g. a row broadcast with stride 0): a contiguous copy
        DeviceBuffer copy = allocate(v.dtype(), v.size());
        copy(v, View.contiguous(copy, v.shape()));
        return new Operand(
                ((CudaBuffer) copy).at(0), Math.max(1, cols), v.shape()[0] <= 1 ? 0 : (long) rows * cols, copy);
    }

    private CublasGemm cublas() {
        if (cublas == null) {
            Availability available = CudaProbe.cublas();
            if (!available.available()) {
                throw new IllegalStateException(
                        "cuBLAS missing: matmul on CUDA needs cuBLAS (" + available.detail() + "); see docs/cuda.md");
            }
            cublas = new CublasGemm(stream, tf32);
        }
        return cublas;
    }

    // ---------------------------------------------------------------- fused kernels

    @Override
    public void softmax(View x, View out, boolean log) {
        int rows = x.shape()[0];
        int cols = x.shape()[1];
        if (rows == 0 || cols == 0) {
            return;
        }
        floating("softmax", x.dtype());
        enter();
        if (cols <= 1024) {
            kernels.launch(
                    Kernels.SOFTMAX_WARP.of(x.dtype()),
                    warpRowBlocks(rows),
                    THREADS,
                    pointer(x),
                    pointer(out),
                    (long) rows,
                    cols,
                    log ? 1 : 0);
        } else {
            kernels.launch(
                    Kernels.SOFTMAX_BLOCK.of(x.dtype()),
                    Math.min(rows, maxBlocks),
                    THREADS,
                    pointer(x),
                    pointer(out),
                    (long) rows,
                    cols,
                    log ? 1 : 0);
        }
    }

    @Override
    public void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        int rows = logits.shape()[0];
        int cols = logits.shape()[1];
        if (rows == 0) {
            return;
        }
        floating("softmaxCrossEntropy", logits.dtype());
        enter();
        if (cols == 0) {
            fill(loss, 0);
            return;
        }
        if (cols <= 1024) {
            kernels.launch(
                    Kernels.XENT_WARP.of(logits.dtype()),
                    warpRowBlocks(rows),
                    THREADS,
                    pointer(logits),
                    pointer(targets),
                    pointer(loss),
                    pointer(probs),
                    (long) rows,
                    cols);
        } else {
            kernels.launch(
                    Kernels.XENT_BLOCK.of(logits.dtype()),
                    Math.min(rows, maxBlocks),
                    THREADS,
                    pointer(logits),
                    pointer(targets),
                    pointer(loss),
                    pointer(probs),
                    (long) rows,
                    cols);
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        floating("softmaxCrossEntropyBackward", probs.dtype());
        enter();
        kernels.launch(
                Kernels.XENT_BACKWARD.of(probs.dtype()),
                blocks(n),
                THREADS,
                pointer(probs),
                pointer(targets),
                pointer(gradLoss),
                pointer(out),
                n,
                out.shape()[1]);
    }

    @Override
    public void gatherRows(View source, View rows, View out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        floating("gatherRows", out.dtype());
        enter();
        kernels.launch(
                Kernels.GATHER_ROWS.of(out.dtype()),
                blocks(n),
                THREADS,
                pointer(source),
                pointer(rows),
                pointer(out),
                n,
                out.shape()[1]);
    }

    @Override
    public void oneHot(View indices, View out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        floating("oneHot (output)", out.dtype());
        enter();
        kernels.launch(
                Kernels.ONE_HOT.of(out.dtype()), blocks(n), THREADS, pointer(indices), pointer(out), n, out.shape()[1]);
    }

    @Override
    public void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        long n = out.size();
        if (n == 0) {
            return;
        }
        floating("biasActivation", x.dtype());
        enter();
        int code = activation == null ? OpCodes.IDENTITY : OpCodes.of(activation);
        kernels.launch(
                Kernels.BIAS_ACTIVATION.of(x.dtype()),
                blocks(n),
                THREADS,
                pointer(x),
                pointer(bias),
                pointer(out),
                n,
                out.shape()[1],
                code,
                a);
    }

    @Override
    public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
        refuseWhileCapturing("a random draw (its Philox counter would be baked into the graph)");
        long n = out.size();
        if (n == 0) {
            return;
        }
        floating("random", out.dtype());
        enter();
        kernels.launch(
                Kernels.RANDOM.of(out.dtype()),
                blocks(kind.blocksFor(n)),
                THREADS,
                OpCodes.of(kind),
                seed,
                counter,
                a,
                b,
                pointer(out),
                n);
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void sgdUpdate(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        long n = param.size();
        if (n == 0) {
            return;
        }
        floating("sgdUpdate", param.dtype());
        enter();
        DeviceAddress p = pointer(param);
        kernels.launch(
                Kernels.SGD.of(param.dtype()),
                blocks(n),
                THREADS,
                p,
                pointer(grad),
                velocity == null ? p : pointer(velocity),
                n,
                lr,
                momentum,
                nesterov ? 1 : 0,
                velocity == null ? 0 : 1);
    }

    @Override
    public void rmspropUpdate(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        long n = param.size();
        if (n == 0) {
            return;
        }
        floating("rmspropUpdate", param.dtype());
        enter();
        kernels.launch(
                Kernels.RMSPROP.of(param.dtype()),
                blocks(n),
                THREADS,
                pointer(param),
                pointer(grad),
                pointer(meanSquare),
                n,
                lr,
                rho,
                eps);
    }

    @Override
    public void adamUpdate(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        long n = param.size();
        if (n == 0) {
            return;
        }
        floating("adamUpdate", param.dtype());
        enter();
        kernels.launch(
                Kernels.ADAM.of(param.dtype()),
                blocks(n),
                THREADS,
                pointer(param),
                pointer(grad),
                pointer(m),
                pointer(v),
                n,
                alpha,
                beta1,
                beta2,
                eps,
                decay);
    }

    // ---------------------------------------------------------------- graph capture

    /**
     * Captures {@code step} from this backend's stream with the driver API's stream capture
     * (cuStreamBeginCapture in relaxed mode, so that the private pool may still cuMemAlloc;
     * cuStreamEndCapture; cuGraphInstantiate). Kernels, memsets and cuBLAS GEMMs (same stream) are
     * recorded, not run. Buffers allocated meanwhile come from the graph's private pool; a host write
     * is recorded as a constant (its values copied into pinned memory the graph owns); host reads,
     * synchronize and random draws throw {@link CaptureUnsupportedException} before touching the
     * driver, and the capture is ended and dropped. <b>Not yet run on a GPU</b>
     * (docs/cuda.md, "Graph capture").
     */
    @Override
    public synchronized StepGraph capture(Runnable step) {
        enter();
        if (capturing != null) {
            throw new IllegalStateException("capture inside a capture on " + deviceName);
        }
        CudaGraph graph = new CudaGraph(this);
        int begun = JCudaDriver.cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED);
        if (begun != CUresult.CUDA_SUCCESS) {
            throw new CaptureUnsupportedException("cuStreamBeginCapture failed: " + CUresult.stringFor(begun));
        }
        capturing = graph;
        CUgraph captured = new CUgraph();
        int ended;
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            capturing = null;
            if (JCudaDriver.cuStreamEndCapture(stream, captured) == CUresult.CUDA_SUCCESS) {
                JCudaDriver.cuGraphDestroy(captured);
            }
            graph.close();
            throw e;
        } finally {
            capturing = null;
        }
        ended = JCudaDriver.cuStreamEndCapture(stream, captured);
        if (ended != CUresult.CUDA_SUCCESS) {
            graph.close();
            throw new CaptureUnsupportedException("cuStreamEndCapture failed: " + CUresult.stringFor(ended)
                    + " (something in the step broke the stream capture)");
        }
        try {
            graph.instantiate(captured);
        } catch (CudaCallException e) {
            graph.close();
            throw new CaptureUnsupportedException("the captured step could not be instantiated: " + e.getMessage(), e);
        }
        return graph;
    }

    /** Launches an instantiated graph on the stream (asynchronous, like every compute call). */
    synchronized void launch(CudaGraph graph, CUgraphExec exec) {
        enter();
        if (capturing != null) {
            throw new IllegalStateException("replay inside a capture on " + deviceName);
        }
        check(JCudaDriver.cuGraphLaunch(exec, stream), "cuGraphLaunch");
    }

    /** Frees a graph: waits for its launches, destroys it, frees its pool and hands back the buffers it held. */
    synchronized void closeGraph(CudaGraph graph, CUgraphExec exec) {
        if (closed) {
            return; // the context is gone, and every block with it
        }
        enter();
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
        if (exec != null) {
            JCudaDriver.cuGraphExecDestroy(exec);
        }
        graph.pool.emptyCache(); // buffers still in use outside the graph are freed when released
        for (CudaBuffer b : graph.held) {
            pool.release(b.block);
        }
        graph.held.clear();
        for (Pointer host : graph.pinned) {
            JCudaDriver.cuMemFreeHost(host);
        }
        graph.pinned.clear();
    }

    private void refuseWhileCapturing(String what) {
        if (capturing != null) {
            throw new CaptureUnsupportedException(what + " inside a captured step on " + deviceName);
        }
    }

    // ---------------------------------------------------------------- lifetime

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        enter();
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
        if (cublas != null) {
            cublas.close();
            cublas = null;
        }
        pool.emptyCache();
        synchronized (staging) {
            staging.close();
        }
        kernels.close();
        JCudaDriver.cuStreamDestroy(stream);
        closed = true;
        CURRENT.remove();
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }

    @Override
    public String toString() {
        return "CudaBackend[" + deviceName + "]";
    }

    // ---------------------------------------------------------------- helpers

    /** Grid size for a grid-stride loop over {@code work} items. */
    private int blocks(long work) {
        return (int) Math.max(1, Math.min((work + THREADS - 1) / THREADS, maxBlocks));
    }

    /** Grid size for kernels with one warp per row (8 rows per block). */
    private int warpRowBlocks(long rows) {
        return (int) Math.max(1, Math.min((rows + 7) / 8, maxBlocks));
    }

    private CudaBuffer own(DeviceBuffer buffer) {
        if (buffer instanceof CudaBuffer b && b.backend() == this) {
            return b;
        }
        throw new IllegalArgumentException("the CUDA backend on " + deviceName + " was given a buffer of "
                + (buffer == null ? "null" : buffer.backend().name() + " (" + buffer + ")")
                + "; expected one it allocated");
    }

    /** The address of a view's first element, as a kernel argument. */
    private DeviceAddress pointer(View v) {
        return own(v.buffer()).address(v.offset());
    }

    /** The device pointer of a view's first element, for JCuda's copy, memset and cuBLAS calls. */
    private CUdeviceptr devicePointer(View v) {
        return own(v.buffer()).at(v.offset());
    }

    private static void floating(String what, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(what + " on CUDA takes FLOAT32 or FLOAT64, got " + dtype);
        }
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int extent : shape) {
            n *= extent;
        }
        return n;
    }

    int deviceIndex() {
        return deviceIndex;
    }
}
