package dev.nabla.cpu;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.BufferPool;
import dev.nabla.backend.Compositions;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.HostRows;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.Philox;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;
import java.util.EnumMap;
import java.util.Map;

/**
 * The CPU backend: Java arrays, loops over contiguous chunks, the backend's own threads
 * ({@link Parallel}) for large work. Synchronous, so {@link #synchronize()} has nothing to wait for. It supports
 * FLOAT32, FLOAT64 and INT32, and is the reference the other backends are checked against.
 */
public final class CpuBackend implements Backend {
    private final Map<DType, BufferPool<Object>> pools = new EnumMap<>(DType.class);

    CpuBackend() {
        for (DType dtype : DType.values()) {
            pools.put(dtype, new BufferPool<>(new HeapDevice(dtype)));
        }
        LaneKernels.selected(); // choose the elementwise kernels now, and say at start-up when they are scalar
        GemmKernels.selected(); // choose (and log) the GEMM now, at start-up, not in the middle of a first step
    }

    /** Heap arrays as the "device" behind a pool. */
    private record HeapDevice(DType dtype) implements BufferPool.Device<Object> {
        @Override
        public Object allocate(long bytes) {
            long elements = bytes / dtype.bytes();
            if (elements > Integer.MAX_VALUE - 8) {
                return null;
            }
            try {
                return switch (dtype) {
                    case FLOAT32 -> new float[(int) elements];
                    case FLOAT64 -> new double[(int) elements];
                    case INT32 -> new int[(int) elements];
                };
            } catch (OutOfMemoryError e) {
                return null;
            }
        }

        @Override
        public void free(Object handle) {
            // the garbage collector reclaims it
        }

        @Override
        public long freeBytes() {
            Runtime rt = Runtime.getRuntime();
            return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }

        @Override
        public String name() {
            return "the cpu backend (Java heap)";
        }
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String deviceName() {
        return "CPU (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version().feature() + ")";
    }

    @Override
    public boolean supports(DType dtype) {
        return true;
    }

    // ---------------------------------------------------------------- memory

    @Override
    public DeviceBuffer allocate(DType dtype, long elements) {
        BufferPool.Block<Object> block = pools.get(dtype).acquire(Math.max(elements, 1) * dtype.bytes());
        return new CpuBuffer(this, dtype, block.handle(), block.bytes());
    }

    @Override
    public void release(DeviceBuffer buffer) {
        CpuBuffer b = (CpuBuffer) buffer;
        pools.get(b.dtype()).release(new BufferPool.Block<>(b.array, b.bucketBytes));
    }

    @Override
    public MemoryStats memoryStats() {
        long buffers = 0, bytes = 0, cached = 0, allocations = 0, frees = 0;
        for (BufferPool<Object> pool : pools.values()) {
            MemoryStats s = pool.stats();
            buffers += s.liveBuffers();
            bytes += s.liveBytes();
            cached += s.cachedBytes();
            allocations += s.driverAllocations();
            frees += s.driverFrees();
        }
        return new MemoryStats(buffers, bytes, cached, allocations, frees);
    }

    @Override
    public void emptyCache() {
        pools.values().forEach(BufferPool::emptyCache);
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length) {
        System.arraycopy(hostArray, srcOffset, array(dst), (int) dstOffset, length);
    }

    /**
     * Straight into the buffer, both cores taking rows when the batch is large: the rows lie
     * scattered in memory, so one core alone mostly waits on each.
     */
    @Override
    public void writeRows(
            DeviceBuffer dst, long dstOffset, float[] source, int rowLength, int[] rows, int first, int count) {
        float[] target = (float[]) array(dst);
        int at = Math.toIntExact(dstOffset);
        if (FloatPaths.split((long) count * rowLength) && count > 1) {
            Parallel.split(
                    count,
                    Parallel.THREADS,
                    1,
                    (from, to) -> HostRows.copy(
                            source, rowLength, rows, first + from, to - from, target, at + from * rowLength));
        } else {
            HostRows.copy(source, rowLength, rows, first, count, target, at);
        }
    }

