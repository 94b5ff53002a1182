package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.nn.initializers.GlorotUniform;
import dev.nabla.nn.initializers.Initializer;
import dev.nabla.nn.initializers.Zeros;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * A 2-D convolution over images [batch, height, width, channels] (channels last), as Keras'
 * {@code keras.layers.Conv2D}: {@code activation(conv(x, kernel) + bias)} with a kernel
 * [kh, kw, channels / groups, filters] and a bias [filters]. Defaults as Keras: strides 1,
 * padding "valid", dilation 1, one group, linear activation, Glorot-uniform kernel, zero bias,
 * with a bias.
 *
 * <pre>{@code
 * // Keras: layers.Conv2D(6, 5, padding="same", activation="relu", input_shape=(28, 28, 1))
 * new Conv2D(6, 5).padding("same").activation("relu").inputShape(28, 28, 1);
 * new Conv2D(32, 3, "relu").strides(2);
 * new Conv2D(64, 3, 3).dilationRate(2).kernelInitializer(new HeNormal(1)).kernelRegularizer(new L2(1e-4));
 * }</pre>
 *
 * <p>Padding "same" gives ceil(in / stride) outputs per axis (TensorFlow's rule, padding the
 * odd cell after); "valid" gives floor((in − (k − 1)·dilation − 1) / stride) + 1 and refuses a
 * kernel larger than the input. The bias and the activations relu, leaky_relu, sigmoid, tanh,
 * softplus and swish run as one fused kernel, as in {@link Dense}.
 */
public final class Conv2D extends Layer implements ActivatedLayer {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private Padding padding = Padding.VALID;
    private int[] dilationRate = {1, 1};
    private int groups = 1;
    private Activations activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = new GlorotUniform();
    private Initializer biasInitializer = new Zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    /** {@code filters} kernels of {@code kernelSize} (one value: square; two: height, width). */
    public Conv2D(int filters, int... kernelSize) {
        if (filters <= 0) {
            throw new IllegalArgumentException("Conv2D: filters must be positive, got " + filters);
        }
        this.filters = filters;
        this.kernelSize = Windows.pair("Conv2D", "kernel_size", kernelSize);
    }

