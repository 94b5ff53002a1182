package dev.nabla.samples.train;

import dev.nabla.activations.Activations;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Input;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Sequential;
import dev.nabla.samples.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A multilayer perceptron written as one short string: the input size, then each layer, separated by
 * {@code -}. A layer is {@code UNITS[:ACTIVATION]} for a Dense layer or {@code dropoutRATE} for a Dropout.
 * An omitted activation is relu for hidden layers and, for the output, softmax (sigmoid when it has one unit).
 *
 * <pre>{@code
 * NetworkSpec.parse("784-512:tanh-10:softmax");           // the course's MNIST network
 * NetworkSpec.parse("784-1024-512-512-10");                // relu hidden layers, softmax output
 * NetworkSpec.parse("4-16:relu-dropout0.2-3:softmax");     // iris-sized, with dropout
 * }</pre>
 *
 * @param inputs the number of input features
 * @param layers the layers after the input, in order
 */
public record NetworkSpec(int inputs, List<LayerSpec> layers) {
    /** One layer: Dense (units, activation) or Dropout (rate). */
    public record LayerSpec(int units, Activations activation, double dropoutRate) {
        boolean isDropout() {
            return units == 0;
        }

        @Override
        public String toString() {
            return isDropout() ? "dropout" + dropoutRate : units + ":" + activation.kerasName();
        }
    }

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
            String part = parts[i].strip();
            if (isDropout(part)) {
                layers.add(new LayerSpec(0, Activations.LINEAR, rate(part, text)));
                continue;
            }
            String[] unitsAndActivation = part.split(":", -1);
            if (unitsAndActivation.length > 2) {
                throw new UsageException("network spec '" + text + "': layer '" + part + "' has more than one ':'; "
                        + "expected UNITS or UNITS:ACTIVATION");
            }
            int units = count(unitsAndActivation[0], "layer " + i + "'s units", text);
            Activations activation;
            if (unitsAndActivation.length == 2) {
                try {
                    activation = Activations.get(unitsAndActivation[1]);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("network spec '" + text + "', layer '" + part + "': " + e.getMessage(), e);
                }
            } else if (i == last) {
                activation = units == 1 ? Activations.SIGMOID : Activations.SOFTMAX;
            } else {
                activation = Activations.RELU;
            }
            layers.add(new LayerSpec(units, activation, 0));
        }
        return new NetworkSpec(inputs, layers);
    }

    /** Units of the output layer. */
    public int outputs() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (!layers.get(i).isDropout()) {
                return layers.get(i).units();
            }
        }
        throw new IllegalStateException("no Dense layer");
    }

    /** The output layer's activation. */
    public Activations outputActivation() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (!layers.get(i).isDropout()) {
                return layers.get(i).activation();
            }
        }
        throw new IllegalStateException("no Dense layer");
    }

    /** Weights and biases of all Dense layers: what the built model's {@code countParams()} will say. */
    public long parameterCount() {
        long total = 0;
        long in = inputs;
        for (LayerSpec layer : layers) {
            if (!layer.isDropout()) {
                total += in * layer.units() + layer.units();
                in = layer.units();
            }
        }
        return total;
    }

    /** Units of all layers, the input's included: the activations of one sample. */
    public long activationCount() {
        long total = inputs;
        for (LayerSpec layer : layers) {
            total += layer.isDropout() ? 0 : layer.units();
        }
        return total;
    }

    /**
     * The first Dense layer whose weight matrix holds more values than one tensor can ({@code limit}), as
     * "layer 2 (100000 → 100000 units) has 10,000,000,000 weights", or null when every one fits.
     */
    public String oversizedLayer(long limit) {
        long in = inputs;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (layer.isDropout()) {
                continue;
            }
            long weights = in * layer.units();
            if (weights > limit) {
                return String.format(
                        Locale.ROOT, "layer %d (%d → %d units) has %,d weights", i + 1, in, layer.units(), weights);
            }
            in = layer.units();
        }
        return null;
    }

    /** A new, unbuilt model of this shape (weights drawn from {@code RandomSeed} when built). */
    public Sequential build() {
        List<Layer> list = new ArrayList<>();
        list.add(new Input(inputs));
        for (LayerSpec layer : layers) {
            list.add(
                    layer.isDropout()
                            ? new Dropout(layer.dropoutRate())
                            : new Dense(layer.units(), layer.activation()));
        }
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