    /** Its buffers are Java arrays: batches are gathered into them from the host's data set directly. */
    @Override
    public boolean hostAddressable() {
        return true;
    }

    @Override
    public void gatherRows(View source, View rows, View out) {
        if (!FloatPaths.isFloat(out) || out.size() == 0) {
            Compositions.gatherRows(this, source, rows, out);
            return;
        }
        int count = out.shape()[0], rowLength = out.shape()[1];
        float[] from = FloatPaths.floats(source), to = FloatPaths.floats(out);
        int[] index = (int[]) array(rows.buffer());
        int src = (int) source.offset(), dst = (int) out.offset(), first = (int) rows.offset();
        Parallel.Range copy = (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                System.arraycopy(from, src + index[first + k] * rowLength, to, dst + k * rowLength, rowLength);
            }
        };
        if (FloatPaths.split((long) count * rowLength) && count > 1) {
            Parallel.split(count, Parallel.THREADS, 1, copy);
        } else {
            copy.run(0, count);
        }
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
        System.arraycopy(array(src), (int) srcOffset, hostArray, dstOffset, length);
    }

    @Override
    public void synchronize() {
        // work is done when each call returns
    }

    private static Object array(DeviceBuffer buffer) {
        return ((CpuBuffer) buffer).array;
    }

    private static Object array(View view) {
        return ((CpuBuffer) view.buffer()).array;
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void fill(View out, double value) {
        if (FloatPaths.fill(out, value)) {
            return;
        }
        Object o = array(out);
        Strided.of(out).forEach(1, (off, st, n, s) -> {
            java.util.Arrays.fill(s[0], 0, n, value);
            Arrays3.store(s[0], o, off[0], st[0], n);
        });
    }

    @Override
    public void copy(View src, View dst) {
        if (FloatPaths.copy(src, dst) || FloatStrided.copy(src, dst)) {
            return;
        }
        Object x = array(src), o = array(dst);
        Strided.of(dst, src).forEach(1, (off, st, n, s) -> {
            Arrays3.load(x, off[1], st[1], s[0], n);
            if (o instanceof int[]) {
                for (int i = 0; i < n; i++) {
                    s[0][i] = (long) s[0][i]; // float to int truncates toward zero
                }
            }
            Arrays3.store(s[0], o, off[0], st[0], n);
        });
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double a, double b) {
        if (FloatPaths.unary(op, x, out, a, b) || FloatStrided.unary(op, x, out, a, b)) {
            return;
        }
        Object xa = array(x), o = array(out);
        Strided.of(out, x).forEach(1, (off, st, n, s) -> {
            Arrays3.load(xa, off[1], st[1], s[0], n);
            ChunkKernels.unary(op, s[0], s[0], n, a, b);
            Arrays3.store(s[0], o, off[0], st[0], n);
        });
    }

    @Override
    public void binary(BinaryOp op, View x, View y, View out, double a) {
        if (FloatPaths.binary(op, x, y, out, a) || FloatStrided.binary(op, x, y, out, a)) {
            return;
        }
        Object xa = array(x), ya = array(y), o = array(out);
        Strided.of(out, x, y).forEach(2, (off, st, n, s) -> {
            Arrays3.load(xa, off[1], st[1], s[0], n);
            Arrays3.load(ya, off[2], st[2], s[1], n);
            ChunkKernels.binary(op, s[0], s[1], s[0], n, a);
            Arrays3.store(s[0], o, off[0], st[0], n);
        });
    }

    @Override
    public void where(View cond, View x, View y, View out) {
        Object c = array(cond), xa = array(x), ya = array(y), o = array(out);
        Strided.of(out, cond, x, y).forEach(3, (off, st, n, s) -> {
            Arrays3.load(c, off[1], st[1], s[0], n);
            Arrays3.load(xa, off[2], st[2], s[1], n);
            Arrays3.load(ya, off[3], st[3], s[2], n);
            for (int i = 0; i < n; i++) {
                s[0][i] = s[0][i] != 0 ? s[1][i] : s[2][i];
            }
            Arrays3.store(s[0], o, off[0], st[0], n);
        });
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        if (FloatReductions.reduce(op, x, reducedAxes, out)) {
            return;
        }
        Reductions.reduce(op, x, reducedAxes, out);
    }

    @Override
    public void matmul(View a, boolean transposeA, View b, boolean transposeB, View out) {
        Gemm.matmul(a, transposeA, b, transposeB, out);
    }

    // ---------------------------------------------------------------- fused

    @Override
    public void softmax(View x, View out, boolean log) {
        RowKernels.softmax(x, out, log);
    }

    @Override
    public void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        RowKernels.softmaxCrossEntropy(logits, targets, loss, probs);
    }

    @Override
    public void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        RowKernels.softmaxCrossEntropyBackward(probs, targets, gradLoss, out);
    }

    @Override
    public void oneHot(View indices, View out) {
        int[] idx = (int[]) array(indices);
        Object o = array(out);
        int n = out.shape()[0], classes = out.shape()[1];
        double[] row = new double[classes];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(row, 0);
            int label = idx[(int) (indices.offset() + i * indices.strides()[0])];
            if (label >= 0 && label < classes) {
                row[label] = 1;
            }
            Arrays3.store(row, o, out.offset() + (long) i * classes, 1, classes);
        }
    }

    @Override
    public void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        RowKernels.biasActivation(x, bias, activation, a, out);
    }

    @Override
    public void biasActivationBackward(
            View out, View gradOut, UnaryOp activation, double a, View gradIn, View gradBias) {
        BinaryOp derivative = BinaryOp.outputDerivativeOf(activation);
        if (derivative == null || !RowKernels.biasActivationBackward(out, gradOut, derivative, a, gradIn, gradBias)) {
            Backend.super.biasActivationBackward(out, gradOut, activation, a, gradIn, gradBias);
        }
    }

    @Override
    public void im2col(View input, Window2d window, int groups, double padValue, View cols) {
        if (!WindowKernels.im2col(input, window, groups, padValue, cols)) {
            Backend.super.im2col(input, window, groups, padValue, cols);
        }
    }

    @Override
    public void col2im(View cols, Window2d window, int groups, View gradInput) {
        if (!WindowKernels.col2im(cols, window, groups, gradInput)) {
            Backend.super.col2im(cols, window, groups, gradInput);
        }
    }

    @Override
    public void maxPool2d(View input, Window2d window, View out, View argmax) {
        if (!WindowKernels.maxPool2d(input, window, out, argmax)) {
            Backend.super.maxPool2d(input, window, out, argmax);
        }
    }

    @Override
    public void maxPool2dBackward(View gradOut, View argmax, Window2d window, View gradInput) {
        if (!WindowKernels.maxPool2dBackward(gradOut, argmax, window, gradInput)) {
            Backend.super.maxPool2dBackward(gradOut, argmax, window, gradInput);
        }
    }

    @Override
    public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
        Object o = array(out);
        Strided.of(out).forEach(1, (off, st, n, s) -> {
            long first = off[0] - out.offset(); // contiguous output: the element index
            for (int i = 0; i < n; i++) {
                s[0][i] = Philox.sample(kind, seed, counter, first + i, a, b);
            }
            Arrays3.store(s[0], o, off[0], st[0], n);
        });
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdUpdate(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        Optimizers.sgd(param, grad, velocity, lr, momentum, nesterov);
    }

    @Override
    public void rmspropUpdate(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        Optimizers.rmsprop(param, grad, meanSquare, lr, rho, eps);
    }

    @Override
    public void adamUpdate(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        Optimizers.adam(param, grad, m, v, alpha, beta1, beta2, eps, decay);
    }

    @Override
    public void close() {
        emptyCache();
    }
}
