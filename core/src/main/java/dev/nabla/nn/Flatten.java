package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * Flattens each sample to a vector: [batch, 28, 28] → [batch, 784], as Keras'
 * {@code keras.layers.Flatten}.
 */
public final class Flatten extends Layer {
    @Override
    public int[] computeOutputShape(int[] inputShape) {
        long size = 1;
        for (int extent : inputShape) {
            size *= extent;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name() + ": " + size + " features per sample is too many");
        }
        return new int[] {(int) size};
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return input.reshape(input.shape(0), outputShape()[0]);
    }

    public static Flatten fromConfig(Map<String, Object> config) {
        Flatten layer = new Flatten();
        layer.applyBaseConfig(config);
        return layer;
    }
}
