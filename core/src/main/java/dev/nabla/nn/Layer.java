package dev.nabla.nn;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.nn.initializers.Initializer;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A building block of a model, as Keras' {@code keras.layers.Layer}: it is built on the first
 * input shape it sees (creating its weights on a backend), then maps input tensors to output
 * tensors.
 *
 * <p>Shapes here are per sample, without the batch axis: a Dense layer on 784 features has
 * input shape {@code [784]}; the tensors it is called with are {@code [batch, 784]}.
 *
 * <p><b>Writing a layer.</b> Override {@link #build(int[])} to create weights with
 * {@link #addWeight}, {@link #call(Tensor, boolean)} for the forward pass (with the tensor API;
 * autograd derives the backward), {@link #computeOutputShape(int[])}, and {@link #config()} if
 * it has constructor arguments to save. Register it with
 * {@link LayerRegistry#register} to load saved models that contain it.
 *
 * <pre>{@code
 * class Scale extends Layer {
 *     private Parameter factor;
 *     protected void build(int[] inputShape) {
 *         factor = addWeight("factor", new int[] {inputShape[0]}, new Ones(), true, null);
 *     }
 *     protected Tensor call(Tensor x, boolean training) { return x.mul(factor.value()); }
 * }
 * }</pre>
 *
 * <p>Weights belong to the layer and are released by {@link #close()} (a model closes its layers).
 */
public abstract class Layer implements AutoCloseable {
    private static final Map<String, AtomicInteger> NAME_COUNTERS = new ConcurrentHashMap<>();

    private String name;
    private int[] declaredInputShape;
    private List<int[]> inputShapes;
    private int[] outputShape;
    private Backend backend;
    private boolean trainable = true;
    private final List<Parameter> weights = new ArrayList<>();

    protected Layer() {}

    // ------------------------------------------------------------------ identity

    /** The layer's name: given with {@link #name(String)}, else its type in snake case with a counter ("dense_1"). */
    public String name() {
        if (name == null) {
            name = uniqueName(snakeCase(getClass().getSimpleName()));
        }
        return name;
    }

    /** base, base_1, base_2 … (a counter per base name, as Keras). */
    static String uniqueName(String base) {
        int n = NAME_COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).getAndIncrement();
        return n == 0 ? base : base + "_" + n;
    }

    /** Sets the name (before the layer is built). */
    public Layer name(String value) {
        requireUnbuilt("name");
        if (value == null || value.isBlank() || value.contains("/")) {
            throw new IllegalArgumentException("layer name '" + value + "' must be non-blank and contain no '/'");
        }
        this.name = value;
        return this;
    }

    /** The Keras class name written in saved models and summaries, e.g. "Dense". */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** Whether the optimizer updates this layer's weights (Keras' {@code layer.trainable}). */
    public boolean trainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes the layer's weights; takes effect at the next {@code fit}. */
    public Layer trainable(boolean value) {
        this.trainable = value;
        return this;
    }

    /**
     * Declares the per-sample input shape, as Keras' {@code input_shape=} argument, so that a
     * model starting with this layer can be built (and summarized) before it sees data.
     */
    public Layer inputShape(int... shape) {
        requireUnbuilt("inputShape");
        for (int extent : shape) {
            if (extent <= 0) {
                throw new IllegalArgumentException(name() + ": input shape " + Arrays.toString(shape)
                        + " has an extent ≤ 0; expected positive extents (the batch axis is left out)");
            }
        }
        this.declaredInputShape = shape.clone();
        return this;
    }

    /** The declared input shape, or null. */
    public int[] declaredInputShape() {
        return declaredInputShape == null ? null : declaredInputShape.clone();
    }

    // ------------------------------------------------------------------ building

    public boolean isBuilt() {
        return outputShape != null;
    }

    /** The backend of the weights (once built). */
    public Backend backend() {
        return backend;
    }

    /** Builds on the default backend for one input of per-sample shape {@code inputShape}. */
    public final void build(Backend backend, int... inputShape) {
        build(backend, List.of(inputShape));
    }

    /**
     * Creates the weights for inputs of these per-sample shapes on {@code backend}. Building again
     * with the same shapes does nothing; other shapes are an error.
     */
    public final void build(Backend backend, List<int[]> shapes) {
        if (isBuilt()) {
            if (!sameShapes(shapes, inputShapes)) {
                throw new IllegalArgumentException(name() + " was built for input shape " + shapesText(inputShapes)
                        + " and cannot take " + shapesText(shapes));
            }
            if (backend != this.backend && !weights.isEmpty()) {
                throw new IllegalArgumentException(name() + " has its weights on " + this.backend.name()
                        + " and cannot run on " + backend.name() + "; load or build the model on one backend");
            }
            return;
        }
        if (declaredInputShape != null && shapes.size() == 1 && !Arrays.equals(declaredInputShape, shapes.get(0))) {
            throw new IllegalArgumentException(name() + " declares input shape " + Arrays.toString(declaredInputShape)
                    + " but is given " + Arrays.toString(shapes.get(0)));
        }
        List<int[]> copies = new ArrayList<>();
        for (int[] s : shapes) {
            copies.add(s.clone());
        }
        int[] out = computeOutputShape(copies);
        this.backend = backend != null ? backend : Backends.current();
        try {
            if (copies.size() == 1) {
                build(copies.get(0).clone());
            } else {
                build(copies);
            }
        } catch (RuntimeException e) {
            weights.forEach(Parameter::close);
            weights.clear();
            throw e;
        }
        this.inputShapes = copies;
        this.outputShape = out.clone();
    }

    /** Creates the weights of a single-input layer (default: none). */
    protected void build(int[] inputShape) {}

    /** Creates the weights of a multi-input layer (default: none). */
    protected void build(List<int[]> inputShapes) {}

    /** The per-sample output shape for these input shapes (default: single input, same shape). */
    public int[] computeOutputShape(List<int[]> inputShapes) {
        return computeOutputShape(single(inputShapes));
    }

    /** The per-sample output shape of a single-input layer (default: unchanged). */
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /** Per-sample input shapes it was built for. */
    public List<int[]> inputShapes() {
        requireBuilt("inputShapes");
        return inputShapes.stream().map(int[]::clone).toList();
    }

    /** Per-sample output shape (once built). */
    public int[] outputShape() {
        requireBuilt("outputShape");
        return outputShape.clone();
    }

    /**
     * Creates a weight on this layer's backend (Keras' {@code add_weight}); call it from
     * {@link #build}. Trainable weights collect gradients.
     */
    protected final Parameter addWeight(
            String weightName, int[] shape, Initializer initializer, boolean isTrainable, Regularizer regularizer) {
        Tensor value = initializer.create(backend, shape);
        Parameter p = new Parameter(name() + "/" + weightName, value, isTrainable, regularizer);
        weights.add(p);
        return p;
    }

    /** Every weight, in creation order (Keras' {@code layer.weights}). */
    public List<Parameter> weights() {
        return Collections.unmodifiableList(weights);
    }

    /** Weights the optimizer updates (none when the layer is frozen). */
    public List<Parameter> trainableWeights() {
        if (!trainable) {
            return List.of();
        }
        return weights.stream().filter(Parameter::trainable).toList();
    }

    /** Weights the optimizer leaves alone. */
    public List<Parameter> nonTrainableWeights() {
        return weights.stream().filter(p -> !trainable || !p.trainable()).toList();
    }

    /** Number of scalar weights. */
    public long countParams() {
        return weights.stream().mapToLong(Parameter::size).sum();
    }

    // ------------------------------------------------------------------ calling

    /** The forward pass of a single-input layer. */
    protected Tensor call(Tensor input, boolean training) {
        throw new UnsupportedOperationException(typeName() + " takes " + "several inputs; call it with a list");
    }

    /** The forward pass on several inputs (default: exactly one). */
    protected Tensor call(List<Tensor> inputs, boolean training) {
        return call(single(inputs), training);
    }

    /**
     * Runs the layer on a batch in inference mode, building it on the tensor's backend first
     * if needed: {@code Tensor y = dense.apply(x);}.
     */
    public final Tensor apply(Tensor input) {
        return apply(input, false);
    }

    /** Runs the layer on a batch; {@code training} selects Dropout's and BatchNormalization's training behaviour. */
    public final Tensor apply(Tensor input, boolean training) {
        return forward(List.of(input), training);
    }

    /** Runs the layer on several batches (merge layers such as {@link Add}). */
    public final Tensor apply(List<Tensor> inputs, boolean training) {
        return forward(inputs, training);
    }

    /** Checks shapes, builds if needed, and calls. */
    final Tensor forward(List<Tensor> inputs, boolean training) {
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.rank() < 1) {
                throw new IllegalArgumentException(name() + ": expected a batch [samples, ...], got a scalar");
            }
            shapes.add(Arrays.copyOfRange(t.shape(), 1, t.rank()));
        }
        if (!isBuilt()) {
            build(inputs.get(0).backend(), shapes);
        } else if (!sameShapes(shapes, inputShapes)) {
            throw new IllegalArgumentException(name() + " (" + typeName() + ") expects input of per-sample shape "
                    + shapesText(inputShapes) + " but got batches of shape " + shapesText(shapes)
                    + " (full shapes "
                    + inputs.stream().map(t -> Arrays.toString(t.shape())).toList() + ")");
        }
        return inputs.size() == 1 ? call(inputs.get(0), training) : call(inputs, training);
    }

    /**
     * Connects this layer in a functional model: {@code SymbolicTensor h = new Dense(64, "relu").apply(in);}.
     */
    public final SymbolicTensor apply(SymbolicTensor... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException(name() + ": apply needs at least one input");
        }
        List<SymbolicTensor> list = List.of(inputs);
        List<int[]> shapes = list.stream().map(SymbolicTensor::shape).toList();
        int[] out = computeOutputShape(shapes);
        return new SymbolicTensor(out, this, list);
    }

    // ------------------------------------------------------------------ saving

    /** The constructor arguments, for saving (Keras' {@code get_config}); subclasses add theirs. */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("trainable", trainable);
        if (declaredInputShape != null) {
            config.put("input_shape", toList(declaredInputShape));
        }
        return config;
    }

    /** Applies the common part of a saved config (name, trainable, input shape). */
    protected final void applyBaseConfig(Map<String, Object> config) {
        if (config.get("name") instanceof String n) {
            name(n);
        }
        if (config.get("trainable") instanceof Boolean b) {
            trainable(b);
        }
        if (config.get("input_shape") instanceof List<?> shape) {
            inputShape(toInts(shape));
        }
    }

    /** Releases the weights. */
    @Override
    public void close() {
        weights.forEach(Parameter::close);
    }

    @Override
    public String toString() {
        return name() + " (" + typeName() + ")";
    }

    // ------------------------------------------------------------------ helpers

    protected final void requireUnbuilt(String what) {
        if (isBuilt()) {
            throw new IllegalStateException(
                    what + ": " + name() + " is already built; set it before the layer is used");
        }
    }

    protected final void requireBuilt(String what) {
        if (!isBuilt()) {
            throw new IllegalStateException(what + ": " + name() + " is not built yet; it is built on its first input"
                    + " (or give the model an Input / inputShape)");
        }
    }

    protected final <T> T single(List<T> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    name() + " (" + typeName() + ") takes exactly one input, got " + inputs.size());
        }
        return inputs.get(0);
    }

    static boolean sameShapes(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static String shapesText(List<int[]> shapes) {
        if (shapes.size() == 1) {
            return Arrays.toString(shapes.get(0));
        }
        return shapes.stream().map(Arrays::toString).toList().toString();
    }

    /** Keras' {@code to_snake_case}: "BatchNormalization" → "batch_normalization", "MaxPooling2D" → "max_pooling2d". */
    static String snakeCase(String camel) {
        String words = camel.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return words.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** An int array as a list of Integers (for configs). */
    public static List<Integer> toList(int[] values) {
        List<Integer> list = new ArrayList<>();
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    /** A config list of numbers as an int array. */
    public static int[] toInts(List<?> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).intValue();
        }
        return out;
    }
}
