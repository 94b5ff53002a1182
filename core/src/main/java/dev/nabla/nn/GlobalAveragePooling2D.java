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
public final class GlobalAveragePooling2D extends GlobalPooling2D<GlobalAveragePooling2D> {
    public GlobalAveragePooling2D() {}

    @Override
    Tensor pool(Tensor input, int[] axes, boolean keepdims) {
        return input.mean(axes, keepdims);
    }

    /** The layer of a saved config. */
    public static GlobalAveragePooling2D fromConfig(Map<String, Object> config) {
        return fromConfig("GlobalAveragePooling2D", config, GlobalAveragePooling2D::new);
    }
}
