package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.nn.initializers.GlorotUniform;
import dev.nabla.nn.initializers.Initializer;
import dev.nabla.nn.initializers.Initializers;
import dev.nabla.nn.initializers.Zeros;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fully connected layer: {@code activation(x · kernel + bias)}, kernel [in, units], bias [units],
 * as Keras' {@code keras.layers.Dense}. Defaults as Keras: linear activation, Glorot-uniform
 * kernel, zero bias, with a bias.
 *
 * <pre>{@code
 * new Dense(512, "tanh").inputShape(784);
 * new Dense(10, Activations.SOFTMAX);
 * new Dense(64, "relu").kernelInitializer(new HeNormal(1)).kernelRegularizer(new L2(1e-4));
 * }</pre>
 *
 * <p>Bias and the activations relu, leaky_relu, sigmoid, tanh, softplus and swish run as one
 * fused kernel ({@link Tensor#biasActivation}). Inputs of rank above 2 are multiplied along
 * their last axis.
 */
public final class Dense extends Layer implements ActivatedLayer {
    private final int units;
    private Activations activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = new GlorotUniform();
    private Initializer biasInitializer = new Zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    public Dense(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        }
        this.units = units;
    }

    public Dense(int units, String activation) {
        this(units, Activations.get(activation));
    }

    public Dense(int units, Activations activation) {
        this(units);
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    // ------------------------------------------------------------------ options (before building)

    public Dense activation(Activations value) {
        requireUnbuilt("activation");
        this.activation = Objects.requireNonNull(value, "activation");
        return this;
    }

    public Dense useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return this;
    }

    public Dense kernelInitializer(Initializer value) {
        requireUnbuilt("kernelInitializer");
        this.kernelInitializer = Objects.requireNonNull(value, "kernelInitializer");
        return this;
    }

    public Dense biasInitializer(Initializer value) {
        requireUnbuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(value, "biasInitializer");
        return this;
    }

    public Dense kernelRegularizer(Regularizer value) {
        requireUnbuilt("kernelRegularizer");
        this.kernelRegularizer = value;
        return this;
    }

    public Dense biasRegularizer(Regularizer value) {
        requireUnbuilt("biasRegularizer");
        this.biasRegularizer = value;
        return this;
    }

    @Override
    public Dense inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Dense name(String value) {
        super.name(value);
        return this;
    }

    public int units() {
        return units;
    }

    @Override
    public Activations activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    /** The kernel [in, units] (once built). */
    public Parameter kernel() {
        requireBuilt("kernel");
        return kernel;
    }

    /** The bias [units], or null without one (once built). */
    public Parameter bias() {
        requireBuilt("bias");
        return bias;
    }

    // ------------------------------------------------------------------ layer

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException(
                    name() + " (Dense) needs inputs with at least one feature axis; got per-sample shape []"
                            + " (scalars per sample)");
        }
        int[] out = inputShape.clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override
    protected void build(int[] inputShape) {
        int in = inputShape[inputShape.length - 1];
        kernel = addWeight("kernel", new int[] {in, units}, kernelInitializer, true, kernelRegularizer);
        if (useBias) {
            bias = addWeight("bias", new int[] {units}, biasInitializer, true, biasRegularizer);
        }
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return forward(input, true);
    }

    @Override
    public Tensor callWithoutActivation(Tensor input, boolean training) {
        return forward(input, false);
    }

    private Tensor forward(Tensor input, boolean activate) {
        Activations act = activate ? activation : Activations.LINEAR;
        int in = kernel.shape()[0];
        boolean flatten = input.rank() != 2;
        Tensor x = flatten ? input.reshape(-1, in) : input;
        Tensor z = x.matmul(kernel.value());
        Tensor out;
        if (useBias && (act.fused() != null || act == Activations.LINEAR)) {
            out = z.biasActivation(bias.value(), act.fused(), act.parameter());
        } else {
            Tensor pre = useBias ? z.biasActivation(bias.value(), null, 0) : z;
            out = act.apply(pre);
            if (pre != z && pre != out) {
                closeIfUntracked(pre, out);
            }
        }
        if (z != out) {
            closeIfUntracked(z, out);
        }
        if (flatten) {
            int[] shape = input.shape();
            shape[shape.length - 1] = units;
            Tensor shaped = out.reshape(shape);
            closeIfUntracked(out, shaped);
            closeIfUntracked(x, shaped);
            return shaped;
        }
        return out;
    }

    /** Intermediate results are closed at once when no graph holds them (inference outside a scope). */
    static void closeIfUntracked(Tensor intermediate, Tensor result) {
        if (intermediate != result && !result.tracksGrad()) {
            intermediate.close();
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("units", units);
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put("kernel_initializer", initializerConfig(kernelInitializer));
        config.put("bias_initializer", initializerConfig(biasInitializer));
        config.put("kernel_regularizer", regularizerConfig(kernelRegularizer));
        config.put("bias_regularizer", regularizerConfig(biasRegularizer));
        return config;
    }

    /** The layer of a saved config. */
    public static Dense fromConfig(Map<String, Object> config) {
        Dense dense = new Dense(((Number) config.get("units")).intValue(), (String) config.get("activation"));
        dense.applyBaseConfig(config);
        if (config.get("use_bias") instanceof Boolean b) {
            dense.useBias(b);
        }
        Initializer k = initializerFrom(config.get("kernel_initializer"));
        if (k != null) {
            dense.kernelInitializer(k);
        }
        Initializer b = initializerFrom(config.get("bias_initializer"));
        if (b != null) {
            dense.biasInitializer(b);
        }
        dense.kernelRegularizer(regularizerFrom(config.get("kernel_regularizer")));
        dense.biasRegularizer(regularizerFrom(config.get("bias_regularizer")));
        return dense;
    }

    static Map<String, Object> initializerConfig(Initializer initializer) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("class_name", initializer.name());
        map.put("config", initializer.config());
        return map;
    }

    @SuppressWarnings("unchecked")
    static Initializer initializerFrom(Object value) {
        if (value instanceof Map<?, ?> map) {
            Object config = map.get("config");
            return Initializers.fromConfig(
                    (String) map.get("class_name"), config instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of());
        }
        return null;
    }

    static Object regularizerConfig(Regularizer regularizer) {
        if (regularizer == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("class_name", regularizer.name());
        map.put("config", regularizer.config());
        return map;
    }

    @SuppressWarnings("unchecked")
    static Regularizer regularizerFrom(Object value) {
        if (value instanceof Map<?, ?> map) {
            Object config = map.get("config");
            return Regularizer.fromConfig(
                    (String) map.get("class_name"), config instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of());
        }
        return null;
    }
}
