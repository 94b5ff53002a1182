package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Adds rows and columns of zeros around images [batch, height, width, channels], as Keras'
 * {@code keras.layers.ZeroPadding2D}. Default as Keras: one cell on every side.
 *
 * <pre>{@code
 * // Keras: layers.ZeroPadding2D(2), ZeroPadding2D((1, 2)), ZeroPadding2D(((1, 0), (2, 3)))
 * new ZeroPadding2D(2);                              // [n, 28, 28, c] → [n, 32, 32, c]
 * new ZeroPadding2D(1, 2);                           // 1 above and below, 2 left and right
 * new ZeroPadding2D(new int[][] {{1, 0}, {2, 3}});   // {top, bottom}, {left, right}
 * }</pre>
 */
public final class ZeroPadding2D extends Layer {
    private final int[][] padding;

    /** One cell on every side, as Keras' default. */
    public ZeroPadding2D() {
        this(1);
    }

    /** {@code padding} cells on every side. */
    public ZeroPadding2D(int padding) {
        this(padding, padding);
    }

    /** {@code height} cells above and below, {@code width} cells left and right. */
    public ZeroPadding2D(int height, int width) {
        this(new int[][] {{height, height}, {width, width}});
    }

    /** {@code {{top, bottom}, {left, right}}}. */
    public ZeroPadding2D(int[][] padding) {
        if (padding == null
                || padding.length != 2
                || padding[0] == null
                || padding[1] == null
                || padding[0].length != 2
                || padding[1].length != 2) {
            throw new IllegalArgumentException("ZeroPadding2D: padding " + Arrays.deepToString(padding)
                    + " is not {{top, bottom}, {left, right}}");
        }
        for (int[] axis : padding) {
            for (int w : axis) {
                if (w < 0) {
                    throw new IllegalArgumentException("ZeroPadding2D: padding " + Arrays.deepToString(padding)
                            + " has a negative width; expected widths ≥ 0");
                }
            }
        }
        this.padding = new int[][] {padding[0].clone(), padding[1].clone()};
    }

    @Override
    public ZeroPadding2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public ZeroPadding2D name(String value) {
        super.name(value);
        return this;
    }

    /** {@code {{top, bottom}, {left, right}}}. */
    public int[][] padding() {
        return new int[][] {padding[0].clone(), padding[1].clone()};
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        return new int[] {
            inputShape[0] + padding[0][0] + padding[0][1], inputShape[1] + padding[1][0] + padding[1][1], inputShape[2]
        };
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return input.pad(new int[][] {{0, 0}, padding[0].clone(), padding[1].clone(), {0, 0}}, 0.0);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        List<Object> pairs = new ArrayList<>();
        pairs.add(toList(padding[0]));
        pairs.add(toList(padding[1]));
        config.put("padding", pairs);
        config.put("data_format", "channels_last");
        return config;
    }

    /** The layer of a saved config: padding as one number, two, or two pairs (as Keras writes it). */
    public static ZeroPadding2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("ZeroPadding2D", config.get("data_format"));
        Object value = config.get("padding");
        ZeroPadding2D layer;
        if (value instanceof Number n) {
            layer = new ZeroPadding2D(n.intValue());
        } else if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof List<?> top) {
            layer = new ZeroPadding2D(new int[][] {toInts(top), toInts((List<?>) list.get(1))});
        } else if (value instanceof List<?> list && list.size() == 2) {
            int[] hw = toInts(list);
            layer = new ZeroPadding2D(hw[0], hw[1]);
        } else {
            throw new IllegalArgumentException("ZeroPadding2D: saved padding " + value
                    + " is not a number, {height, width} or {{top, bottom}, {left, right}}");
        }
        layer.applyBaseConfig(config);
        return layer;
    }
}
