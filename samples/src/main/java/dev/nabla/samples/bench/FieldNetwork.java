package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.UnaryOp;

/**
 * One of the three MNIST networks of the course examples (nabla-train's presets): widths, hidden
 * activation, loss, optimizer and learning rate, trained by {@link MlpTrainer}.
 */
record FieldNetwork(String name, int[] sizes, UnaryOp hidden, boolean crossEntropy, boolean adam, double lr) {
    static final FieldNetwork DEEP_ADAM = new FieldNetwork(
            "784-1024-512-512 relu-10, CE, Adam 1e-4",
            new int[] {784, 1024, 512, 512, 10},
            UnaryOp.RELU,
            true,
            true,
            1e-4);
    static final FieldNetwork SHALLOW_SGD = new FieldNetwork(
            "784-512 tanh-10, MSE, SGD 0.01", new int[] {784, 512, 10}, UnaryOp.TANH, false, false, 0.01);
    static final FieldNetwork SHALLOW_ADAM = new FieldNetwork(
            "784-512 tanh-10, MSE, Adam 1e-3", new int[] {784, 512, 10}, UnaryOp.TANH, false, true, 1e-3);

    /** Multiply-adds ×2 of one training step on a batch: forward, and the two backward products per layer (no input gradient). */
    long flopsPerStep(int batch) {
        long flops = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            long layer = 2L * batch * sizes[i] * sizes[i + 1];
            flops += i == 0 ? 2 * layer : 3 * layer;
        }
        return flops;
    }

    /** A fresh trainer of this network on {@code backend}. */
    MlpTrainer trainer(Backend backend, long seed) {
        return new MlpTrainer(backend, sizes, hidden, crossEntropy, adam, lr, seed);
    }
}
