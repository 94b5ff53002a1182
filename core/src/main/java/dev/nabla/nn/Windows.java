package dev.nabla.nn;

import dev.nabla.tensor.Padding;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shape arithmetic and argument checks shared by the 2-D convolution and pooling layers (NHWC,
 * Keras' {@code channels_last}): per-sample shapes are [height, width, channels].
 */
final class Windows {
    private Windows() {}

    /** One value for both axes, or {height, width}; every value positive. */
    static int[] pair(String owner, String what, int... values) {
        if (values == null || values.length < 1 || values.length > 2) {
            throw new IllegalArgumentException(owner + ": " + what + " takes one value or two (height, width), got "
                    + (values == null ? "null" : Arrays.toString(values)));
        }
        int[] out = values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
        for (int v : out) {
            if (v <= 0) {
                throw new IllegalArgumentException(
                        owner + ": " + what + " must be positive, got " + Arrays.toString(values));
            }
        }
        return out;
    }

    /** "valid" or "same" (any case). */
    static Padding padding(String owner, String value) {
        if (value != null) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "valid":
                    return Padding.VALID;
                case "same":
                    return Padding.SAME;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(
                owner + ": padding '" + value + "' is not known; expected \"valid\" or \"same\"");
    }

    /** The Keras name of a padding mode: "valid" or "same". */
    static String name(Padding padding) {
        return padding.name().toLowerCase(Locale.ROOT);
    }

    /** Checks that a per-sample input is [height, width, channels]; {@code layer} names the layer in the message. */
    static void requireImage(Layer layer, int[] inputShape) {
        if (inputShape.length != 3) {
            StringBuilder got = new StringBuilder("[batch");
            for (int d : inputShape) {
                got.append(", ").append(d);
            }
            throw new IllegalArgumentException(layer.name() + " (" + layer.typeName()
                    + "): expected a rank-4 input [batch, height, width, channels], got " + got + "]");
        }
    }

    /**
     * The output height and width of a window of {@code size} (dilated by {@code dilation}) sliding
     * with {@code strides} over an input of per-sample shape [h, w, c], as TensorFlow computes them:
     * VALID gives floor((in − effective) / stride) + 1, SAME gives ceil(in / stride). A window
     * larger than the (unpadded, for VALID) input is an error naming the layer and both shapes.
     */
    static int[] output(
            Layer layer, String window, int[] inputShape, int[] size, int[] strides, int[] dilation, Padding padding) {
        int[] out = new int[2];
        int[] effective = new int[2];
        for (int axis = 0; axis < 2; axis++) {
            effective[axis] = (size[axis] - 1) * dilation[axis] + 1;
        }
        for (int axis = 0; axis < 2; axis++) {
            int in = inputShape[axis];
            if (padding == Padding.SAME) {
                out[axis] = (in + strides[axis] - 1) / strides[axis];
            } else {
                if (effective[axis] > in) {
                    boolean dilated = dilation[0] != 1 || dilation[1] != 1;
                    throw new IllegalArgumentException(layer.name() + " (" + layer.typeName() + "): the " + window
                            + " " + Arrays.toString(size)
                            + (dilated
                                    ? " (" + Arrays.toString(effective) + " with dilation " + Arrays.toString(dilation)
                                            + ")"
                                    : "")
                            + " is larger than the input " + Arrays.toString(Arrays.copyOf(inputShape, 2))
                            + " of per-sample shape " + Arrays.toString(inputShape)
                            + " with padding \"valid\"; expected a " + window
                            + " no larger than the input's height and width (or padding \"same\")");
                }
                out[axis] = (in - effective[axis]) / strides[axis] + 1;
            }
        }
        return out;
    }

    static List<Integer> list(int[] values) {
        return Layer.toList(values);
    }

    /** A saved pair: a list of two numbers, or one number. */
    static int[] pairFrom(String owner, String what, Object value) {
        if (value instanceof Number n) {
            return pair(owner, what, n.intValue());
        }
        if (value instanceof List<?> l) {
            return pair(owner, what, Layer.toInts(l));
        }
        throw new IllegalArgumentException(owner + ": " + what + " is missing from the saved config");
    }

    /** A required whole number of a saved config. */
    static int requiredInt(String owner, Map<String, Object> config, String key) {
        if (config.get(key) instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException(owner + ": '" + key + "' is missing from the saved config " + config);
    }

    /** Only channels_last is supported; a saved channels_first is refused by name. */
    static void requireChannelsLast(String owner, Object dataFormat) {
        if (dataFormat != null && !"channels_last".equals(dataFormat)) {
            throw new IllegalArgumentException(owner + ": data_format '" + dataFormat
                    + "' is not supported; Nabla's images are channels_last [batch, height, width, channels]");
        }
    }
}
