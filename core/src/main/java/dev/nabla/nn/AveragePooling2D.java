package dev.nabla.nn;

import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * The mean of each window of images [batch, height, width, channels], per channel, as Keras'
 * {@code keras.layers.AveragePooling2D}. Defaults as Keras: pool 2×2, strides equal to the pool
 * size, padding "valid". With padding "same" a window at the border averages only the cells inside the input (as Keras).
 *
 * <pre>{@code
 * // Keras: layers.AveragePooling2D(2)
 * new AveragePooling2D(2);                     // [n, 28, 28, 6] → [n, 14, 14, 6]
 * new AveragePooling2D(3).strides(2).padding("same");
 * }</pre>
 */
public final class AveragePooling2D extends Pooling2D<AveragePooling2D> {
    /** A 2×2 pool, as Keras' default. */
    public AveragePooling2D() {
        this(2);
    }

    /** A pool of {@code poolSize} (one value: square; two: height, width); strides default to it. */
    public AveragePooling2D(int... poolSize) {
        super(poolSize);
    }

    @Override
    Tensor pool(Tensor input, int[] poolSize, int[] strides, Padding padding) {
        return input.avgPool2d(poolSize, strides, padding);
    }

    /** The layer of a saved config. */
    public static AveragePooling2D fromConfig(Map<String, Object> config) {
        return fromConfig("AveragePooling2D", config, AveragePooling2D::new);
    }
}
