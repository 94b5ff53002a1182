package dev.nabla.losses;

import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * Categorical cross-entropy against integer class labels (stored as floats, one per sample, of
 * per-sample shape [] or [1]), as Keras' {@code SparseCategoricalCrossentropy}.
 *
 * <p>Labels are checked on the host when data enters {@code fit} or {@code evaluate}: a label
 * that is not an integer in [0, classes) is an error naming the sample and the value. On the
 * device the one-hot targets are made by comparison with [0, 1, …, classes − 1], with no read
 * back.
 *
 * <pre>{@code
 * model.compile(new Adam(), new SparseCategoricalCrossentropy(), "accuracy");
 * model.fit(x, labels, options);   // labels: [n] floats 0..9
 * }</pre>
 */
public final class SparseCategoricalCrossentropy extends CategoricalCrossentropy {

    public SparseCategoricalCrossentropy() {
        super(false);
    }

    public SparseCategoricalCrossentropy(boolean fromLogits) {
        super(fromLogits);
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public boolean sparseTargets() {
        return true;
    }

    @Override
    Tensor targets(Tensor yTrue, Tensor yPred) {
        int classes = yPred.shape(-1);
        int[] predShape = yPred.shape();
        int[] labelShape = Arrays.copyOf(predShape, predShape.length - 1);
        if (yTrue.size() != yPred.size() / Math.max(1, classes)) {
            int[] column = Arrays.copyOf(labelShape, labelShape.length + 1);
            column[labelShape.length] = 1;
            throw new IllegalArgumentException(name() + ": labels of shape " + Arrays.toString(yTrue.shape())
                    + " do not fit predictions of shape " + Arrays.toString(predShape)
                    + "; expected one class index per "
                    + "sample, of shape " + Arrays.toString(labelShape) + " or " + Arrays.toString(column));
        }
        return oneHot(yTrue, labelShape, classes);
    }

    /** One-hot rows of float labels: (label == [0 … classes − 1]) with broadcasting, on the device. */
    static Tensor oneHot(Tensor labels, int[] labelShape, int classes) {
        int[] column = Arrays.copyOf(labelShape, labelShape.length + 1);
        column[labelShape.length] = 1;
        Tensor indices = Tensor.on(labels.backend()).arange(0, classes, 1);
        Tensor asColumn = labels.reshape(column);
        Tensor hot = asColumn.eq(indices);
        indices.close();
        asColumn.close();
        return hot;
    }

    @Override
    public void validateShapes(int[] targetShape, int[] outputShape) {
        boolean labelShape = targetShape.length == 0 || (targetShape.length == 1 && targetShape[0] == 1);
        if (!labelShape || outputShape.length != 1) {
            throw new IllegalArgumentException(
                    name() + ": expected one integer class label per sample (per-sample shape [] or [1])"
                            + " and a model output of shape [classes]; got targets of per-sample shape "
                            + Arrays.toString(targetShape)
                            + " and output of shape " + Arrays.toString(outputShape)
                            + (targetShape.length == 1 && outputShape.length == 1 && targetShape[0] == outputShape[0]
                                    ? " (these look one-hot: use CategoricalCrossentropy)"
                                    : ""));
        }
    }

    @Override
    public void validateValues(float[] targets, int[] targetShape, int[] outputShape) {
        int classes = outputShape[outputShape.length - 1];
        for (int i = 0; i < targets.length; i++) {
            float label = targets[i];
            if (!(label >= 0 && label < classes) || label != Math.rint(label)) {
                throw new IllegalArgumentException(name() + ": label "
                        + (label == Math.rint(label) && !Float.isInfinite(label)
                                ? String.valueOf((long) label)
                                : String.valueOf(label))
                        + " of sample " + i
                        + " is out of range; expected an integer class index in [0, " + classes + ")");
            }
        }
    }
}
