package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.tensor.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * Applies an activation function, as Keras' {@code keras.layers.Activation}.
 *
 * <pre>{@code
 * new Sequential(new Dense(10).inputShape(784), new Activation("softmax"));
 * }</pre>
 */
public final class Activation extends Layer implements ActivatedLayer {
    private final Activations activation;

    public Activation(String activation) {
        this(Activations.get(activation));
    }

    public Activation(Activations activation) {
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    @Override
    public Activations activation() {
        return activation;
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return activation.apply(input);
    }

    @Override
    public Tensor callWithoutActivation(Tensor input, boolean training) {
        return input;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("activation", activation.kerasName());
        return config;
    }

    public static Activation fromConfig(Map<String, Object> config) {
        Activation layer = new Activation((String) config.get("activation"));
        layer.applyBaseConfig(config);
        return layer;
    }
}
