package dev.nabla.samples.web;

import dev.nabla.backend.Backend;
import dev.nabla.data.Dataset;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Layer;
import dev.nabla.nn.MaxPooling2D;
import dev.nabla.nn.Model;
import dev.nabla.nn.Reshape;
import dev.nabla.samples.train.NetworkSpec;
import dev.nabla.samples.train.Preset;
import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A digit classifier for the recognizer: a model that takes a 28×28 image (as 784 values or as a
 * [28, 28] array) and ends in 10 probabilities. Predicts any number of inputs in one batch.
 * Thread-safe: predictions are serialized, since a backend's queue is not shared between threads.
 *
 * <pre>{@code
 * try (DigitRecognizer recognizer = new DigitRecognizer(Model.load(path), "loaded from " + path)) {
 *     Prediction[] five = recognizer.predict(inputs);   // inputs: five float[784]
 * }
 * }</pre>
 */
public final class DigitRecognizer implements AutoCloseable {
    private static final int PIXELS = DigitPreprocessor.SIDE * DigitPreprocessor.SIDE;

    private final Model model;
    private final String origin;
    private final String name;
    private final int[] batchShapeTail;
    private volatile Double testAccuracy;

    /**
     * Wraps a built model; {@code origin} says where it came from (shown on the page).
     *
     * @throws IllegalArgumentException if the model does not take 784 (or 28×28) values and give 10
     */
    public DigitRecognizer(Model model, String origin) {
        int[] in = model.inputShape();
        int[] out = model.outputShape();
        boolean flat = Arrays.equals(in, new int[] {PIXELS});
        boolean square = Arrays.equals(in, new int[] {DigitPreprocessor.SIDE, DigitPreprocessor.SIDE});
        if (!(flat || square) || !Arrays.equals(out, new int[] {10})) {
            throw new IllegalArgumentException("the model takes input " + Arrays.toString(in) + " and gives "
                    + Arrays.toString(out) + "; the recognizer expects input [784] or [28, 28] and 10 outputs "
                    + "(digit probabilities)");
        }
        this.model = model;
        this.origin = origin;
        this.name = nameOf(model);
        this.batchShapeTail = in.clone();
    }

    /** The wrapped model. */
    public Model model() {
        return model;
    }

    /** Where the model came from, e.g. "loaded from deep-mlp.nabla". */
    public String origin() {
        return origin;
    }

    /**
     * Which model answers, for the page and the JSON answers: the preset when the network is one of nabla-train's
     * (e.g. "lenet (conv)", "deep-mlp (mlp)"), else its kind, "conv" or "mlp".
     */
    public String name() {
        return name;
    }

    private static String nameOf(Model model) {
        String kind = model.layers().stream().anyMatch(l -> l instanceof Conv2D) ? "conv" : "mlp";
        Preset preset = NetworkSpec.of(model).preset();
        return preset == null ? kind : preset.id() + " (" + kind + ")";
    }

    /**
     * Layer sizes and activations in the course notes' notation, e.g. "784-1024 relu-10 softmax"; a convolutional
     * network's image layers as "28×28×1-conv 6@5×5 same relu-pool 2×2-flatten".
     */
    public String architecture() {
        StringJoiner joiner = new StringJoiner("-");
        joiner.add(Integer.toString(PIXELS));
        for (Layer layer : model.layers()) {
            if (layer instanceof Dense dense) {
                joiner.add(dense.units() + " " + dense.activation().kerasName());
            } else if (layer instanceof Reshape reshape) {
                joiner.add(extents(reshape.targetShape()));
            } else if (layer instanceof Conv2D conv) {
                joiner.add("conv " + conv.filters() + "@" + extents(conv.kernelSize())
                        + (conv.padding() == Padding.SAME ? " same " : " ")
                        + conv.activation().kerasName());
            } else if (layer instanceof MaxPooling2D pool) {
                joiner.add("pool " + extents(pool.poolSize()));
            } else if (layer instanceof Flatten) {
                joiner.add("flatten");
            }
        }
        return joiner.toString();
    }

    private static String extents(int[] shape) {
        return String.join("×", Arrays.stream(shape).mapToObj(String::valueOf).toList());
    }

    public Backend backend() {
        return model.backend();
    }

    /** The accuracy last measured with {@link #measureAccuracy}, or null. */
    public Double testAccuracy() {
        return testAccuracy;
    }

    /** Measures (and remembers) the fraction of {@code test} (digit labels as targets) predicted right. */
    public double measureAccuracy(Dataset test) {
        int[] labels = test.labels();
        float[] features = test.features();
        int n = labels.length;
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = Arrays.copyOfRange(features, i * PIXELS, (i + 1) * PIXELS);
        }
        Prediction[] predictions = predict(inputs);
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += predictions[i].digit() == labels[i] ? 1 : 0;
        }
        double accuracy = (double) right / n;
        testAccuracy = accuracy;
        return accuracy;
    }

    /** Predicts every input (784 values each, white digit on black in [0, 1]) in one batch. */
    public Prediction[] predict(float[][] inputs) {
        int n = inputs.length;
        if (n == 0) {
            return new Prediction[0];
        }
        float[] batch = new float[n * PIXELS];
        for (int i = 0; i < n; i++) {
            if (inputs[i].length != PIXELS) {
                throw new IllegalArgumentException(
                        "input " + i + " has " + inputs[i].length + " values; expected " + PIXELS + " (28×28)");
            }
            System.arraycopy(inputs[i], 0, batch, i * PIXELS, PIXELS);
        }
        int[] shape = new int[batchShapeTail.length + 1];
        shape[0] = n;
        System.arraycopy(batchShapeTail, 0, shape, 1, batchShapeTail.length);
        float[] probabilities;
        synchronized (this) {
            try (Tensor x = Tensor.on(model.backend()).of(batch, shape);
                    Tensor y = model.predict(x, Math.min(n, 256))) {
                probabilities = y.toFloatArray();
            }
        }
        Prediction[] out = new Prediction[n];
        for (int i = 0; i < n; i++) {
            float[] row = asProbabilities(Arrays.copyOfRange(probabilities, i * 10, (i + 1) * 10));
            out[i] = Prediction.of(row, DigitPreprocessor.isEmpty(inputs[i]));
        }
        return out;
    }

    /** The row itself when it is a probability distribution, else its softmax (a model that ends in logits). */
    static float[] asProbabilities(float[] row) {
        double sum = 0;
        boolean inRange = true;
        for (float v : row) {
            sum += v;
            inRange &= v >= 0 && v <= 1;
        }
        if (inRange && Math.abs(sum - 1) < 1e-3) {
            return row;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double total = 0;
        double[] e = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            e[k] = Math.exp(row[k] - max);
            total += e[k];
        }
        float[] out = new float[row.length];
        for (int k = 0; k < row.length; k++) {
            out[k] = (float) (e[k] / total);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        model.close();
    }
}
