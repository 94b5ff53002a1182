package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Recall tp / (tp + fn) with predictions thresholded at 0.5, over every predicted value, as
 * Keras' {@code Recall} (0 when there are no positive targets).
 */
public final class Recall extends Ratio {
    private final double threshold;

    public Recall() {
        this("recall", 0.5);
    }

    public Recall(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        Tensor actual = yTrue.reshape(yPred.shape());
        Tensor truePositives = yPred.gt(threshold).mul(actual).sum();
        return Tensor.stack(List.of(truePositives, actual.sum()), 0);
    }
}
