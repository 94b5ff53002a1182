package dev.nabla.data;

import dev.nabla.tensor.Tensor;

/**
 * One batch of a {@link Dataset} on a backend: features x [size, featureShape…] and targets
 * y [size, targetShape…], both FLOAT32. Closing the batch releases both tensors.
 *
 * <pre>{@code
 * for (Batch batch : train.batches(32, true, seed + epoch, backend)) {
 *     try (batch) {
 *         Tensor loss = model.apply(batch.x()).softmaxCrossEntropy(batch.y());
 *     }
 * }
 * }</pre>
 *
 * @param x    the features of the batch's samples
 * @param y    the targets of the batch's samples
 * @param size the number of samples (the first extent of x and y)
 */
public record Batch(Tensor x, Tensor y, int size) implements AutoCloseable {
    /** Releases x and y. Idempotent. */
    @Override
    public void close() {
        x.close();
        y.close();
    }
}
