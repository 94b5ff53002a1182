package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;

/** All zeros (Keras' default bias initializer). */
public final class Zeros extends Initializer {
    public Zeros() {
        super(null);
    }

    @Override
    protected Tensor generate(Backend backend, int[] shape, Generator generator) {
        return Tensor.on(backend).zeros(shape);
    }
}
