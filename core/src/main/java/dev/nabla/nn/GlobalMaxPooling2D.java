package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * The maximum over height and width of images [batch, height, width, channels], per channel, as
 * Keras' {@code keras.layers.GlobalMaxPooling2D}: [n, h, w, c] → [n, c], or [n, 1, 1, c] with
 * {@code keepdims(true)} (default false, as Keras).
 *
 * <pre>{@code
 * // Keras: layers.GlobalMaxPooling2D()
 * new Sequential(new Conv2D(16, 3, "relu").inputShape(32, 32, 3), new GlobalMaxPooling2D(), new Dense(10, "softmax"));
 * }</pre>
 */
public final class GlobalMaxPooling2D extends Layer {
    private boolean keepdims;

    public GlobalMaxPooling2D() {}

    /** Whether to keep the pooled axes with extent 1: [n, 1, 1, c] (default false: [n, c]). */
    public GlobalMaxPooling2D keepdims(boolean value) {
        requireUnbuilt("keepdims");
        this.keepdims = value;
        return this;
    }

    public boolean keepdims() {
        return keepdims;
    }

    @Override
    public GlobalMaxPooling2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public GlobalMaxPooling2D name(String value) {
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
        return input.max(new int[] {1, 2}, keepdims);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("data_format", "channels_last");
        config.put("keepdims", keepdims);
        return config;
    }

    /** The layer of a saved config. */
    public static GlobalMaxPooling2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("GlobalMaxPooling2D", config.get("data_format"));
        GlobalMaxPooling2D layer = new GlobalMaxPooling2D();
        layer.applyBaseConfig(config);
        if (config.get("keepdims") instanceof Boolean k) {
            layer.keepdims(k);
        }
        return layer;
    }
}
