package dev.nabla.samples.train;

import dev.nabla.activations.Activations;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Input;
import dev.nabla.nn.Layer;
import dev.nabla.nn.MaxPooling2D;
import dev.nabla.nn.Model;
import dev.nabla.nn.Reshape;
import dev.nabla.nn.Sequential;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.tensor.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A network written as one short string: the input size, then each layer, separated by {@code -}. A layer is
 * <ul>
 *   <li>{@code UNITS[:ACTIVATION]}: a Dense layer;
 *   <li>{@code dropoutRATE}: a Dropout;
 *   <li>{@code reshapeHxWxC}: a Reshape of each sample, e.g. the 784 pixels of a digit to {@code 28x28x1};
 *   <li>{@code convFkK[same][:ACTIVATION]}: a Conv2D of F filters K×K, stride 1, valid padding unless
 *       {@code same}, relu unless an activation is given;
 *   <li>{@code poolP}: a MaxPooling2D of P×P windows, stride P;
 *   <li>{@code flatten}: a Flatten, from images back to vectors for the Dense layers.
 * </ul>
 * An omitted Dense activation is relu for hidden layers and, for the output, softmax (sigmoid when it has one unit).
 * The output layer is Dense.
 *
 * <pre>{@code
 * NetworkSpec.parse("784-512:tanh-10:softmax");           // the course's MNIST network
 * NetworkSpec.parse("784-1024-512-512-10");                // relu hidden layers, softmax output
 * NetworkSpec.parse("4-16:relu-dropout0.2-3:softmax");     // iris-sized, with dropout
 * NetworkSpec.parse("784-reshape28x28x1-conv32k3-pool2-flatten-128-10");  // a small CNN
 * }</pre>
 *
 * @param inputs the number of input features
 * @param layers the layers after the input, in order
 */
public record NetworkSpec(int inputs, List<LayerSpec> layers) {
    /** The kinds of layer a spec names. */
    public enum Kind {
        DENSE,
        DROPOUT,
        RESHAPE,
        CONV,
        POOL,
        FLATTEN
    }

    /**
     * One layer. {@code sizes} are the units (Dense), the target shape (Reshape), filters and kernel size (Conv2D)
     * or the pool size (MaxPooling2D); {@code same} is a Conv2D's padding.
     */
    public record LayerSpec(Kind kind, List<Integer> sizes, Activations activation, double dropoutRate, boolean same) {
        public LayerSpec {
            sizes = List.copyOf(sizes);
        }

        static LayerSpec dense(int units, Activations activation) {
            return new LayerSpec(Kind.DENSE, List.of(units), activation, 0, false);
        }

        boolean isDropout() {
            return kind == Kind.DROPOUT;
        }

        /** A Dense layer's units. */
        int units() {
            return sizes.get(0);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case DENSE -> units() + ":" + activation.kerasName();
                case DROPOUT -> "dropout" + dropoutRate;
                case RESHAPE ->
                    "reshape"
                            + String.join(
                                    "x", sizes.stream().map(String::valueOf).toList());
                case CONV ->
                    "conv" + sizes.get(0) + "k" + sizes.get(1) + (same ? "same" : "") + ":" + activation.kerasName();
                case POOL -> "pool" + sizes.get(0);
                case FLATTEN -> "flatten";
            };
        }

