package dev.nabla.spark;

import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Input;
import dev.nabla.nn.Model;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;

/** The tests' data (three Gaussian blobs in 8 dimensions) and network (8-16 tanh-3 softmax). */
final class Fixtures {
    static final int FEATURES = 8;
    static final int CLASSES = 3;

    private Fixtures() {}

    /** {@code n} samples, the same on every call. */
    static List<Sample> blobs(int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            float[] x = new float[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (float) ((j % CLASSES == label ? 1.5 : 0) + random.nextGaussian());
            }
            samples.add(Sample.of(x, label));
        }
        return samples;
    }

    /** The samples as a Nabla data set with integer labels, in the list's order. */
    static Dataset dataset(List<Sample> samples) {
        float[] x = new float[samples.size() * FEATURES];
        float[] y = new float[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i).features(), 0, x, i * FEATURES, FEATURES);
            y[i] = samples.get(i).target()[0];
        }
        return Dataset.of(x, new int[] {FEATURES}, y, new int[0]);
    }

    /** A compiled 8-16 tanh-3 softmax network with {@code optimizer}, weights from {@code like} when given. */
    static Model model(Supplier<Optimizer> optimizer, Model like) {
        Sequential model = new Sequential(new Input(FEATURES), new Dense(16, "tanh"), new Dense(CLASSES, "softmax"));
        model.compile(optimizer.get(), new SparseCategoricalCrossentropy(), "accuracy");
        model.build(FEATURES);
        if (like != null) {
            model.setWeights(like.getWeights());
        }
        return model;
    }

    /** A Spark configuration for tests: the master given, a small UI-less driver on loopback. */
    static SparkConf conf(String master) {
        return new SparkConf()
                .setMaster(master)
                .setAppName("nabla-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "2");
    }

    /** The largest absolute difference between two lists of weights. */
    static double maxDifference(List<float[]> a, List<float[]> b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                max = Math.max(max, Math.abs(a.get(i)[j] - b.get(i)[j]));
            }
        }
        return max;
    }
}
