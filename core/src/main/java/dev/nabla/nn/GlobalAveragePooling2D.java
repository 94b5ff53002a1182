package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * The mean over height and width of images [batch, height, width, channels], per channel, as
 * Keras' {@code keras.layers.GlobalAveragePooling2D}: [n, h, w, c] → [n, c], or [n, 1, 1, c] with
 * {@code keepdims(true)} (default false, as Keras).
 *
 * <pre>{@code
 * // Keras: layers.GlobalAveragePooling2D()
 * new Sequential(new Conv2D(16, 3, "relu").inputShape(32, 32, 3), new GlobalAveragePooling2D(), new Dense(10, "softmax"));
 * }</pre>
 */
public final class GlobalAveragePooling2D extends Layer {
    private boolean keepdims;

    public GlobalAveragePooling2D() {}

    /** Whether to keep the pooled axes with extent 1: [n, 1, 1, c] (default false: [n, c]). */
    public GlobalAveragePooling2D keepdims(boolean value) {
        requireUnbuilt("keepdims");
        this.keepdims = value;
        return this;
    }

    public boolean keepdims() {
        return keepdims;
    }

    @Override
    public GlobalAveragePooling2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public GlobalAveragePooling2D name(String value) {
        super.name(value);
        return this;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        return keepdims ? new int[] {1, 1, inputShape[2]} : new int[] {inputShape[2]};
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return input.mean(new int[] {1, 2}, keepdims);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("data_format", "channels_last");
        config.put("keepdims", keepdims);
        return config;
    }

    /** The layer of a saved config. */
    public static GlobalAveragePooling2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("GlobalAveragePooling2D", config.get("data_format"));
        GlobalAveragePooling2D layer = new GlobalAveragePooling2D();
        layer.applyBaseConfig(config);
        if (config.get("keepdims") instanceof Boolean k) {
            layer.keepdims(k);
        }
        return layer;
    }
}
