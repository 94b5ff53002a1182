package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Precision tp / (tp + fp) with predictions thresholded at 0.5, over every predicted value, as
 * Keras' {@code Precision} (0 when nothing is predicted positive).
 */
public final class Precision extends Ratio {
    private final double threshold;

    public Precision() {
        this("precision", 0.5);
    }

    public Precision(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        Tensor predicted = yPred.gt(threshold);
        Tensor truePositives = predicted.mul(yTrue.reshape(yPred.shape())).sum();
        return Tensor.stack(List.of(truePositives, predicted.sum()), 0);
    }
}
