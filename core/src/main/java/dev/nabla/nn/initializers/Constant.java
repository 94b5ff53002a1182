package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/** Every element equal to {@code value}. */
public final class Constant extends Initializer {
    private final double value;

    public Constant(double value) {
        super(null);
        this.value = value;
    }

    public double value() {
        return value;
    }

    @Override
    protected Tensor generate(Backend backend, int[] shape, Generator generator) {
        return Tensor.on(backend).full(value, shape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("value", value);
        return config;
    }
}
