package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * How often the predicted class (argmax of ŷ) equals the class of the one-hot target
 * (argmax of y), as Keras' {@code CategoricalAccuracy}.
 */
public final class CategoricalAccuracy extends Averaged {
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    public CategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        return vector(argmaxAsFloat(yPred).eq(argmaxAsFloat(yTrue)).sum());
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size() / yPred.shape(-1);
    }
}
