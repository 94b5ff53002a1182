package dev.nabla.conformance;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.CaptureUnsupportedException;
import dev.nabla.backend.Compositions;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.HostRows;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.StepGraph;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Graph capture for any backend, done on the host: wraps a backend and implements
 * {@link Backend#capture} by recording every SPI call of the step as a closure over its views and
 * scalars, which {@link StepGraph#replay()} runs again in order. Outside a capture each call goes
 * straight to the wrapped backend, fused kernels included, so results are the wrapped backend's.
 *
 * <p>It follows {@link Backend#capture}'s contract to the letter, which makes the whole of
 * {@code fit}'s capture path testable on the cpu and opencl backends: recorded work does not run
 * during capture; a host read, {@link #synchronize()} or a random draw inside the step throws
 * {@link CaptureUnsupportedException}; a host write is recorded as a constant; buffers allocated
 * during capture come from the graph's private pool and go back to it, never to the wrapped
 * backend, until the graph is closed; buffers from before the capture released during it are held
 * until then too. The per-step-scalar forms read their rank-0 view when the work runs (at replay),
 * then call the wrapped backend's double form, exactly as its defaults do.
 *
 * <pre>{@code
 * Backend recording = new RecordingBackend(new CpuBackend());
 * model.backend(recording);   // fit now captures and replays its training step
 * }</pre>
 *
 * <p>Not thread-safe (one caller at a time, like the backends). Closing it closes nothing of the
 * wrapped backend, which the caller owns.
 */
public final class RecordingBackend implements Backend {
    private final Backend d;
    /** The graph being recorded, or null. */
    private Graph recording;
    /** Buffers of live graphs (allocated during their capture), by buffer. */
    private final Map<DeviceBuffer, Graph> owners = new IdentityHashMap<>();

    private long captures;
    private long replays;

    public RecordingBackend(Backend delegate) {
        this.d = delegate;
    }

    /** The wrapped backend. */
    public Backend delegate() {
        return d;
    }

    /** How many captures succeeded so far (for tests). */
    public long captures() {
        return captures;
    }

    /** How many replays ran so far (for tests). */
    public long replays() {
        return replays;
    }

    private void run(Runnable work) {
        if (recording != null) {
            recording.ops.add(work);
        } else {
            work.run();
        }
    }

    private void refuse(String what) {
        if (recording != null) {
            throw new CaptureUnsupportedException(what + " inside a captured step (" + d.name() + ")");
        }
    }

    // ---------------------------------------------------------------- capture

    @Override
    public StepGraph capture(Runnable step) {
        if (recording != null) {
            throw new IllegalStateException("capture inside a capture");
        }
        Graph graph = new Graph();
        recording = graph;
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            recording = null;
            graph.close();
            throw e;
        }
        recording = null;
        captures++;
        return graph;
    }

    private final class Graph implements StepGraph {
        final List<Runnable> ops = new ArrayList<>();
        /** Free buffers of the private pool. */
        final List<DeviceBuffer> pool = new ArrayList<>();
        /** Buffers from before the capture released during it, held until close (the graph may read them). */
        final List<DeviceBuffer> held = new ArrayList<>();

        boolean closed;

        DeviceBuffer take(DType dtype, long elements) {
            for (Iterator<DeviceBuffer> it = pool.iterator(); it.hasNext(); ) {
                DeviceBuffer b = it.next();
                if (b.dtype() == dtype && b.capacity() >= elements && b.capacity() <= 2 * Math.max(1, elements)) {
                    it.remove();
                    return b;
                }
            }
            DeviceBuffer b = d.allocate(dtype, elements);
            owners.put(b, this);
            return b;
        }

        @Override
        public void replay() {
            if (closed) {
                throw new IllegalStateException("replay of a closed graph");
            }
            if (recording != null) {
                throw new IllegalStateException("replay inside a capture");
            }
            for (Runnable op : ops) {
                op.run();
            }
            replays++;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            ops.clear();
            // buffers still in use outside the graph become ordinary ones; the rest go back
            owners.values().removeIf(g -> g == this);
            pool.forEach(d::release);
            held.forEach(d::release);
            pool.clear();
            held.clear();
        }
    }

    // ---------------------------------------------------------------- memory and transfer

    @Override
    public String name() {
        return d.name();
    }

    @Override
    public String deviceName() {
        return d.deviceName() + ", recording";
    }

    @Override
    public boolean supports(DType dtype) {
        return d.supports(dtype);
    }

    @Override
    public boolean hostAddressable() {
        return d.hostAddressable();
    }

    @Override
    public DeviceBuffer allocate(DType dtype, long elements) {
        return recording != null ? recording.take(dtype, elements) : d.allocate(dtype, elements);
    }

    @Override
    public void release(DeviceBuffer buffer) {
        Graph owner = owners.get(buffer);
        if (owner != null) {
            owner.pool.add(buffer);
        } else if (recording != null) {
            recording.held.add(buffer);
        } else {
            d.release(buffer);
        }
    }

    @Override
    public MemoryStats memoryStats() {
        return d.memoryStats();
    }

    @Override
    public void emptyCache() {
        d.emptyCache();
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length) {
        if (recording == null) {
            d.write(dst, dstOffset, hostArray, srcOffset, length);
            return;
        }
        Object constant = copyOf(hostArray, srcOffset, length);
        recording.ops.add(() -> d.write(dst, dstOffset, constant, 0, length));
    }

    private static Object copyOf(Object array, int from, int length) {
        Object copy = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, from, copy, 0, length);
        return copy;
    }

    @Override
    public void writeRows(
            DeviceBuffer dst, long dstOffset, float[] source, int rowLength, int[] rows, int first, int count) {
        if (recording == null) {
            d.writeRows(dst, dstOffset, source, rowLength, rows, first, count);
            return;
        }
        float[] constant = new float[Math.multiplyExact(count, rowLength)];
        HostRows.copy(source, rowLength, rows, first, count, constant, 0);
        write(dst, dstOffset, constant, 0, constant.length);
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
        refuse("a host read");
        d.read(src, srcOffset, hostArray, dstOffset, length);
    }

    @Override
    public void synchronize() {
        refuse("synchronize");
        d.synchronize();
    }

    // ---------------------------------------------------------------- compute: recorded during capture

    @Override
    public void gatherRows(View source, View rows, View out) {
        run(() -> d.gatherRows(source, rows, out));
    }

    @Override
    public void fill(View out, double value) {
        run(() -> d.fill(out, value));
    }

    @Override
    public void copy(View src, View dst) {
        run(() -> d.copy(src, dst));
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double a, double b) {
        run(() -> d.unary(op, x, out, a, b));
    }

    @Override
    public void binary(BinaryOp op, View x, View y, View out, double a) {
        run(() -> d.binary(op, x, y, out, a));
    }

    @Override
    public void where(View cond, View x, View y, View out) {
        run(() -> d.where(cond, x, y, out));
    }

    @Override
    public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        run(() -> d.reduce(op, x, reducedAxes, out));
    }

    @Override
    public void matmul(View a, boolean transposeA, View b, boolean transposeB, View out) {
        run(() -> d.matmul(a, transposeA, b, transposeB, out));
    }

    @Override
    public void softmax(View x, View out, boolean log) {
        run(() -> d.softmax(x, out, log));
    }

    @Override
    public void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        run(() -> d.softmaxCrossEntropy(logits, targets, loss, probs));
    }

    @Override
    public void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        run(() -> d.softmaxCrossEntropyBackward(probs, targets, gradLoss, out));
    }

    @Override
    public void oneHot(View indices, View out) {
        run(() -> d.oneHot(indices, out));
    }

    @Override
    public void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        run(() -> d.biasActivation(x, bias, activation, a, out));
    }

    @Override
    public void biasActivationBackward(
            View out, View gradOut, UnaryOp activation, double a, View gradIn, View gradBias) {
        run(() -> d.biasActivationBackward(out, gradOut, activation, a, gradIn, gradBias));
    }

    @Override
    public void im2col(View input, Window2d window, int groups, double padValue, View cols) {
        run(() -> d.im2col(input, window, groups, padValue, cols));
    }

    @Override
    public void col2im(View cols, Window2d window, int groups, View gradInput) {
        run(() -> d.col2im(cols, window, groups, gradInput));
    }

    @Override
    public void maxPool2d(View input, Window2d window, View out, View argmax) {
        run(() -> d.maxPool2d(input, window, out, argmax));
    }

    @Override
    public void maxPool2dBackward(View gradOut, View argmax, Window2d window, View gradInput) {
        run(() -> d.maxPool2dBackward(gradOut, argmax, window, gradInput));
    }

    @Override
    public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
        refuse("a random draw (its Philox counter would be baked into the graph)");
        d.random(kind, seed, counter, a, b, out);
    }

    @Override
    public void sgdUpdate(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        run(() -> d.sgdUpdate(param, grad, velocity, lr, momentum, nesterov));
    }

    @Override
    public void rmspropUpdate(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        run(() -> d.rmspropUpdate(param, grad, meanSquare, lr, rho, eps));
    }

    @Override
    public void adamUpdate(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        run(() -> d.adamUpdate(param, grad, m, v, alpha, beta1, beta2, eps, decay));
    }

    // ---------------------------------------------------------------- per-step scalars: read when the work runs

    @Override
    public void unary(UnaryOp op, View x, View out, View a, double b) {
        run(() -> d.unary(op, x, out, Compositions.scalar(d, a), b));
    }

    @Override
    public void sgdUpdate(View param, View grad, View velocity, View lr, double momentum, boolean nesterov) {
        run(() -> d.sgdUpdate(param, grad, velocity, Compositions.scalar(d, lr), momentum, nesterov));
    }

    @Override
    public void rmspropUpdate(View param, View grad, View meanSquare, View lr, double rho, double eps) {
        run(() -> d.rmspropUpdate(param, grad, meanSquare, Compositions.scalar(d, lr), rho, eps));
    }

    @Override
    public void adamUpdate(
            View param, View grad, View m, View v, View alpha, View decay, double beta1, double beta2, double eps) {
        run(() -> d.adamUpdate(
                param, grad, m, v, Compositions.scalar(d, alpha), beta1, beta2, eps, Compositions.scalar(d, decay)));
    }

    /** Closes the graphs' bookkeeping only; the wrapped backend stays open (its owner closes it). */
    @Override
    public void close() {}
}
