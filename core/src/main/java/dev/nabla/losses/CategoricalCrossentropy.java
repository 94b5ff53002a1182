package dev.nabla.losses;

import dev.nabla.activations.Activations;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Categorical cross-entropy −Σ_j y_j·log ŷ_j against one-hot (or soft) targets, averaged over the
 * batch (Keras' {@code CategoricalCrossentropy}).
 *
 * <p>From probabilities it follows Keras: ŷ is normalized to sum to 1 and clipped to
 * [1e−7, 1 − 1e−7]. From logits ({@code fromLogits = true}, or automatically when the model's last
 * layer ends in a softmax) it runs the fused, stable softmax-cross-entropy kernel, whose gradient
 * is ŷ − y.
 *
 * <pre>{@code
 * model.compile(new Adam(1e-4), new CategoricalCrossentropy(), "accuracy");
 * }</pre>
 */
public class CategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    public CategoricalCrossentropy() {
        this(false);
    }

    public CategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public String name() {
        return "categorical_crossentropy";
    }

    @Override
    public Tensor perSample(Tensor yTrue, Tensor yPred) {
        Tensor y = targets(yTrue, yPred);
        if (fromLogits) {
            return fromLogitsAligned(y, yPred);
        }
        Tensor normalized = yPred.div(yPred.sum(new int[] {-1}, true));
        Tensor clipped = normalized.clip(BinaryCrossentropy.EPSILON, 1 - BinaryCrossentropy.EPSILON);
        Tensor terms = y.mul(clipped.log());
        Tensor perRow = terms.sum(-1).neg();
        return meanPerSample(perRow.rank() == 0 ? perRow.reshape(1) : perRow);
    }

    @Override
    public Activations fusesWith() {
        return fromLogits ? null : Activations.SOFTMAX;
    }

    @Override
    public Tensor perSampleFromLogits(Tensor yTrue, Tensor logits) {
        return fromLogitsAligned(targets(yTrue, logits), logits);
    }

    private Tensor fromLogitsAligned(Tensor y, Tensor logits) {
        if (logits.rank() == 2) {
            return logits.softmaxCrossEntropy(y);
        }
        int classes = logits.shape(-1);
        Tensor rows = logits.reshape(-1, classes).softmaxCrossEntropy(y.reshape(-1, classes));
        return meanPerSample(rows.reshape(Arrays.copyOf(logits.shape(), logits.rank() - 1)));
    }

    /** The one-hot targets of this loss for predictions {@code yPred} (the sparse subclass builds them). */
    Tensor targets(Tensor yTrue, Tensor yPred) {
        if (!Arrays.equals(yTrue.shape(), yPred.shape())) {
            throw new IllegalArgumentException(name() + ": targets of shape " + Arrays.toString(yTrue.shape())
                    + " do not match predictions of shape " + Arrays.toString(yPred.shape())
                    + "; expected one-hot targets of the same shape (for integer labels use "
                    + "SparseCategoricalCrossentropy, or convert them with toCategorical)");
        }
        return yTrue;
    }

    @Override
    public void validateShapes(int[] targetShape, int[] outputShape) {
        if (!Arrays.equals(targetShape, outputShape)) {
            String hint = targetShape.length == 0 || (targetShape.length == 1 && targetShape[0] == 1)
                    ? " (these look like integer labels: use SparseCategoricalCrossentropy, or one-hot them with toCategorical)"
                    : "";
            throw new IllegalArgumentException(name() + ": targets of per-sample shape " + Arrays.toString(targetShape)
                    + " do not match the model's output of per-sample shape " + Arrays.toString(outputShape)
                    + "; expected one-hot targets of the output's shape" + hint);
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("from_logits", fromLogits);
        return config;
    }
}
