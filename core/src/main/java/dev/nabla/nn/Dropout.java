package dev.nabla.nn;

import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * Inverted dropout, as Keras' {@code keras.layers.Dropout}: in training each element is zeroed
 * with probability {@code rate} and the others scaled by 1/(1 − rate); in inference the layer
 * passes its input through unchanged.
 *
 * <pre>{@code
 * new Dropout(0.2);          // unseeded: a seed is drawn from RandomSeed
 * new Dropout(0.5, 1234L);   // the same masks, step after step, on every backend
 * }</pre>
 *
 * <p>Masks come from a counter-based generator (Philox): the k-th mask depends only on the seed
 * and k, so a seeded run is reproducible on every backend.
 */
public final class Dropout extends Layer {
    private final double rate;
    private final Long seed;
    private final Generator generator;

    public Dropout(double rate) {
        this(rate, null);
    }

    public Dropout(double rate, Long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.seed = seed;
        this.generator = new Generator(seed != null ? seed : RandomSeed.next());
    }

    public double rate() {
        return rate;
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        if (!training || rate == 0) {
            return input;
        }
        return input.dropout(rate, generator);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("rate", rate);
        if (seed != null) {
            config.put("seed", seed);
        }
        return config;
    }

    public static Dropout fromConfig(Map<String, Object> config) {
        Long seed = config.get("seed") instanceof Number n ? n.longValue() : null;
        Dropout layer = new Dropout(((Number) config.get("rate")).doubleValue(), seed);
        layer.applyBaseConfig(config);
        return layer;
    }
}
