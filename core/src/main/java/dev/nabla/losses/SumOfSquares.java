package dev.nabla.losses;

import dev.nabla.tensor.Tensor;

/**
 * The sum-of-squares error of the course notes: per sample E = ½·Σ (y − t)² over its values; over
 * the batch the mean. Its gradient with respect to y is y − t.
 */
public final class SumOfSquares extends Loss {
    @Override
    public String name() {
        return "sum_of_squares";
    }

    @Override
    public Tensor perSample(Tensor yTrue, Tensor yPred) {
        Tensor y = aligned(name(), yTrue, yPred);
        return sumPerSample(yPred.sub(y).square()).mul(0.5);
    }
}
