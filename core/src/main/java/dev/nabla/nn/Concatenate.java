package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Joins its inputs along the last feature axis, as Keras' {@code keras.layers.Concatenate}
 * (with axis −1): [batch, 16] and [batch, 8] → [batch, 24].
 */
public final class Concatenate extends Layer {
    @Override
    public int[] computeOutputShape(List<int[]> inputShapes) {
        if (inputShapes.size() < 2) {
            throw new IllegalArgumentException(
                    name() + " (Concatenate) needs at least 2 inputs, got " + inputShapes.size());
        }
        int[] first = inputShapes.get(0);
        int[] out = first.clone();
        if (out.length == 0) {
            throw new IllegalArgumentException(name() + " (Concatenate) needs inputs with a feature axis");
        }
        out[out.length - 1] = 0;
        for (int[] s : inputShapes) {
            if (s.length != first.length) {
                throw new IllegalArgumentException(
                        name() + " (Concatenate): inputs differ in rank: " + shapesText(inputShapes));
            }
            for (int i = 0; i < s.length - 1; i++) {
                if (s[i] != first[i]) {
                    throw new IllegalArgumentException(name() + " (Concatenate): inputs differ on axis " + i + ": "
                            + shapesText(inputShapes) + "; expected equal extents except on the last axis");
                }
            }
            out[out.length - 1] += s[s.length - 1];
        }
        return out;
    }

    @Override
    protected Tensor call(List<Tensor> inputs, boolean training) {
        return Tensor.concat(inputs, -1);
    }

    public static Concatenate fromConfig(Map<String, Object> config) {
        Concatenate layer = new Concatenate();
        layer.applyBaseConfig(config);
        return layer;
    }
}
