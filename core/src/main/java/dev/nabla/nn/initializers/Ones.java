package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;

/** All ones (BatchNormalization's gamma and moving variance). */
public final class Ones extends Initializer {
    public Ones() {
        super(null);
    }

    @Override
    protected Tensor generate(Backend backend, int[] shape, Generator generator) {
        return Tensor.on(backend).ones(shape);
    }
}
