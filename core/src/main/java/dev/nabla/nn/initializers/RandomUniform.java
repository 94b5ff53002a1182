package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/** Uniform on [minval, maxval); Keras' defaults −0.05 and 0.05. */
public final class RandomUniform extends Initializer {
    private final double minval;
    private final double maxval;

    public RandomUniform() {
        this(-0.05, 0.05, null);
    }

    public RandomUniform(double minval, double maxval, Long seed) {
        super(seed);
        if (!(minval <= maxval)) {
            throw new IllegalArgumentException("RandomUniform: minval " + minval + " must not exceed maxval " + maxval);
        }
        this.minval = minval;
        this.maxval = maxval;
    }

    public double minval() {
        return minval;
    }

    public double maxval() {
        return maxval;
    }

    @Override
    protected Tensor generate(Backend backend, int[] shape, Generator generator) {
        return Tensor.on(backend).uniform(generator, minval, maxval, shape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("minval", minval);
        config.put("maxval", maxval);
        return config;
    }
}
