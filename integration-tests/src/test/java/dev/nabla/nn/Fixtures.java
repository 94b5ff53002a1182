package dev.nabla.nn;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import java.util.SplittableRandom;

/** Small data sets and the CPU backend for the model tests. */
public final class Fixtures {
    public static final Backend CPU = Backends.get("cpu", 0);

    private Fixtures() {}

    /**
     * Three Gaussian blobs in 4-D (centers far apart), with labels 0..2 as floats: a task a tiny
     * network learns in a few epochs.
     */
    public static Dataset blobs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        float[][] centers = {{2, 0, 0, 1}, {-2, 1, 0, -1}, {0, -2, 2, 0}};
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            y[i] = label;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = centers[label][j] + (float) (random.nextGaussian() * 0.5);
            }
        }
        return Dataset.of(x, new int[] {4}, y, new int[] {});
    }

    /** A noisy linear regression y = x·w + 0.5 with 3 features. */
    public static Dataset linear(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = {1.5f, -2f, 0.5f};
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float sum = 0.5f;
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) random.nextGaussian();
                sum += w[j] * x[i * 3 + j];
            }
            y[i] = sum + (float) (random.nextGaussian() * 0.01);
        }
        return Dataset.of(x, new int[] {3}, y, new int[] {1});
    }
}
