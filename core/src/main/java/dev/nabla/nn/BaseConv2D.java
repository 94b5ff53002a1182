package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.nn.initializers.GlorotUniform;
import dev.nabla.nn.initializers.Initializer;
import dev.nabla.nn.initializers.Zeros;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Conv2D} and {@link DepthwiseConv2D} share, as Keras' {@code BaseConv}: the window
 * geometry, the activation, the bias, the kernel's initializer and regularizer, building the
 * weights, {@code activation(conv(x) + bias)} and the saved config. A subclass says only how many
 * channels come out, what shape its kernel has and how it convolves.
 *
 * @param <L> the concrete layer, so that the setters chain
 */
public abstract sealed class BaseConv2D<L extends BaseConv2D<L>> extends Window2DLayer<L> implements ActivatedLayer
        permits Conv2D, DepthwiseConv2D {
    private final int[] kernelSize;
    private int[] dilationRate = {1, 1};
    private Activations activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = new GlorotUniform();
    private Initializer biasInitializer = new Zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    BaseConv2D(int... kernelSize) {
        this.kernelSize = Windows.pair(typeName(), "kernel_size", kernelSize);
    }

    /** The kernel's shape for {@code channels} input channels. */
    abstract int[] kernelShape(int channels);

    /** The output channels for {@code channels} input channels. */
    abstract int outputChannels(int channels);

    /** The convolution of {@code input} with {@code kernel}, before bias and activation. */
    abstract Tensor convolve(Tensor input, Tensor kernel);

    /** The Keras config key of the kernel's initializer and regularizer: "kernel" or "depthwise". */
    abstract String kernelKey();

    /** Refuses input channels the layer cannot take (none by default). */
    void checkChannels(int[] inputShape) {}

    // ------------------------------------------------------------------ options (before building)

    /** Spacing of the kernel's taps: one value for both axes, or height, width (default 1). */
    public L dilationRate(int... value) {
        requireUnbuilt("dilationRate");
        this.dilationRate = Windows.pair(typeName(), "dilation_rate", value);
        return self();
    }

    /** The activation by its Keras name (default "linear"). */
    public L activation(String value) {
        return activation(Activations.get(value));
    }

    public L activation(Activations value) {
        requireUnbuilt("activation");
        this.activation = Objects.requireNonNull(value, "activation");
        return self();
    }

    /** Whether to add a bias (default true). */
    public L useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return self();
    }

    public L biasInitializer(Initializer value) {
        requireUnbuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(value, "biasInitializer");
        return self();
    }

    public L biasRegularizer(Regularizer value) {
        requireUnbuilt("biasRegularizer");
        this.biasRegularizer = value;
        return self();
    }

    final L kernelInitializer(String what, Initializer value) {
        requireUnbuilt(what);
        this.kernelInitializer = Objects.requireNonNull(value, what);
        return self();
    }

    final L kernelRegularizer(String what, Regularizer value) {
        requireUnbuilt(what);
        this.kernelRegularizer = value;
        return self();
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] dilationRate() {
        return dilationRate.clone();
    }

    @Override
    public Activations activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    /** The kernel (once built). */
    public Parameter kernel() {
        requireBuilt("kernel");
        return kernel;
    }

    /** The bias [output channels], or null without one (once built). */
    public Parameter bias() {
        requireBuilt("bias");
        return bias;
    }

    // ------------------------------------------------------------------ layer

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        checkChannels(inputShape);
        int[] hw = Windows.output(this, "kernel", inputShape, kernelSize, strides, dilationRate, padding);
        return new int[] {hw[0], hw[1], outputChannels(inputShape[2])};
    }

    @Override
    protected void build(int[] inputShape) {
        int channels = inputShape[2];
        kernel = addWeight("kernel", kernelShape(channels), kernelInitializer, true, kernelRegularizer);
        if (useBias) {
            bias = addWeight("bias", new int[] {outputChannels(channels)}, biasInitializer, true, biasRegularizer);
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
        Tensor z = convolve(input, kernel.value());
        return biasActivation(z, useBias ? bias.value() : null, act);
    }

    /**
     * activation(z + bias) over the last axis of an NHWC tensor: bias and a fusable activation run
     * as one kernel on z viewed as [n·h·w, channels]; other activations are applied after.
     */
    private static Tensor biasActivation(Tensor z, Tensor bias, Activations act) {
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
        config.put("kernel_size", Windows.list(kernelSize));
        config.put("strides", Windows.list(strides));
        config.put("padding", Windows.name(padding));
        config.put("data_format", "channels_last");
        config.put("dilation_rate", Windows.list(dilationRate));
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put(kernelKey() + "_initializer", Dense.initializerConfig(kernelInitializer));
        config.put("bias_initializer", Dense.initializerConfig(biasInitializer));
        config.put(kernelKey() + "_regularizer", Dense.regularizerConfig(kernelRegularizer));
        config.put("bias_regularizer", Dense.regularizerConfig(biasRegularizer));
        return config;
    }

    /** Applies the shared keys of a saved config to {@code layer}, made by the subclass from its own keys. */
    static <L extends BaseConv2D<L>> L applyConfig(L layer, Map<String, Object> config) {
        String type = layer.typeName();
        layer.applyBaseConfig(config);
        if (config.get("strides") != null) {
            layer.strides(Windows.pairFrom(type, "strides", config.get("strides")));
        }
        if (config.get("padding") instanceof String p) {
            layer.padding(p);
        }
        if (config.get("dilation_rate") != null) {
            layer.dilationRate(Windows.pairFrom(type, "dilation_rate", config.get("dilation_rate")));
        }
        if (config.get("activation") instanceof String a) {
            layer.activation(a);
        }
        if (config.get("use_bias") instanceof Boolean b) {
            layer.useBias(b);
        }
        String key = layer.kernelKey();
        Initializer k = Dense.initializerFrom(config.get(key + "_initializer"));
        if (k != null) {
            layer.kernelInitializer(key + "Initializer", k);
        }
        Initializer b = Dense.initializerFrom(config.get("bias_initializer"));
        if (b != null) {
            layer.biasInitializer(b);
        }
        layer.kernelRegularizer(key + "Regularizer", Dense.regularizerFrom(config.get(key + "_regularizer")));
        layer.biasRegularizer(Dense.regularizerFrom(config.get("bias_regularizer")));
        return layer;
    }
}
