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
 * A depthwise 2-D convolution, as Keras' {@code keras.layers.DepthwiseConv2D}: each input channel
 * is convolved with its own {@code depthMultiplier} kernels, giving channels · depthMultiplier
 * output channels (output channel {@code c·depthMultiplier + j} is kernel j of channel c). The
 * kernel is [kh, kw, channels, depthMultiplier] and the bias [channels · depthMultiplier].
 * Defaults as Keras: depth multiplier 1, strides 1, padding "valid", dilation 1, linear
 * activation, Glorot-uniform kernel, zero bias, with a bias.
 *
 * <pre>{@code
 * // Keras: layers.DepthwiseConv2D(3, padding="same", activation="relu")
 * new DepthwiseConv2D(3).padding("same").activation("relu");
 * new DepthwiseConv2D(3, 3).depthMultiplier(2).strides(2);
 * }</pre>
 *
 * <p>It runs as a grouped convolution with one group per channel.
 */
public final class DepthwiseConv2D extends Layer implements ActivatedLayer {
    private final int[] kernelSize;
    private int depthMultiplier = 1;
    private int[] strides = {1, 1};
    private Padding padding = Padding.VALID;
    private int[] dilationRate = {1, 1};
    private Activations activation = Activations.LINEAR;
    private boolean useBias = true;
    private Initializer depthwiseInitializer = new GlorotUniform();
    private Initializer biasInitializer = new Zeros();
    private Regularizer depthwiseRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    /** Kernels of {@code kernelSize} (one value: square; two: height, width). */
    public DepthwiseConv2D(int... kernelSize) {
        this.kernelSize = Windows.pair("DepthwiseConv2D", "kernel_size", kernelSize);
    }

    // ------------------------------------------------------------------ options (before building)

    /** Kernels per input channel (default 1). */
    public DepthwiseConv2D depthMultiplier(int value) {
        requireUnbuilt("depthMultiplier");
        if (value <= 0) {
            throw new IllegalArgumentException("DepthwiseConv2D: depth_multiplier must be positive, got " + value);
        }
        this.depthMultiplier = value;
        return this;
    }

    public DepthwiseConv2D strides(int... value) {
        requireUnbuilt("strides");
        this.strides = Windows.pair("DepthwiseConv2D", "strides", value);
        return this;
    }

    /** "valid" (default) or "same". */
    public DepthwiseConv2D padding(String value) {
        requireUnbuilt("padding");
        this.padding = Windows.padding("DepthwiseConv2D", value);
        return this;
    }

    public DepthwiseConv2D padding(Padding value) {
        requireUnbuilt("padding");
        this.padding = Objects.requireNonNull(value, "padding");
        return this;
    }

    public DepthwiseConv2D dilationRate(int... value) {
        requireUnbuilt("dilationRate");
        this.dilationRate = Windows.pair("DepthwiseConv2D", "dilation_rate", value);
        return this;
    }

    public DepthwiseConv2D activation(String value) {
        return activation(Activations.get(value));
    }

    public DepthwiseConv2D activation(Activations value) {
        requireUnbuilt("activation");
        this.activation = Objects.requireNonNull(value, "activation");
        return this;
    }

