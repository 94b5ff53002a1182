package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/** The mean of |ŷ − y| over every predicted value, as Keras' {@code MeanAbsoluteError} ("mae"). */
public final class MeanAbsoluteError extends Averaged {
    public MeanAbsoluteError() {
        this("mean_absolute_error");
    }

    public MeanAbsoluteError(String name) {
        super(name);
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        return vector(yPred.sub(yTrue.reshape(yPred.shape())).abs().sum());
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size();
    }
}
