package dev.nabla.reliability;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.BatchNormalization;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a bad-input row runs against: a small trained classifier (4 features → 3 classes, Adam,
 * sparse labels) on the shared CPU backend, and its data. Everything it makes is released by
 * {@link #close()}.
 */
final class Fixture implements AutoCloseable {
    static final Backend CPU = Backends.get("cpu", 0);

    final Sequential model;
    final Dataset data;
    private final List<AutoCloseable> owned = new ArrayList<>();

    Fixture() {
        RandomSeed.set(11);
        data = blobs(12, 5);
        model = new Sequential("model");
        model.add(new Dense(5, "tanh").inputShape(4));
        model.add(new Dense(3, "softmax"));
        model.backend(CPU);
        model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
        model.fit(data, new FitOptions().batchSize(4).epochs(1).seed(3).verbose(0));
    }

    /**
     * A classifier with every kind of layer a step goes through (Dense, BatchNormalization, Dropout,
     * softmax with sparse cross-entropy, Adam with clipping, a metric) on the shared CPU backend.
     */
    static Sequential healthyClassifier() {
        RandomSeed.set(5);
        Sequential model = new Sequential(
                new Dense(8, "relu").inputShape(4),
                new BatchNormalization(),
                new Dropout(0.2, 3L),
                new Dense(3, "softmax"));
        model.backend(CPU);
        model.compile(new Adam(0.01).clipnorm(1.0), new SparseCategoricalCrossentropy(), "accuracy");
        return model;
    }

    /** Three separable blobs in 4-D, labels 0..2 stored as floats. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (j == i % 3 ? 2f : 0f) + (float) random.nextGaussian() * 0.3f;
            }
        }
        return Dataset.of(x, new int[] {4}, y, new int[] {});
    }

    /** The fixture's features as a tensor [12, 4] (released with the fixture). */
    Tensor x() {
        return own(Tensor.on(CPU).of(data.features(), data.size(), 4));
    }

    /** The fixture's labels as a tensor [12] (released with the fixture). */
    Tensor y() {
        return own(Tensor.on(CPU).of(data.targets(), data.size()));
    }

    /** A copy of the features with one value replaced. */
    Dataset withFeature(int index, float value) {
        float[] x = data.features().clone();
        x[index] = value;
        return Dataset.of(x, new int[] {4}, data.targets(), new int[] {});
    }

    /** A copy of the labels with one value replaced. */
    Dataset withLabel(int index, float value) {
        float[] y = data.targets().clone();
        y[index] = value;
        return Dataset.of(data.features(), new int[] {4}, y, new int[] {});
    }

    <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : owned) {
            resource.close();
        }
        model.close();
    }
}
