package dev.nabla.nn;

import dev.nabla.nn.initializers.Initializer;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

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
public final class Conv2D extends BaseConv2D<Conv2D> {
    private final int filters;
    private int groups = 1;

    /** {@code filters} kernels of {@code kernelSize} (one value: square; two: height, width). */
    public Conv2D(int filters, int... kernelSize) {
        super(kernelSize);
        if (filters <= 0) {
            throw new IllegalArgumentException("Conv2D: filters must be positive, got " + filters);
        }
        this.filters = filters;
    }

    /** A square kernel and an activation by its Keras name: {@code new Conv2D(32, 3, "relu")}. */
    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, kernelSize);
        activation(activation);
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

    public Conv2D kernelInitializer(Initializer value) {
        return kernelInitializer("kernelInitializer", value);
    }

    public Conv2D kernelRegularizer(Regularizer value) {
        return kernelRegularizer("kernelRegularizer", value);
    }

    public int filters() {
        return filters;
    }

    public int groups() {
        return groups;
    }

    /** The kernel [kh, kw, channels / groups, filters] (once built). */
    @Override
    public Parameter kernel() {
        return super.kernel();
    }

    @Override
    void checkChannels(int[] inputShape) {
        int channels = inputShape[2];
        if (channels % groups != 0) {
            throw new IllegalArgumentException(name() + " (Conv2D): " + channels + " input channels (per-sample shape "
                    + Arrays.toString(inputShape) + ") cannot be split into " + groups
                    + " groups; expected a multiple of " + groups);
        }
    }

    @Override
    int[] kernelShape(int channels) {
        int[] size = kernelSize();
        return new int[] {size[0], size[1], channels / groups, filters};
    }

    @Override
    int outputChannels(int channels) {
        return filters;
    }

    @Override
    Tensor convolve(Tensor input, Tensor kernel) {
        return input.conv2d(kernel, strides(), padding(), dilationRate(), groups);
    }

    @Override
    String kernelKey() {
        return "kernel";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("filters", filters);
        config.put("groups", groups);
        return config;
    }

    /** The layer of a saved config. */
    public static Conv2D fromConfig(Map<String, Object> config) {
        Windows.requireChannelsLast("Conv2D", config.get("data_format"));
        Conv2D conv = new Conv2D(
                Windows.requiredInt("Conv2D", config, "filters"),
                Windows.pairFrom("Conv2D", "kernel_size", config.get("kernel_size")));
        if (config.get("groups") instanceof Number g) {
            conv.groups(g.intValue());
        }
        return applyConfig(conv, config);
    }
}
