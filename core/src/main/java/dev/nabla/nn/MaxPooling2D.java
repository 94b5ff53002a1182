package dev.nabla.nn;

import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * The maximum of each window of images [batch, height, width, channels], per channel, as Keras'
 * {@code keras.layers.MaxPooling2D}. Defaults as Keras: pool 2×2, strides equal to the pool
 * size, padding "valid".
 *
 * <pre>{@code
 * // Keras: layers.MaxPooling2D(2)
 * new MaxPooling2D(2);                     // [n, 28, 28, 6] → [n, 14, 14, 6]
 * new MaxPooling2D(3).strides(2).padding("same");
 * }</pre>
 */
public final class MaxPooling2D extends Layer {
    private final int[] poolSize;
    private int[] strides;
    private Padding padding = Padding.VALID;

    /** A 2×2 pool, as Keras' default. */
    public MaxPooling2D() {
        this(2);
    }

    /** A pool of {@code poolSize} (one value: square; two: height, width); strides default to it. */
    public MaxPooling2D(int... poolSize) {
        this.poolSize = Windows.pair("MaxPooling2D", "pool_size", poolSize);
        this.strides = this.poolSize.clone();
    }

    /** The step of the window: one value for both axes, or height, width (default: the pool size). */
    public MaxPooling2D strides(int... value) {
        requireUnbuilt("strides");
        this.strides = Windows.pair("MaxPooling2D", "strides", value);
        return this;
    }

    /** "valid" (default) or "same". */
    public MaxPooling2D padding(String value) {
        requireUnbuilt("padding");
        this.padding = Windows.padding("MaxPooling2D", value);
        return this;
    }

    public MaxPooling2D padding(Padding value) {
        requireUnbuilt("padding");
        this.padding = Objects.requireNonNull(value, "padding");
        return this;
    }

    @Override
    public MaxPooling2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public MaxPooling2D name(String value) {
        super.name(value);
        return this;
    }

    public int[] poolSize() {
        return poolSize.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public Padding padding() {
        return padding;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        int[] hw = Windows.output(this, "pool", inputShape, poolSize, strides, new int[] {1, 1}, padding);
        return new int[] {hw[0], hw[1], inputShape[2]};
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return input.maxPool2d(poolSize, strides, padding);
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

    /** The layer of a saved config. */
    public static MaxPooling2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("MaxPooling2D", config.get("data_format"));
        MaxPooling2D layer = new MaxPooling2D(Windows.pairFrom("MaxPooling2D", "pool_size", config.get("pool_size")));
        layer.applyBaseConfig(config);
        if (config.get("strides") != null) {
            layer.strides(Windows.pairFrom("MaxPooling2D", "strides", config.get("strides")));
        }
        if (config.get("padding") instanceof String p) {
            layer.padding(p);
        }
        return layer;
    }
}
