package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * The weighted mean of scalar values, as Keras' {@code keras.metrics.Mean}; the training loop
 * tracks the loss with it (each batch's mean loss weighted by its size).
 *
 * <pre>{@code
 * Mean loss = new Mean("loss");
 * loss.add(batchLoss, batchSize);   // on the device
 * }</pre>
 */
public final class Mean extends Averaged {
    public Mean(String name) {
        super(name);
    }

    /** Adds a scalar value with a weight (the value is not read back). */
    public void add(Tensor value, double weight) {
        accumulate(value, weight, weight);
    }

    @Override
    protected Tensor contribution(Tensor yTrue, Tensor yPred) {
        return vector(yPred.sum());
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size();
    }
}
