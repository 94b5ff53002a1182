package dev.nabla.cpu;

import java.util.SplittableRandom;

/**
 * One training step's worth of operands for the lane kernels, repeatable: x and y of [128, 1024] (a deep-MLP
 * layer) drawn from a standard normal, so half of them are negative and a branch on the sign is mispredicted
 * half the time, and a bias row of 1024 an order of magnitude smaller.
 */
final class LaneData {
    static final int ROWS = 128, COLS = 1024, N = ROWS * COLS;

    final float[] x = new float[N], y = new float[N], bias = new float[COLS];

    LaneData() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < N; i++) {
            x[i] = (float) random.nextGaussian();
            y[i] = (float) random.nextGaussian();
        }
        for (int j = 0; j < COLS; j++) {
            bias[j] = (float) random.nextGaussian() * 0.1f;
        }
    }
}
