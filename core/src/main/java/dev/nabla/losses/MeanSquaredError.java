package dev.nabla.losses;

import dev.nabla.tensor.Tensor;

/**
 * Mean squared error, as Keras: per sample the mean of (ŷ − y)² over its values; over the batch
 * the mean, so J = (1/n)·Σ (f(xⁱ) − yⁱ)² for one output.
 */
public final class MeanSquaredError extends Loss {
    @Override
    public String name() {
        return "mean_squared_error";
    }

    @Override
    public Tensor perSample(Tensor yTrue, Tensor yPred) {
        Tensor y = aligned(name(), yTrue, yPred);
        return meanPerSample(yPred.sub(y).square());
    }
}
