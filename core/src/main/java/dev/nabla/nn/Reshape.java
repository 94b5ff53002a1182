package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reshapes each sample, as Keras' {@code keras.layers.Reshape}: the target shape is per sample
 * (without the batch axis), and one extent may be −1, inferred from the others.
 *
 * <pre>{@code
 * // Keras: layers.Reshape((28, 28, 1), input_shape=(784,))
 * new Reshape(28, 28, 1).inputShape(784);   // [n, 784] → [n, 28, 28, 1]
 * new Reshape(-1, 3);                       // [n, 4, 3, 2] → [n, 8, 3]
 * }</pre>
 */
public final class Reshape extends Layer {
    private final int[] targetShape;

    public Reshape(int... targetShape) {
        if (targetShape == null || targetShape.length == 0) {
            throw new IllegalArgumentException("Reshape: the target shape needs at least one extent");
        }
        int inferred = 0;
        for (int extent : targetShape) {
            if (extent == -1) {
                inferred++;
            } else if (extent <= 0) {
                throw new IllegalArgumentException("Reshape: target shape " + Arrays.toString(targetShape)
                        + " has an extent " + extent + "; expected positive extents and at most one -1");
            }
        }
        if (inferred > 1) {
            throw new IllegalArgumentException("Reshape: target shape " + Arrays.toString(targetShape)
                    + " has more than one -1; expected at most one inferred extent");
        }
        this.targetShape = targetShape.clone();
    }

    @Override
    public Reshape inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Reshape name(String value) {
        super.name(value);
        return this;
    }

    /** The target shape as given (−1 for an inferred extent). */
    public int[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        long size = 1;
        for (int extent : inputShape) {
            size *= extent;
        }
        long known = 1;
        int inferredAxis = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                inferredAxis = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] out = targetShape.clone();
        if (inferredAxis >= 0) {
            if (size % known != 0) {
                throw mismatch(inputShape, size);
            }
            out[inferredAxis] = (int) (size / known);
        } else if (known != size) {
            throw mismatch(inputShape, size);
        }
        return out;
    }

    private IllegalArgumentException mismatch(int[] inputShape, long size) {
        return new IllegalArgumentException(name() + " (Reshape): cannot reshape per-sample shape "
                + Arrays.toString(inputShape) + " (" + size + " values) to " + Arrays.toString(targetShape)
                + "; expected a target shape with the same number of values per sample");
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        int[] out = outputShape();
        int[] shape = new int[out.length + 1];
        shape[0] = input.shape(0);
        System.arraycopy(out, 0, shape, 1, out.length);
        return input.reshape(shape);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("target_shape", toList(targetShape));
        return config;
    }

    /** The layer of a saved config. */
    public static Reshape fromConfig(Map<String, Object> config) {
        if (!(config.get("target_shape") instanceof List<?> target)) {
            throw new IllegalArgumentException("Reshape: 'target_shape' is missing from the saved config " + config);
        }
        Reshape layer = new Reshape(toInts(target));
        layer.applyBaseConfig(config);
        return layer;
    }
}
