package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/** Normal N(mean, stddev²); Keras' defaults mean = 0, stddev = 0.05. */
public final class RandomNormal extends Initializer {
    private final double mean;
    private final double stddev;

    public RandomNormal() {
        this(0.0, 0.05, null);
    }

    public RandomNormal(double mean, double stddev, Long seed) {
        super(seed);
        if (!(stddev >= 0)) {
            throw new IllegalArgumentException("RandomNormal: stddev must be ≥ 0, got " + stddev);
        }
        this.mean = mean;
        this.stddev = stddev;
    }

    public double mean() {
        return mean;
    }

    public double stddev() {
        return stddev;
    }

    @Override
    protected Tensor generate(Backend backend, int[] shape, Generator generator) {
        return Tensor.on(backend).normal(generator, mean, stddev, shape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("mean", mean);
        config.put("stddev", stddev);
        return config;
    }
}
