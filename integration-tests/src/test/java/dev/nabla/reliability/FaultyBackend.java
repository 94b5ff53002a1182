package dev.nabla.reliability;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;

/**
 * A backend that forwards to another and, when armed, fails once: the n-th allocation runs out of
 * memory, or the n-th compute call (any kernel but the optimizer updates) fails as a device error
 * would. Counting with nothing armed tells how many of each one training step makes.
 */
final class FaultyBackend implements Backend {
    /** What to break. */
    enum Fault {
        ALLOCATION,
        KERNEL
    }

    private final Backend inner;
    private Fault fault;
    private long failAt;
    private long allocations;
    private long kernels;
    private Runnable onFirstUpdate;

    FaultyBackend(Backend inner) {
        this.inner = inner;
    }

    /** Fails the {@code n}-th (from 1) call of kind {@code what} from now on, once. */
    void arm(Fault what, long n) {
        fault = what;
        failAt = n;
        allocations = 0;
        kernels = 0;
    }

    /** Runs {@code action} at the next optimizer update call (once). */
    void onFirstUpdate(Runnable action) {
        onFirstUpdate = action;
    }

    private void update() {
        if (onFirstUpdate != null) {
            onFirstUpdate.run();
            onFirstUpdate = null;
        }
    }

    void disarm() {
        fault = null;
    }

    /** Counts from zero without failing. */
    void count() {
        disarm();
        allocations = 0;
        kernels = 0;
    }

    long allocations() {
        return allocations;
    }

    long kernels() {
        return kernels;
    }

    private void kernel(String what) {
        kernels++;
        if (fault == Fault.KERNEL && kernels == failAt) {
            fault = null;
            IllegalStateException e =
                    new IllegalStateException("injected device failure in " + what + " (kernel call " + kernels + ")");
            if (Boolean.getBoolean("debug.faulty")) {
                e.printStackTrace();
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String deviceName() {
        return "faulty " + inner.deviceName();
    }

    @Override
    public boolean supports(DType dtype) {
        return inner.supports(dtype);
    }

    @Override
    public DeviceBuffer allocate(DType dtype, long elements) {
        allocations++;
        if (fault == Fault.ALLOCATION && allocations == failAt) {
            fault = null;
            DeviceOutOfMemoryException e =
                    new DeviceOutOfMemoryException("the faulty test device", elements * dtype.bytes(), 0, 0);
            if (Boolean.getBoolean("debug.faulty")) {
                e.printStackTrace();
            }
            throw e;
        }
        return inner.allocate(dtype, elements);
    }

    @Override
    public void release(DeviceBuffer buffer) {
        inner.release(buffer);
    }

    @Override
    public MemoryStats memoryStats() {
        return inner.memoryStats();
    }

    @Override
    public void emptyCache() {
        inner.emptyCache();
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length) {
        inner.write(dst, dstOffset, hostArray, srcOffset, length);
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
        inner.read(src, srcOffset, hostArray, dstOffset, length);
    }

    @Override
    public void synchronize() {
        inner.synchronize();
    }

    @Override
    public void fill(View out, double value) {
        kernel("fill");
        inner.fill(out, value);
    }

    @Override
    public void copy(View src, View dst) {
        kernel("copy");
        inner.copy(src, dst);
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double a, double b) {
        kernel("unary " + op);
        inner.unary(op, x, out, a, b);
    }

    @Override
    public void binary(BinaryOp op, View x, View y, View out, double a) {
        kernel("binary " + op);
        inner.binary(op, x, y, out, a);
    }

    @Override
    public void where(View cond, View x, View y, View out) {
        kernel("where");
        inner.where(cond, x, y, out);
    }

    @Override
    public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        kernel("reduce " + op);
        inner.reduce(op, x, reducedAxes, out);
    }

    @Override
    public void matmul(View a, boolean ta, View b, boolean tb, View out) {
        kernel("matmul");
        inner.matmul(a, ta, b, tb, out);
    }

    @Override
    public void softmax(View x, View out, boolean log) {
        kernel("softmax");
        inner.softmax(x, out, log);
    }

    @Override
    public void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        kernel("softmaxCrossEntropy");
        inner.softmaxCrossEntropy(logits, targets, loss, probs);
    }

    @Override
    public void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        kernel("softmaxCrossEntropyBackward");
        inner.softmaxCrossEntropyBackward(probs, targets, gradLoss, out);
    }

    @Override
    public void oneHot(View indices, View out) {
        kernel("oneHot");
        inner.oneHot(indices, out);
    }

    @Override
    public void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        kernel("biasActivation");
        inner.biasActivation(x, bias, activation, a, out);
    }

    @Override
    public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
        kernel("random");
        inner.random(kind, seed, counter, a, b, out);
    }
    // The in-place optimizer updates are the commit of a step: a device that fails inside them is
    // not recoverable by any framework (see docs/reliability.md), so they are not broken here.
    @Override
    public void sgdUpdate(View p, View g, View v, double lr, double momentum, boolean nesterov) {
        update();
        inner.sgdUpdate(p, g, v, lr, momentum, nesterov);
    }

    @Override
    public void rmspropUpdate(View p, View g, View ms, double lr, double rho, double eps) {
        update();
        inner.rmspropUpdate(p, g, ms, lr, rho, eps);
    }

    @Override
    public void adamUpdate(
            View p, View g, View m, View v, double alpha, double b1, double b2, double eps, double decay) {
        update();
        inner.adamUpdate(p, g, m, v, alpha, b1, b2, eps, decay);
    }

    @Override
    public void close() {}
}
