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
public final class GlobalMaxPooling2D extends GlobalPooling2D<GlobalMaxPooling2D> {
    public GlobalMaxPooling2D() {}

    @Override
    Tensor pool(Tensor input, int[] axes, boolean keepdims) {
        return input.max(axes, keepdims);
    }

    /** The layer of a saved config. */
    public static GlobalMaxPooling2D fromConfig(Map<String, Object> config) {
        return fromConfig("GlobalMaxPooling2D", config, GlobalMaxPooling2D::new);
    }
}
