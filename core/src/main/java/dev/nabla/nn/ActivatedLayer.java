package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.tensor.Tensor;

/**
 * A layer that ends in an activation and can stop just before it. The training loop uses it to
 * fuse a final softmax (or sigmoid) with the cross-entropy loss: the loss is computed from the
 * logits, stably, and its gradient is ŷ − y.
 */
interface ActivatedLayer {
    /** The activation applied last. */
    Activations activation();

    /** The forward pass without the final activation (the logits). */
    Tensor callWithoutActivation(Tensor input, boolean training);
}