    public DepthwiseConv2D useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return this;
    }

    public DepthwiseConv2D depthwiseInitializer(Initializer value) {
        requireUnbuilt("depthwiseInitializer");
        this.depthwiseInitializer = Objects.requireNonNull(value, "depthwiseInitializer");
        return this;
    }

    public DepthwiseConv2D biasInitializer(Initializer value) {
        requireUnbuilt("biasInitializer");
        this.biasInitializer = Objects.requireNonNull(value, "biasInitializer");
        return this;
    }

    public DepthwiseConv2D depthwiseRegularizer(Regularizer value) {
        requireUnbuilt("depthwiseRegularizer");
        this.depthwiseRegularizer = value;
        return this;
    }

    public DepthwiseConv2D biasRegularizer(Regularizer value) {
        requireUnbuilt("biasRegularizer");
        this.biasRegularizer = value;
        return this;
    }

    @Override
    public DepthwiseConv2D inputShape(int... shape) {
        super.inputShape(shape);
        return this;
    }

    @Override
    public DepthwiseConv2D name(String value) {
        super.name(value);
        return this;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int depthMultiplier() {
        return depthMultiplier;
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

    @Override
    public Activations activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    /** The kernel [kh, kw, channels, depthMultiplier] (once built). */
    public Parameter kernel() {
        requireBuilt("kernel");
        return kernel;
    }

    /** The bias [channels · depthMultiplier], or null without one (once built). */
    public Parameter bias() {
        requireBuilt("bias");
        return bias;
    }

    // ------------------------------------------------------------------ layer

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        int[] hw = Windows.output(this, "kernel", inputShape, kernelSize, strides, dilationRate, padding);
        return new int[] {hw[0], hw[1], inputShape[2] * depthMultiplier};
    }

    @Override
    protected void build(int[] inputShape) {
        int[] shape = {kernelSize[0], kernelSize[1], inputShape[2], depthMultiplier};
        kernel = addWeight("kernel", shape, depthwiseInitializer, true, depthwiseRegularizer);
        if (useBias) {
            bias = addWeight(
                    "bias", new int[] {inputShape[2] * depthMultiplier}, biasInitializer, true, biasRegularizer);
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
        int channels = kernel.shape()[2];
        // [kh, kw, c, m] → [kh, kw, 1, c·m]: group c holds output channels c·m … c·m + m − 1
        Tensor grouped = kernel.value().reshape(kernelSize[0], kernelSize[1], 1, channels * depthMultiplier);
        Tensor z = input.conv2d(grouped, strides, padding, dilationRate, channels);
        Dense.closeIfUntracked(grouped, z);
        return Conv2D.biasActivation(z, useBias ? bias.value() : null, act);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("kernel_size", Windows.list(kernelSize));
        config.put("strides", Windows.list(strides));
        config.put("padding", Windows.name(padding));
        config.put("depth_multiplier", depthMultiplier);
        config.put("data_format", "channels_last");
        config.put("dilation_rate", Windows.list(dilationRate));
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        config.put("depthwise_initializer", Dense.initializerConfig(depthwiseInitializer));
        config.put("bias_initializer", Dense.initializerConfig(biasInitializer));
        config.put("depthwise_regularizer", Dense.regularizerConfig(depthwiseRegularizer));
        config.put("bias_regularizer", Dense.regularizerConfig(biasRegularizer));
        return config;
    }

    /** The layer of a saved config. */
    public static DepthwiseConv2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("DepthwiseConv2D", config.get("data_format"));
        DepthwiseConv2D conv =
                new DepthwiseConv2D(Windows.pairFrom("DepthwiseConv2D", "kernel_size", config.get("kernel_size")));
        conv.applyBaseConfig(config);
        if (config.get("depth_multiplier") instanceof Number m) {
            conv.depthMultiplier(m.intValue());
        }
        if (config.get("strides") != null) {
            conv.strides(Windows.pairFrom("DepthwiseConv2D", "strides", config.get("strides")));
        }
        if (config.get("padding") instanceof String p) {
            conv.padding(p);
        }
        if (config.get("dilation_rate") != null) {
            conv.dilationRate(Windows.pairFrom("DepthwiseConv2D", "dilation_rate", config.get("dilation_rate")));
        }
        if (config.get("activation") instanceof String a) {
            conv.activation(a);
        }
        if (config.get("use_bias") instanceof Boolean b) {
            conv.useBias(b);
        }
        Initializer k = Dense.initializerFrom(config.get("depthwise_initializer"));
        if (k != null) {
            conv.depthwiseInitializer(k);
        }
        Initializer b = Dense.initializerFrom(config.get("bias_initializer"));
        if (b != null) {
            conv.biasInitializer(b);
        }
        conv.depthwiseRegularizer(Dense.regularizerFrom(config.get("depthwise_regularizer")));
        conv.biasRegularizer(Dense.regularizerFrom(config.get("bias_regularizer")));
        return conv;
    }
}
