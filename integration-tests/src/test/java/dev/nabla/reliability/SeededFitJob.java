package dev.nabla.reliability;

import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPooling2D;
import dev.nabla.nn.Parameter;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The program of {@link ReproducibleFitTest}: fits the same two seeded networks on the cpu backend {@code fits} times
 * ({@code SeededFitJob <fits>}) and prints "first fit CRC" and "last fit CRC", checksums of the weights each fit ended
 * with: an MLP wide enough for every lane kernel's vector loop (tanh, exp in the softmax, ReLU, bias sums), with
 * dropout, and a small convolutional network (im2col, col2im's adds, max pooling's argmax).
 */
public final class SeededFitJob {
    private SeededFitJob() {}

    public static void main(String[] args) {
        int fits = Integer.parseInt(args[0]);
        Dataset data = data();
        String first = null, last = null;
        for (int i = 0; i < fits; i++) {
            last = fit(data);
            if (first == null) {
                first = last;
            }
        }
        System.out.println("first fit " + first);
        System.out.println("last fit " + last);
    }

    /** 256 samples of 64 features (or 8×8 images), 10 classes, the label a function of the features. */
    static Dataset data() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 256, features = 64;
        float[] x = new float[n * features], y = new float[n];
        for (int s = 0; s < n; s++) {
            double score = 0;
            for (int f = 0; f < features; f++) {
                x[s * features + f] = (float) random.nextGaussian();
                score += x[s * features + f] * (f % 3 - 1);
            }
            y[s] = (float) Math.floorMod((int) Math.floor(score), 10);
        }
        return Dataset.of(x, new int[] {features}, y, new int[] {});
    }

    /** One seeded fit of each network: the CRC-32 of their weights' bits, in hexadecimal. */
    static String fit(Dataset data) {
        CRC32 crc = new CRC32();
        RandomSeed.set(11);
        try (Sequential mlp = new Sequential(
                new Dense(96, "tanh").inputShape(64),
                new Dropout(0.25, 5L),
                new Dense(64, "relu"),
                new Dense(10, "softmax"))) {
            fitInto(crc, mlp, data);
        }
        Dataset images = Dataset.of(data.features(), new int[] {8, 8, 1}, data.targets(), new int[] {});
        try (Sequential cnn = new Sequential(
                new Conv2D(8, 3, "relu").inputShape(8, 8, 1),
                new MaxPooling2D(2, 2),
                new Flatten(),
                new Dense(10, "softmax"))) {
            fitInto(crc, cnn, images);
        }
        return Long.toHexString(crc.getValue());
    }

    private static void fitInto(CRC32 crc, Sequential model, Dataset data) {
        model.backend(Backends.get("cpu", 0));
        model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
        model.fit(data, new FitOptions().batchSize(64).epochs(3).seed(3).verbose(0));
        for (Parameter p : model.weights()) {
            for (float v : p.value().toFloatArray()) {
                crc.update(Float.floatToIntBits(v));
            }
        }
    }
}
