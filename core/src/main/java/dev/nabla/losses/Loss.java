package dev.nabla.losses;

import dev.nabla.activations.Activations;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loss function, as Keras' {@code keras.losses.Loss}: a per-sample loss, reduced to the mean
 * over the batch.
 *
 * <pre>{@code
 * Loss mse = new MeanSquaredError();
 * Tensor value = mse.call(yTrue, yPred);     // a scalar: the mean over the batch
 * }</pre>
 *
 * <p>Targets (y) are FLOAT32 and have the model's output shape, except for
 * {@link SparseCategoricalCrossentropy}, whose targets are class indices stored as floats.
 */
public abstract class Loss {

    /** The Keras name, e.g. "mean_squared_error". */
    public abstract String name();

    /** The loss of each sample: shape [batch]. */
    public abstract Tensor perSample(Tensor yTrue, Tensor yPred);

    /** The mean over the batch of {@link #perSample} (a scalar). */
    public Tensor call(Tensor yTrue, Tensor yPred) {
        checkBatch(yTrue, yPred);
        Tensor each = perSample(yTrue, yPred);
        Tensor mean = each.mean();
        if (!mean.tracksGrad()) {
            each.close();
        }
        return mean;
    }

    /**
     * The output activation this loss can absorb (SOFTMAX for categorical cross-entropies,
     * SIGMOID for binary), or null. A model whose last layer ends in it then computes the loss
     * from the logits with {@link #perSampleFromLogits}: stable, and with gradient ŷ − y.
     */
    public Activations fusesWith() {
        return null;
    }

    /** The per-sample loss computed from the logits before the activation of {@link #fusesWith}. */
    public Tensor perSampleFromLogits(Tensor yTrue, Tensor logits) {
        throw new UnsupportedOperationException(name() + " does not fuse with an activation");
    }

    /**
     * Checks targets against the model's output when data enters {@code fit} or {@code evaluate}
     * (shapes per sample, batch axis left out). The default asks for the same number of values
     * per sample (targets are reshaped to the output's shape).
     */
    public void validateShapes(int[] targetShape, int[] outputShape) {
        if (size(targetShape) != size(outputShape)) {
            throw new IllegalArgumentException(name() + ": targets of per-sample shape " + Arrays.toString(targetShape)
                    + " do not match the model's output of per-sample shape " + Arrays.toString(outputShape)
                    + "; expected one target value per output value");
        }
    }

    /** Checks the target values (on the host, once per data set); the default accepts anything. */
    public void validateValues(float[] targets, int[] targetShape, int[] outputShape) {}

    /** Whether targets keep their own shape instead of being reshaped to the output's (sparse labels). */
    public boolean sparseTargets() {
        return false;
    }

    /** The constructor arguments, for saving. */
    public Map<String, Object> config() {
        return new LinkedHashMap<>();
    }

    @Override
    public String toString() {
        return name() + config();
    }

    static long size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    void checkBatch(Tensor yTrue, Tensor yPred) {
        if (yTrue.backend() != yPred.backend()) {
            throw new IllegalArgumentException(name() + ": targets live on "
                    + yTrue.backend().name() + " and predictions on "
                    + yPred.backend().name()
                    + (yTrue.backend().name().equals(yPred.backend().name()) ? " (two different instances)" : "")
                    + "; expected both on the same backend (move one with tensor.to(backend))");
        }
        if (yTrue.rank() == 0 || yPred.rank() == 0 || yTrue.shape(0) != yPred.shape(0)) {
            throw new IllegalArgumentException(name() + ": targets of shape " + Arrays.toString(yTrue.shape())
                    + " and predictions of shape " + Arrays.toString(yPred.shape())
                    + " must both be batches with the same number of samples");
        }
    }

    /** Axes 1..rank−1 (every axis but the batch). */
    static int[] sampleAxes(Tensor t) {
        int[] axes = new int[t.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    /** Mean over every axis but the batch; a rank-1 tensor is returned as is. */
    static Tensor meanPerSample(Tensor t) {
        return t.rank() == 1 ? t : t.mean(sampleAxes(t));
    }

    /** Sum over every axis but the batch. */
    static Tensor sumPerSample(Tensor t) {
        return t.rank() == 1 ? t : t.sum(sampleAxes(t));
    }

    /** yTrue reshaped to yPred's shape when they hold the same number of values. */
    static Tensor aligned(String name, Tensor yTrue, Tensor yPred) {
        if (Arrays.equals(yTrue.shape(), yPred.shape())) {
            return yTrue;
        }
        if (yTrue.size() != yPred.size()) {
            throw new IllegalArgumentException(name + ": targets of shape " + Arrays.toString(yTrue.shape())
                    + " do not match predictions of shape " + Arrays.toString(yPred.shape()));
        }
        return yTrue.reshape(yPred.shape());
    }
}
