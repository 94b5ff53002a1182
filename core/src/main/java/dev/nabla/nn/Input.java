package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The entry of a model: fixes the per-sample input shape (Keras' {@code keras.Input} /
 * {@code InputLayer}).
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Input(784), new Dense(512, "tanh"), new Dense(10, "softmax"));
 * SymbolicTensor in = Input.of(784);       // the functional form
 * }</pre>
 */
public final class Input extends Layer {
    private final int[] shape;
    private final SymbolicTensor output;

    /** An input of per-sample shape {@code shape} (the batch axis left out). */
    public Input(int... shape) {
        inputShape(shape);
        this.shape = shape.clone();
        this.output = new SymbolicTensor(shape, this, List.of());
    }

    /** The symbolic tensor of a new input of per-sample shape {@code shape}, for the functional API. */
    public static SymbolicTensor of(int... shape) {
        return new Input(shape).output();
    }

    /** This input's symbolic tensor. */
    public SymbolicTensor output() {
        return output;
    }

    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String typeName() {
        return "InputLayer";
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return input;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("shape", toList(shape));
        return config;
    }

    /** The layer of a saved config. */
    public static Input fromConfig(Map<String, Object> config) {
        Input input = new Input(toInts((List<?>) config.get("shape")));
        if (config.get("name") instanceof String n) {
            input.name(n);
        }
        return input;
    }
}