    /** A square kernel and an activation by its Keras name: {@code new Conv2D(32, 3, "relu")}. */
    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, kernelSize);
        activation(activation);
    }

    // ------------------------------------------------------------------ options (before building)

    /** The step of the window: one value for both axes, or height, width (default 1). */
    public Conv2D strides(int... value) {
        requireUnbuilt("strides");
        this.strides = Windows.pair("Conv2D", "strides", value);
        return this;
    }

    /** "valid" (default: no padding) or "same" (output extent ceil(in / stride)). */
    public Conv2D padding(String value) {
        requireUnbuilt("padding");
        this.padding = Windows.padding("Conv2D", value);
        return this;
    }

    public Conv2D padding(Padding value) {
        requireUnbuilt("padding");
        this.padding = Objects.requireNonNull(value, "padding");
        return this;
    }

    /** Spacing of the kernel's taps: one value for both axes, or height, width (default 1). */
    public Conv2D dilationRate(int... value) {
        requireUnbuilt("dilationRate");
        this.dilationRate = Windows.pair("Conv2D", "dilation_rate", value);
        return this;
    }

    /** Splits the channels into {@code value} groups convolved separately (default 1), as Keras' {@code groups}. */
    public Conv2D groups(int value) {
        requireUnbuilt("groups");
        if (value <= 0 || filters % value != 0) {
            throw new IllegalArgumentException(
                    "Conv2D: groups must be positive and divide filters (" + filters + "), got " + value);
        }
        this.groups = value;
        return this;
    }

    public Conv2D activation(String value) {
        return activation(Activations.get(value));
    }

    public Conv2D activation(Activations value) {
        requireUnbuilt("activation");
        this.activation = Objects.requireNonNull(value, "activation");
        return this;
    }

    public Conv2D useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return this;
    }

    public Conv2D kernelInitializer(Initializer value) {
        requireUnbuilt("kernelInitializer");
        this.kernelInitializer = Objects.requireNonNull(value, "kernelInitializer");
        return this;
    }

    public Conv2D biasInitializer(Initializer value) {
        requireUnbuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(value, "biasInitializer");
        return this;
    }

    public Conv2D kernelRegularizer(Regularizer value) {
        requireUnbuilt("kernelRegularizer");
        this.kernelRegularizer = value;
        return this;
    }

    public Conv2D biasRegularizer(Regularizer value) {
        requireUnbuilt("biasRegularizer");
        this.biasRegularizer = value;
        return this;
    }

    @Override
    public Conv2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public Conv2D name(String value) {
        super.name(value);
        return this;
    }

    public int filters() {
        return filters;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public Padding padding() {
        return padding;
    }

    public int[] dilationRate() {
        return dilationRate.clone();
    }

    public int groups() {
        return groups;
    }

    @Override
    public Activations activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    /** The kernel [kh, kw, channels / groups, filters] (once built). */
    public Parameter kernel() {
        requireBuilt("kernel");
        return kernel;
    }

    /** The bias [filters], or null without one (once built). */
    public Parameter bias() {
        requireBuilt("bias");
        return bias;
    }

    // ------------------------------------------------------------------ layer

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        int channels = inputShape[2];
        if (channels % groups != 0) {
            throw new IllegalArgumentException(name() + " (Conv2D): " + channels + " input channels (per-sample shape "
                    + java.util.Arrays.toString(inputShape) + ") cannot be split into " + groups
                    + " groups; expected a multiple of " + groups);
        }
        int[] hw = Windows.output(this, "kernel", inputShape, kernelSize, strides, dilationRate, padding);
        return new int[] {hw[0], hw[1], filters};
    }

    @Override
    protected void build(int[] inputShape) {
        int[] shape = {kernelSize[0], kernelSize[1], inputShape[2] / groups, filters};
        kernel = addWeight("kernel", shape, kernelInitializer, true, kernelRegularizer);
        if (useBias) {
            bias = addWeight("bias", new int[] {filters}, biasInitializer, true, biasRegularizer);
        }
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return forward(input, activation);
    }

    @Override
    public Tensor callWithoutActivation(Tensor input, boolean training) {
        return forward(input, Activations.LINEAR);
    }

    private Tensor forward(Tensor input, Activations act) {
        Tensor z = input.conv2d(kernel.value(), strides, padding, dilationRate, groups);
        return biasActivation(z, useBias ? bias.value() : null, act);
    }

    /**
     * activation(z + bias) over the last axis of an NHWC tensor: bias and a fusable activation run
     * as one kernel on z viewed as [n·h·w, channels]; other activations are applied after.
     */
    static Tensor biasActivation(Tensor z, Tensor bias, Activations act) {
        if (bias == null) {
            Tensor out = act.apply(z);
            Dense.closeIfUntracked(z, out);
            return out;
        }
        int[] shape = z.shape();
        Tensor rows = z.reshape(-1, shape[shape.length - 1]);
        boolean fused = act.fused() != null || act == Activations.LINEAR;
        Tensor summed = rows.biasActivation(bias, fused ? act.fused() : null, fused ? act.parameter() : 0);
        Tensor shaped = summed.reshape(shape);
        Tensor out = fused ? shaped : act.apply(shaped);
        for (Tensor t : new Tensor[] {z, rows, summed, shaped}) {
            if (t != out) {
                Dense.closeIfUntracked(t, out);
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("filters", filters);
        config.put("kernel_size", Windows.list(kernelSize));
        config.put("strides", Windows.list(strides));
        config.put("padding", Windows.name(padding));
        config.put("data_format", "channels_last");
        config.put("dilation_rate", Windows.list(dilationRate));
        config.put("groups", groups);
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put("kernel_initializer", Dense.initializerConfig(kernelInitializer));
        config.put("bias_initializer", Dense.initializerConfig(biasInitializer));
        config.put("kernel_regularizer", Dense.regularizerConfig(kernelRegularizer));
        config.put("bias_regularizer", Dense.regularizerConfig(biasRegularizer));
        return config;
    }

    /** The layer of a saved config. */
    public static Conv2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("Conv2D", config.get("data_format"));
        Conv2D conv = new Conv2D(
                Windows.requiredInt("Conv2D", config, "filters"),
                Windows.pairFrom("Conv2D", "kernel_size", config.get("kernel_size")));
        conv.applyBaseConfig(config);
        if (config.get("strides") != null) {
            conv.strides(Windows.pairFrom("Conv2D", "strides", config.get("strides")));
        }
        if (config.get("padding") instanceof String p) {
            conv.padding(p);
        }
        if (config.get("dilation_rate") != null) {
            conv.dilationRate(Windows.pairFrom("Conv2D", "dilation_rate", config.get("dilation_rate")));
        }
        if (config.get("groups") instanceof Number g) {
            conv.groups(g.intValue());
        }
        if (config.get("activation") instanceof String a) {
            conv.activation(a);
        }
        if (config.get("use_bias") instanceof Boolean b) {
            conv.useBias(b);
        }
        Initializer k = Dense.initializerFrom(config.get("kernel_initializer"));
        if (k != null) {
            conv.kernelInitializer(k);
        }
        Initializer b = Dense.initializerFrom(config.get("bias_initializer"));
        if (b != null) {
            conv.biasInitializer(b);
        }
        conv.kernelRegularizer(Dense.regularizerFrom(config.get("kernel_regularizer")));
        conv.biasRegularizer(Dense.regularizerFrom(config.get("bias_regularizer")));
        return conv;
    }
}