        /** The new layer. */
        Layer build() {
            return switch (kind) {
                case DENSE -> new Dense(units(), activation);
                case DROPOUT -> new Dropout(dropoutRate);
                case RESHAPE ->
                    new Reshape(sizes.stream().mapToInt(Integer::intValue).toArray());
                case CONV ->
                    new Conv2D(sizes.get(0), sizes.get(1))
                            .padding(same ? Padding.SAME : Padding.VALID)
                            .activation(activation);
                case POOL -> new MaxPooling2D(sizes.get(0));
                case FLATTEN -> new Flatten();
            };
        }
    }

    /** What one layer holds and passes on, for one sample: its weights, and its output's shape. */
    private record Step(LayerSpec layer, long weights, long parameters, int[] output) {
        long outputSize() {
            long n = 1;
            for (int extent : output) {
                n *= extent;
            }
            return n;
        }
    }

    private static final Pattern CONV = Pattern.compile("conv(\\d+)k(\\d+)(same)?");

    public NetworkSpec {
        layers = List.copyOf(layers);
    }

    /**
     * Reads a spec.
     *
     * @throws UsageException saying which part is wrong and what was expected
     */
    public static NetworkSpec parse(String text) {
        String spec = text == null ? "" : text.strip();
        String[] parts = spec.split("-", -1);
        if (parts.length < 2) {
            throw new UsageException("network spec '" + text + "' has no layer; expected INPUTS-UNITS[:ACTIVATION]-…, "
                    + "e.g. 784-512:tanh-10:softmax");
        }
        if (parts[0].contains(":")) {
            throw new UsageException("network spec '" + text + "': the input '" + parts[0] + "' takes no activation; "
                    + "expected a number of features, e.g. 784");
        }
        if (!parts[0].strip().matches("\\d+")) {
            throw new UsageException("network spec '" + text + "': the input size is '" + parts[0] + "'; expected a "
                    + "number of features, e.g. 784-512:tanh-10:softmax, or a preset: " + Preset.names());
        }
        int inputs = count(parts[0], "the input size", text);
        int last = -1;
        for (int i = parts.length - 1; i >= 1; i--) {
            if (!isDropout(parts[i])) {
                last = i;
                break;
            }
        }
        if (last < 0) {
            throw new UsageException("network spec '" + text + "' has only dropout layers; expected at least one "
                    + "Dense layer, e.g. " + parts[0] + "-10:softmax");
        }
        if (last < parts.length - 1) {
            List<String> fixed = new ArrayList<>(List.of(parts).subList(0, last));
            fixed.addAll(List.of(parts).subList(last + 1, parts.length));
            fixed.add(parts[last]);
            throw new UsageException("network spec '" + text + "': dropout cannot follow the output layer; put it "
                    + "before " + parts[last].strip() + ", e.g. "
                    + String.join("-", fixed).strip());
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            layers.add(layer(parts[i].strip(), i, i == last, text));
        }
        if (layers.get(last - 1).kind() != Kind.DENSE) {
            throw new UsageException("network spec '" + text + "': the output layer is '" + parts[last].strip()
                    + "'; expected a Dense layer UNITS[:ACTIVATION], e.g. " + parts[last].strip() + "-10:softmax");
        }
        NetworkSpec network = new NetworkSpec(inputs, layers);
        network.steps(text); // refuses layers whose shapes do not fit
        return network;
    }

    private static LayerSpec layer(String part, int index, boolean output, String text) {
        String lower = part.toLowerCase(Locale.ROOT);
        if (isDropout(part)) {
            return new LayerSpec(Kind.DROPOUT, List.of(), Activations.LINEAR, rate(part, text), false);
        }
        if (lower.equals("flatten")) {
            return new LayerSpec(Kind.FLATTEN, List.of(), Activations.LINEAR, 0, false);
        }
        if (lower.startsWith("reshape")) {
            String[] extents = lower.substring("reshape".length()).split("x", -1);
            List<Integer> shape = new ArrayList<>();
            for (String extent : extents) {
                shape.add(count(extent, "layer '" + part + "''s extents (reshapeHxWxC, e.g. reshape28x28x1)", text));
            }
            return new LayerSpec(Kind.RESHAPE, shape, Activations.LINEAR, 0, false);
        }
        if (lower.startsWith("pool")) {
            int size = count(
                    lower.substring("pool".length()), "layer '" + part + "''s pool size (poolP, e.g. pool2)", text);
            return new LayerSpec(Kind.POOL, List.of(size), Activations.LINEAR, 0, false);
        }
        String[] nameAndActivation = part.split(":", -1);
        if (nameAndActivation.length > 2) {
            throw new UsageException("network spec '" + text + "': layer '" + part + "' has more than one ':'; "
                    + "expected UNITS or UNITS:ACTIVATION");
        }
        Activations activation = nameAndActivation.length == 2 ? activation(nameAndActivation[1], part, text) : null;
        String name = nameAndActivation[0].strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("conv")) {
            var conv = CONV.matcher(name);
            if (!conv.matches()) {
                throw new UsageException("network spec '" + text + "': '" + part + "' is not a convolution; expected "
                        + "convFkK[same][:ACTIVATION], e.g. conv32k3:relu or conv6k5same");
            }
            int filters = count(conv.group(1), "layer '" + part + "''s filters", text);
            int kernel = count(conv.group(2), "layer '" + part + "''s kernel size", text);
            return new LayerSpec(
                    Kind.CONV,
                    List.of(filters, kernel),
                    activation != null ? activation : Activations.RELU,
                    0,
                    conv.group(3) != null);
        }
        int units = count(nameAndActivation[0], "layer " + index + "'s units", text);
        if (activation == null) {
            activation = !output ? Activations.RELU : units == 1 ? Activations.SIGMOID : Activations.SOFTMAX;
        }
        return LayerSpec.dense(units, activation);
    }

    private static Activations activation(String name, String part, String text) {
        try {
            return Activations.get(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("network spec '" + text + "', layer '" + part + "': " + e.getMessage(), e);
        }
    }

    /**
     * Each layer with its weights and output shape, from the input on.
     *
     * @throws UsageException when a layer does not fit the shape before it
     */
    private List<Step> steps(String text) {
        List<Step> steps = new ArrayList<>();
        int[] shape = {inputs};
        for (LayerSpec layer : layers) {
            Step step = step(layer, shape, text);
            steps.add(step);
            shape = step.output();
        }
        return steps;
    }

    private static Step step(LayerSpec layer, int[] in, String text) {
        long size = 1;
        for (int extent : in) {
            size *= extent;
        }
        String shape =
                String.join("×", Arrays.stream(in).mapToObj(String::valueOf).toList());
        return switch (layer.kind()) {
            case DROPOUT -> new Step(layer, 0, 0, in);
            case FLATTEN -> new Step(layer, 0, 0, new int[] {(int) size});
            case RESHAPE -> {
                int[] target =
                        layer.sizes().stream().mapToInt(Integer::intValue).toArray();
                long targetSize = new Step(layer, 0, 0, target).outputSize();
                if (targetSize != size) {
                    throw new UsageException("network spec '" + text + "': " + layer + " holds " + targetSize
                            + " values but its input " + shape + " has " + size + "; expected extents whose product"
                            + " is " + size);
                }
                yield new Step(layer, 0, 0, target);
            }
            case DENSE -> {
                if (in.length != 1) {
                    throw new UsageException("network spec '" + text + "': Dense layer " + layer + " follows images of "
                            + shape + "; expected vectors: put flatten before it");
                }
                long weights = size * layer.units();
                yield new Step(layer, weights, weights + layer.units(), new int[] {layer.units()});
            }
            case CONV, POOL -> {
                if (in.length != 3) {
                    throw new UsageException("network spec '" + text + "': " + layer + " takes images HxWxC but its "
                            + "input is " + shape + "; expected a reshape before it, e.g. reshape28x28x1");
                }
                boolean conv = layer.kind() == Kind.CONV;
                int window = layer.sizes().get(conv ? 1 : 0);
                int h = conv ? (layer.same() ? in[0] : in[0] - window + 1) : in[0] / window;
                int w = conv ? (layer.same() ? in[1] : in[1] - window + 1) : in[1] / window;
                if (h < 1 || w < 1) {
                    throw new UsageException("network spec '" + text + "': " + layer + "'s " + window + "×" + window
                            + " window is larger than its input " + shape + "; expected a smaller window (or same)");
                }
                int channels = conv ? layer.sizes().get(0) : in[2];
                long weights = conv ? (long) window * window * in[2] * channels : 0;
                yield new Step(layer, weights, conv ? weights + channels : 0, new int[] {h, w, channels});
            }
        };
    }

    /**
     * The spec of a loaded Sequential of the layers a spec names (Dense, Dropout, Reshape, Conv2D, MaxPooling2D,
     * Flatten), every layer written out as a fresh run names it
     * (the charts' titles of a resumed run keep the hidden layers); a model of other layers is described by its input
     * and output only, which is all the data's shape checks need.
     */
    public static NetworkSpec of(Model model) {
        int[] input = model.inputShape();
        StringBuilder spec = new StringBuilder().append(input[0]);
        for (Layer layer : model.layers()) {
            if (layer instanceof Dense dense) {
                spec.append('-')
                        .append(dense.units())
                        .append(':')
                        .append(dense.activation().kerasName());
            } else if (layer instanceof Dropout dropout) {
                spec.append("-dropout").append(dropout.rate());
            } else if (layer instanceof Reshape reshape
                    && Arrays.stream(reshape.targetShape()).allMatch(e -> e > 0)) {
                spec.append("-reshape")
                        .append(String.join(
                                "x",
                                Arrays.stream(reshape.targetShape())
                                        .mapToObj(String::valueOf)
                                        .toList()));
            } else if (layer instanceof Conv2D conv && isPlain(conv)) {
                spec.append("-conv")
                        .append(conv.filters())
                        .append('k')
                        .append(conv.kernelSize()[0])
                        .append(conv.padding() == Padding.SAME ? "same" : "")
                        .append(':')
                        .append(conv.activation().kerasName());
            } else if (layer instanceof MaxPooling2D pool && isPlain(pool)) {
                spec.append("-pool").append(pool.poolSize()[0]);
            } else if (layer instanceof Flatten) {
                spec.append("-flatten");
            } else if (!(layer instanceof Input)) {
                return inputAndOutput(model);
            }
        }
        return parse(spec.toString());
    }

    /** A Conv2D a spec can write: square kernel, stride and dilation 1, one group. */
    private static boolean isPlain(Conv2D conv) {
        int[] k = conv.kernelSize();
        return k[0] == k[1]
                && Arrays.stream(conv.strides()).allMatch(s -> s == 1)
                && Arrays.stream(conv.dilationRate()).allMatch(d -> d == 1)
                && conv.groups() == 1;
    }

    /** A MaxPooling2D a spec can write: square windows, stride the window, valid padding. */
    private static boolean isPlain(MaxPooling2D pool) {
        int[] p = pool.poolSize();
        return p[0] == p[1] && Arrays.equals(pool.strides(), p) && pool.padding() == Padding.VALID;
    }

    private static NetworkSpec inputAndOutput(Model model) {
        int[] output = model.outputShape();
        String activation = "linear";
        Layer last = model.layers().get(model.layers().size() - 1);
        if (last instanceof Dense dense) {
            activation = dense.activation().kerasName();
        }
        return parse(model.inputShape()[0] + "-" + output[0] + ":" + activation);
    }

    /** The preset of this network, or null when none or more than one (mlp-sgd and mlp-adam) has it. */
    public Preset preset() {
        List<Preset> same = Arrays.stream(Preset.values())
                .filter(p -> p.network().equals(this))
                .toList();
        return same.size() == 1 ? same.get(0) : null;
    }

    /** Whether the network has convolution layers (and so reads its inputs as images). */
    public boolean isConvolutional() {
        return layers.stream().anyMatch(l -> l.kind() == Kind.CONV);
    }

    /** Units of the output layer. */
    public int outputs() {
        return output().units();
    }

    /** The output layer's activation. */
    public Activations outputActivation() {
        return output().activation();
    }

    private LayerSpec output() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (!layers.get(i).isDropout()) {
                return layers.get(i);
            }
        }
        throw new IllegalStateException("no Dense layer");
    }

    /** Weights and biases of all layers: what the built model's {@code countParams()} will say. */
    public long parameterCount() {
        return steps(toString()).stream().mapToLong(Step::parameters).sum();
    }

    /** Values of all layers' outputs, the input's included: the activations of one sample. */
    public long activationCount() {
        long total = inputs;
        for (Step step : steps(toString())) {
            total += step.layer().isDropout() ? 0 : step.outputSize();
        }
        return total;
    }

    /**
     * The first layer whose weights hold more values than one tensor can ({@code limit}), as "layer 2 (100000 →
     * 100000 units) has 10,000,000,000 weights", or null when every one fits.
     */
    public String oversizedLayer(long limit) {
        List<Step> steps = steps(toString());
        long in = inputs;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.weights() > limit) {
                return step.layer().kind() == Kind.DENSE
                        ? String.format(
                                Locale.ROOT,
                                "layer %d (%d → %d units) has %,d weights",
                                i + 1,
                                in,
                                step.layer().units(),
                                step.weights())
                        : String.format(
                                Locale.ROOT, "layer %d (%s) has %,d weights", i + 1, step.layer(), step.weights());
            }
            in = step.outputSize();
        }
        return null;
    }

    /** A new, unbuilt model of this shape (weights drawn from {@code RandomSeed} when built). */
    public Sequential build() {
        List<Layer> list = new ArrayList<>();
        list.add(new Input(inputs));
        layers.forEach(layer -> list.add(layer.build()));
        return new Sequential(list);
    }

    /** The canonical spelling, every activation written out: {@code 784-512:tanh-10:softmax}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(inputs);
        layers.forEach(l -> s.append('-').append(l));
        return s.toString();
    }

    private static boolean isDropout(String part) {
        return part.strip().toLowerCase(Locale.ROOT).startsWith("dropout");
    }

    private static double rate(String part, String text) {
        String number = part.strip().substring("dropout".length());
        try {
            double rate = Double.parseDouble(number);
            if (rate >= 0 && rate < 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("network spec '" + text + "': '" + part + "' is not a dropout layer; expected "
                + "dropoutRATE with a rate in [0, 1), e.g. dropout0.2");
    }

    private static int count(String value, String what, String text) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(
                "network spec '" + text + "': " + what + " is '" + value + "'; expected a positive " + "whole number");
    }
}
