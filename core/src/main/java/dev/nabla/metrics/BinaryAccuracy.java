package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * How often (ŷ &gt; threshold) equals the 0/1 target, over every predicted value, as Keras'
 * {@code BinaryAccuracy} (threshold 0.5).
 */
public final class BinaryAccuracy extends Averaged {
    private final double threshold;

    public BinaryAccuracy() {
        this("binary_accuracy", 0.5);
    }

    public BinaryAccuracy(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        return vector(yPred.gt(threshold).eq(yTrue.reshape(yPred.shape())).sum());
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size();
    }
}
