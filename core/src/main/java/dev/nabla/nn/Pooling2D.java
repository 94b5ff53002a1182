package dev.nabla.nn;

import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;

/**
 * A pooling layer over windows of images [batch, height, width, channels]: the pool geometry, its
 * setters and its saved config, shared by {@link MaxPooling2D} and {@link AveragePooling2D}, which
 * differ only in the reduction. Defaults as Keras: strides equal to the pool size, padding "valid".
 *
 * @param <L> the concrete layer, so that the setters chain
 */
public abstract sealed class Pooling2D<L extends Pooling2D<L>> extends Window2DLayer<L>
        permits MaxPooling2D, AveragePooling2D {
    private final int[] poolSize;

    Pooling2D(int... poolSize) {
        this.poolSize = Windows.pair(typeName(), "pool_size", poolSize);
        this.strides = this.poolSize.clone(); // Keras: strides default to the pool size
    }

    /** The reduction over each window. */
    abstract Tensor pool(Tensor input, int[] poolSize, int[] strides, Padding padding);

    public int[] poolSize() {
        return poolSize.clone();
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        int[] hw = Windows.output(this, "pool", inputShape, poolSize, strides, new int[] {1, 1}, padding);
        return new int[] {hw[0], hw[1], inputShape[2]};
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return pool(input, poolSize, strides, padding);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("pool_size", Windows.list(poolSize));
        config.put("strides", Windows.list(strides));
        config.put("padding", Windows.name(padding));
        config.put("data_format", "channels_last");
        return config;
    }

    /** The layer of a saved config, made by {@code create} from its pool size. */
    static <L extends Pooling2D<L>> L fromConfig(String type, Map<String, Object> config, Function<int[], L> create) {
        Windows.requireChannelsLast(type, config.get("data_format"));
        L layer = create.apply(Windows.pairFrom(type, "pool_size", config.get("pool_size")));
        layer.applyBaseConfig(config);
        if (config.get("strides") != null) {
            layer.strides(Windows.pairFrom(type, "strides", config.get("strides")));
        }
        if (config.get("padding") instanceof String p) {
            layer.padding(p);
        }
        return layer;
    }
}
