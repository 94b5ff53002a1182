package dev.nabla.nn;

import java.util.Arrays;
import java.util.List;

/**
 * A placeholder for the output of a layer in a functional model (Keras' {@code KerasTensor}): it
 * knows its per-sample shape and which layer made it from which inputs, but holds no data.
 *
 * <pre>{@code
 * SymbolicTensor in = Input.of(16);
 * SymbolicTensor h = new Dense(16, "relu").apply(in);
 * SymbolicTensor out = new Dense(3, "softmax").apply(new Add().apply(h, in));   // a skip connection
 * Model model = Model.of(in, out);
 * }</pre>
 */
public final class SymbolicTensor {
    private final int[] shape;
    private final Layer layer;
    private final List<SymbolicTensor> inputs;

    SymbolicTensor(int[] shape, Layer layer, List<SymbolicTensor> inputs) {
        this.shape = shape.clone();
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
    }

    /** Per-sample shape (the batch axis left out). */
    public int[] shape() {
        return shape.clone();
    }

    /** The layer that produces this tensor. */
    public Layer layer() {
        return layer;
    }

    /** The tensors the layer reads (empty for an {@link Input}). */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    @Override
    public String toString() {
        return "SymbolicTensor(shape=(None, " + Arrays.toString(shape).replaceAll("[\\[\\]]", "") + "), from "
                + layer.name() + ")";
    }
}
