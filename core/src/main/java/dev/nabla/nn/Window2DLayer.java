package dev.nabla.nn;

import dev.nabla.tensor.Padding;
import java.util.Objects;

/**
 * A layer that slides a 2-D window over images [batch, height, width, channels]: the window's
 * strides and padding, shared by the convolutions ({@link Conv2D}, {@link DepthwiseConv2D}) and the
 * poolings ({@link MaxPooling2D}, {@link AveragePooling2D}).
 *
 * <pre>{@code
 * MaxPooling2D pool = new MaxPooling2D(3).strides(2).padding("same");
 * }</pre>
 *
 * @param <L> the concrete layer, so that the setters chain
 */
public abstract sealed class Window2DLayer<L extends Window2DLayer<L>> extends ChainedLayer<L>
        permits BaseConv2D, Pooling2D {
    /** Read by the subclasses; 1 by default, which a pooling sets to its pool size (as Keras). */
    int[] strides = {1, 1};

    Padding padding = Padding.VALID;

    Window2DLayer() {}

    /** The step of the window: one value for both axes, or height, width. */
    public L strides(int... value) {
        requireUnbuilt("strides");
        this.strides = Windows.pair(typeName(), "strides", value);
        return self();
    }

    /** "valid" (default: no padding) or "same" (output extent ceil(in / stride)). */
    public L padding(String value) {
        requireUnbuilt("padding");
        this.padding = Windows.padding(typeName(), value);
        return self();
    }

    /** {@link Padding#VALID} (default) or {@link Padding#SAME}. */
    public L padding(Padding value) {
        requireUnbuilt("padding");
        this.padding = Objects.requireNonNull(value, "padding");
        return self();
    }

    public int[] strides() {
        return strides.clone();
    }

    public Padding padding() {
        return padding;
    }
}
