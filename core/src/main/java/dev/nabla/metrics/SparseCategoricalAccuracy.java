package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * How often the predicted class (argmax of ŷ) equals the integer label, as Keras'
 * {@code SparseCategoricalAccuracy}; labels are floats of shape [batch] or [batch, 1].
 */
public final class SparseCategoricalAccuracy extends Averaged {
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    public SparseCategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        Tensor predicted = argmaxAsFloat(yPred);
        return vector(predicted.eq(yTrue.reshape(predicted.shape())).sum());
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size() / yPred.shape(-1);
    }
}
