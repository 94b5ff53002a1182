package dev.nabla.nn.initializers;

import dev.nabla.backend.Backend;
import dev.nabla.nn.RandomSeed;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the initial value of a weight, as Keras' {@code keras.initializers}. Random initializers
 * draw from Philox ({@link Generator}), so a seeded initializer gives the same tensor on every
 * backend; an unseeded one takes its seed from {@link RandomSeed}.
 *
 * <pre>{@code
 * Tensor kernel = new GlorotUniform(7).create(backend, 784, 512);
 * }</pre>
 *
 * <p>As in Keras 3, a seeded instance gives the same values each time it is called; give each
 * layer its own seed (or none) when that is not wanted.
 */
public abstract class Initializer {
    private final Long seed;

    protected Initializer(Long seed) {
        this.seed = seed;
    }

    /** The seed, or null when each call draws one from {@link RandomSeed}. */
    public final Long seed() {
        return seed;
    }

    /** A new FLOAT32 tensor of {@code shape} on {@code backend}; the caller owns it. */
    public final Tensor create(Backend backend, int... shape) {
        for (int extent : shape) {
            if (extent < 0) {
                throw new IllegalArgumentException(
                        name() + ": negative extent in shape " + java.util.Arrays.toString(shape));
            }
        }
        return generate(backend, shape, new Generator(seed != null ? seed : RandomSeed.next()));
    }

    /** Draws the values. */
    protected abstract Tensor generate(Backend backend, int[] shape, Generator generator);

    /** The Keras class name, e.g. "GlorotUniform" (used in saved models). */
    public String name() {
        return getClass().getSimpleName();
    }

    /** The constructor arguments, for saving (the seed included when set). */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (seed != null) {
            config.put("seed", seed);
        }
        return config;
    }

    /**
     * Fan-in and fan-out of a weight of {@code shape}, as Keras computes them: a vector has
     * fan-in = fan-out = its length; a matrix [in, out]; a convolution kernel [..., in, out]
     * multiplies both by its receptive field.
     */
    public static long[] fans(int[] shape) {
        if (shape.length == 0) {
            return new long[] {1, 1};
        }
        if (shape.length == 1) {
            return new long[] {shape[0], shape[0]};
        }
        if (shape.length == 2) {
            return new long[] {shape[0], shape[1]};
        }
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return new long[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
    }

    @Override
    public String toString() {
        return name() + config();
    }
}
