package dev.nabla.nn;

import dev.nabla.nn.initializers.Initializer;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Tensor;
import java.util.Map;

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
public final class DepthwiseConv2D extends BaseConv2D<DepthwiseConv2D> {
    private int depthMultiplier = 1;

    /** Kernels of {@code kernelSize} (one value: square; two: height, width). */
    public DepthwiseConv2D(int... kernelSize) {
        super(kernelSize);
    }

    /** Kernels per input channel (default 1). */
    public DepthwiseConv2D depthMultiplier(int value) {
        requireUnbuilt("depthMultiplier");
        if (value <= 0) {
            throw new IllegalArgumentException("DepthwiseConv2D: depth_multiplier must be positive, got " + value);
        }
        this.depthMultiplier = value;
        return this;
    }

    public DepthwiseConv2D depthwiseInitializer(Initializer value) {
        return kernelInitializer("depthwiseInitializer", value);
    }

    public DepthwiseConv2D depthwiseRegularizer(Regularizer value) {
        return kernelRegularizer("depthwiseRegularizer", value);
    }

    public int depthMultiplier() {
        return depthMultiplier;
    }

    /** The kernel [kh, kw, channels, depthMultiplier] (once built). */
    @Override
    public Parameter kernel() {
        return super.kernel();
    }

    @Override
    int[] kernelShape(int channels) {
        int[] size = kernelSize();
        return new int[] {size[0], size[1], channels, depthMultiplier};
    }

    @Override
    int outputChannels(int channels) {
        return channels * depthMultiplier;
    }

    @Override
    Tensor convolve(Tensor input, Tensor kernel) {
        int[] size = kernelSize();
        int channels = kernel.shape()[2];
        // [kh, kw, c, m] → [kh, kw, 1, c·m]: group c holds output channels c·m … c·m + m − 1
        Tensor grouped = kernel.reshape(size[0], size[1], 1, channels * depthMultiplier);
        Tensor z = input.conv2d(grouped, strides(), padding(), dilationRate(), channels);
        Dense.closeIfUntracked(grouped, z);
        return z;
    }

    @Override
    String kernelKey() {
        return "depthwise";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("depth_multiplier", depthMultiplier);
        return config;
    }

    /** The layer of a saved config. */
    public static DepthwiseConv2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("DepthwiseConv2D", config.get("data_format"));
        DepthwiseConv2D conv =
                new DepthwiseConv2D(Windows.pairFrom("DepthwiseConv2D", "kernel_size", config.get("kernel_size")));
        if (config.get("depth_multiplier") instanceof Number m) {
            conv.depthMultiplier(m.intValue());
        }
        return applyConfig(conv, config);
    }
}
