package dev.nabla.activations;

import dev.nabla.backend.UnaryOp;
import dev.nabla.tensor.Tensor;
import java.util.Locale;

/**
 * The activation functions a layer can apply, by their Keras names ({@code "relu"},
 * {@code "tanh"}, {@code "softmax"} …).
 *
 * <pre>{@code
 * new Dense(512, "tanh");                        // by name, as in Keras
 * new Dense(10, Activations.SOFTMAX);            // or by constant
 * }</pre>
 *
 * <p>Those with a fused kernel ({@link #fused()} not null) run in one pass with the bias of a
 * {@code dev.nabla.nn.Dense} layer. LEAKY_RELU uses the slope 0.01 of the course notes (Keras 3's
 * function defaults to 0.2); softmax works along the last axis.
 */
public enum Activations {
    LINEAR("linear", null, 0),
    RELU("relu", UnaryOp.RELU, 0),
    LEAKY_RELU("leaky_relu", UnaryOp.LEAKY_RELU, 0.01),
    SIGMOID("sigmoid", UnaryOp.SIGMOID, 1),
    TANH("tanh", UnaryOp.TANH, 0),
    SOFTPLUS("softplus", UnaryOp.SOFTPLUS, 1),
    SWISH("swish", UnaryOp.SWISH, 1),
    SOFTMAX("softmax", null, 0);

    private final String kerasName;
    private final UnaryOp fused;
    private final double parameter;

    Activations(String kerasName, UnaryOp fused, double parameter) {
        this.kerasName = kerasName;
        this.fused = fused;
        this.parameter = parameter;
    }

    /** The Keras name, e.g. "leaky_relu". */
    public String kerasName() {
        return kerasName;
    }

    /** The elementwise op of {@link Tensor#biasActivation}, or null for LINEAR and SOFTMAX. */
    public UnaryOp fused() {
        return fused;
    }

    /** The op's parameter (slope or β). */
    public double parameter() {
        return parameter;
    }

    /** This function applied to {@code x}. LINEAR returns {@code x} itself. */
    public Tensor apply(Tensor x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> x.relu();
            case LEAKY_RELU -> x.leakyRelu(parameter);
            case SIGMOID -> x.sigmoid(parameter);
            case TANH -> x.tanh();
            case SOFTPLUS -> x.softplus(parameter);
            case SWISH -> x.swish(parameter);
            case SOFTMAX -> x.softmax(-1);
        };
    }

    /** The activation called {@code name} (Keras name, any case; null or "" is linear). */
    public static Activations get(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("none")) {
            return LINEAR;
        }
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (key.equals("silu")) {
            return SWISH;
        }
        if (key.equals("leakyrelu")) {
            return LEAKY_RELU;
        }
        for (Activations a : values()) {
            if (a.kerasName.equals(key)) {
                return a;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Activations a : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(a.kerasName);
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of " + names);
    }
}
