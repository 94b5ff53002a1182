package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Recall tp / (tp + fn) with predictions thresholded at 0.5, over every predicted value, as
 * Keras' {@code Recall} (0 when there are no positive targets).
 */
public final class Recall extends Metric {
    private final double threshold;

    public Recall() {
        this("recall", 0.5);
    }

    public Recall(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    protected int stateSize() {
        return 2;
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        Tensor actual = yTrue.reshape(yPred.shape());
        Tensor truePositives = yPred.gt(threshold).mul(actual).sum();
        return Tensor.stack(List.of(truePositives, actual.sum()), 0);
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size();
    }

    @Override
    protected double result(double[] state, double count) {
        return state[1] == 0 ? 0 : state[0] / state[1];
    }
}
