package dev.nabla.nn.regularizers;

import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * A penalty on a weight that is added to the loss, as Keras' {@code keras.regularizers}.
 *
 * <pre>{@code
 * new Dense(64, "relu").kernelRegularizer(new L2(1e-4));
 * }</pre>
 */
public interface Regularizer {
    /** The scalar penalty of {@code weight} (differentiable; recorded by autograd). */
    Tensor penalty(Tensor weight);

    /** The Keras class name ("L1", "L2", "L1L2"). */
    String name();

    /** The constructor arguments, for saving. */
    Map<String, Object> config();

    /** The regularizer of a saved config. */
    static Regularizer fromConfig(String name, Map<String, Object> config) {
        double l1 = config.get("l1") instanceof Number n ? n.doubleValue() : 0;
        double l2 = config.get("l2") instanceof Number n ? n.doubleValue() : 0;
        return switch (name) {
            case "L1", "l1" -> new L1(l1);
            case "L2", "l2" -> new L2(l2);
            case "L1L2", "l1_l2" -> new L1L2(l1, l2);
            default ->
                throw new IllegalArgumentException("unknown regularizer '" + name + "'; expected L1, L2 or L1L2");
        };
    }
}
