package dev.nabla.nn;

import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Map;

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
public final class MaxPooling2D extends Pooling2D<MaxPooling2D> {
    /** A 2×2 pool, as Keras' default. */
    public MaxPooling2D() {
        this(2);
    }

    /** A pool of {@code poolSize} (one value: square; two: height, width); strides default to it. */
    public MaxPooling2D(int... poolSize) {
        super(poolSize);
    }

    @Override
    Tensor pool(Tensor input, int[] poolSize, int[] strides, Padding padding) {
        return input.maxPool2d(poolSize, strides, padding);
    }

    /** The layer of a saved config. */
    public static MaxPooling2D fromConfig(Map<String, Object> config) {
        return fromConfig("MaxPooling2D", config, MaxPooling2D::new);
    }
}
