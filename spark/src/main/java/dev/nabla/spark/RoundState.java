package dev.nabla.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts each round: where in the data the round is, every weight (in
 * {@code Model.weights()} order) and the optimizer's state (per trainable weight its slots in
 * {@code Optimizer.slotNames()} order, null where it has none yet), its update count and, when it is a
 * constant, its learning rate (so that a driver-side LearningRateScheduler reaches the executors).
 */
record RoundState(
        long round,
        int epoch,
        int fromStep,
        int toStep,
        float[][] weights,
        float[][][] slots,
        long iterations,
        Double learningRate)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The floats this state carries (weights and optimizer slots). */
    long floats() {
        long n = 0;
        for (float[] w : weights) {
            n += w.length;
        }
        for (float[][] s : slots) {
            if (s != null) {
                for (float[] v : s) {
                    n += v.length;
                }
            }
        }
        return n;
    }
}
