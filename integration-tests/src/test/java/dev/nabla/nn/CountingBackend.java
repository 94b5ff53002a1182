package dev.nabla.nn;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend that forwards to another and counts host reads (device → host transfers). */
public final class CountingBackend implements Backend {
    private final Backend inner;
    public final AtomicInteger reads = new AtomicInteger();

    public CountingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String deviceName() {
        return "counting " + inner.deviceName();
    }

    @Override
    public boolean supports(DType dtype) {
        return inner.supports(dtype);
    }

    @Override
    public DeviceBuffer allocate(DType dtype, long elements) {
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
    public boolean hostAddressable() {
        return inner.hostAddressable(); // a decorator keeps what fit decides from it
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
        reads.incrementAndGet();
        inner.read(src, srcOffset, hostArray, dstOffset, length);
    }

    @Override
    public void synchronize() {
        inner.synchronize();
    }

    @Override
    public void fill(View out, double value) {
        inner.fill(out, value);
    }

    @Override
    public void copy(View src, View dst) {
        inner.copy(src, dst);
    }

    @Override
    public void unary(UnaryOp op, View x, View out, double a, double b) {
        inner.unary(op, x, out, a, b);
    }

    @Override
    public void binary(BinaryOp op, View x, View y, View out, double a) {
        inner.binary(op, x, y, out, a);
    }

    @Override
    public void where(View cond, View x, View y, View out) {
        inner.where(cond, x, y, out);
    }

    @Override
    public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        inner.reduce(op, x, reducedAxes, out);
    }

    @Override
    public void matmul(View a, boolean ta, View b, boolean tb, View out) {
        inner.matmul(a, ta, b, tb, out);
    }

    @Override
    public void softmax(View x, View out, boolean log) {
        inner.softmax(x, out, log);
    }

    @Override
    public void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        inner.softmaxCrossEntropy(logits, targets, loss, probs);
    }

    @Override
    public void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        inner.softmaxCrossEntropyBackward(probs, targets, gradLoss, out);
    }

    @Override
    public void oneHot(View indices, View out) {
        inner.oneHot(indices, out);
    }

    @Override
    public void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        inner.biasActivation(x, bias, activation, a, out);
    }

    @Override
    public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
        inner.random(kind, seed, counter, a, b, out);
    }

    @Override
    public void sgdUpdate(View p, View g, View v, double lr, double momentum, boolean nesterov) {
        inner.sgdUpdate(p, g, v, lr, momentum, nesterov);
    }

    @Override
    public void rmspropUpdate(View p, View g, View ms, double lr, double rho, double eps) {
        inner.rmspropUpdate(p, g, ms, lr, rho, eps);
    }

    @Override
    public void adamUpdate(
            View p, View g, View m, View v, double alpha, double b1, double b2, double eps, double decay) {
        inner.adamUpdate(p, g, m, v, alpha, b1, b2, eps, decay);
    }

    @Override
    public void close() {}
}
