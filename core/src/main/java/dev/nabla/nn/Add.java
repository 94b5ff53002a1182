package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Adds its inputs elementwise (all of one shape), as Keras' {@code keras.layers.Add}: the merge
 * of a residual (skip) connection.
 *
 * <pre>{@code
 * SymbolicTensor y = new Add().apply(new Dense(16, "relu").apply(x), x);
 * }</pre>
 */
public final class Add extends Layer {
    @Override
    public int[] computeOutputShape(List<int[]> inputShapes) {
        if (inputShapes.size() < 2) {
            throw new IllegalArgumentException(name() + " (Add) needs at least 2 inputs, got " + inputShapes.size());
        }
        int[] first = inputShapes.get(0);
        for (int[] s : inputShapes) {
            if (!Arrays.equals(s, first)) {
                throw new IllegalArgumentException(
                        name() + " (Add) needs inputs of one shape; got " + shapesText(inputShapes));
            }
        }
        return first.clone();
    }

    @Override
    protected Tensor call(List<Tensor> inputs, boolean training) {
        Tensor sum = inputs.get(0).add(inputs.get(1));
        for (int i = 2; i < inputs.size(); i++) {
            Tensor next = sum.add(inputs.get(i));
            Dense.closeIfUntracked(sum, next);
            sum = next;
        }
        return sum;
    }

    public static Add fromConfig(Map<String, Object> config) {
        Add layer = new Add();
        layer.applyBaseConfig(config);
        return layer;
    }
}
