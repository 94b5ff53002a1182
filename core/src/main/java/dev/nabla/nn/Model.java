package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.History;
import dev.nabla.callbacks.TrainedModel;
import dev.nabla.data.Dataset;
import dev.nabla.io.Json;
import dev.nabla.io.ModelFile;
import dev.nabla.losses.Loss;
import dev.nabla.losses.Losses;
import dev.nabla.metrics.Metric;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.Optimizers;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A trainable network, as Keras' {@code keras.Model}: {@link #compile}, {@link #fit},
 * {@link #evaluate}, {@link #predict}, {@link #summary}, {@link #save} / {@link #load}.
 * Build one with {@link Sequential} or, for graphs such as skip connections, with
 * {@link #of(SymbolicTensor, SymbolicTensor)}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Dense(512, "tanh").inputShape(784),
 *         new Dense(10, "softmax"));
 * model.compile(new Adam(0.001), new MeanSquaredError(), "accuracy");
 * History history = model.fit(train, new FitOptions().batchSize(128).epochs(10).validationData(test));
 * Map<String, Double> scores = model.evaluate(test);
 * model.save(Path.of("mlp.nabla"));
 * }</pre>
 *
 * <p><b>Backends.</b> The weights live on one backend: the one given with {@link #backend(Backend)}
 * before the model is built, else {@link Backends#current()} at build time. {@code fit},
 * {@code evaluate} and {@code predict} upload each batch there.
 *
 * <p><b>Lifetime.</b> The model owns its weights, its optimizer's state and its metrics' running
 * sums; {@link #close()} releases them. Every training step runs in a {@link TensorScope}, so a
 * step leaves nothing behind on the device.
 */
public abstract class Model implements TrainedModel, AutoCloseable {
    private String name;
    private Backend backend;
    private Optimizer optimizer;
    private Loss loss;
    private final List<Object> metrics = new ArrayList<>();
    private volatile boolean stopTraining;
    private volatile boolean closed;
    private final UseGuard guard = new UseGuard(this);

    protected Model(String name) {
        this.name = name;
    }

    /** A functional model from an {@link Input}'s symbolic tensor to an output (Keras' {@code keras.Model(inputs, outputs)}). */
    public static Model of(SymbolicTensor input, SymbolicTensor output) {
        return new Functional(input, output, null);
    }

    /** The same, with a name. */
    public static Model of(SymbolicTensor input, SymbolicTensor output, String name) {
        return new Functional(input, output, name);
    }

    // ------------------------------------------------------------------ architecture (subclasses)

    /** The layers, in the order they run (for a functional model, a topological order). */
    public abstract List<Layer> layers();

    /** Per-sample input shape, or null while unknown (no Input, no inputShape, not built). */
    public abstract int[] inputShape();

    /** Builds every layer for inputs of per-sample shape {@code inputShape} on {@code on}. */
    abstract void buildLayers(Backend on, int[] inputShape);

    /**
     * The forward pass. With {@code withoutOutputActivation} the output layer stops before its
     * activation (the logits), for losses that fuse with it.
     */
    abstract Tensor call(Tensor x, boolean training, boolean withoutOutputActivation);

    /** The activation of the output layer if it can be split off (see {@link Loss#fusesWith()}), else null. */
    abstract Activations outputActivation();

    /** "Sequential" or "Functional". */
    public abstract String typeName();

    /** The summary table's rows. */
    abstract List<String[]> summaryRows();

    // ------------------------------------------------------------------ identity and building

    /** The model's name ("sequential", "functional_1" …). */
    public String name() {
        if (name == null) {
            name = Layer.uniqueName(Layer.snakeCase(typeName()));
        }
        return name;
    }

    /** Whether every layer has its weights. */
    public boolean isBuilt() {
        List<Layer> layers = layers();
        return !layers.isEmpty() && layers.stream().allMatch(Layer::isBuilt);
    }

    /**
     * Chooses the backend of the weights; call it before the model is built (by {@link #build},
     * {@code fit} or {@code predict}).
     */
    public Model backend(Backend value) {
        Objects.requireNonNull(value, "backend");
        if (isBuilt() && value != backend()) {
            throw new IllegalStateException(
                    "the model is already built on " + backend().name()
                            + "; choose the backend before building, or save it and load it on " + value.name());
        }
        this.backend = value;
        return this;
    }

    /** The backend of the weights (or the one they will be created on). */
    public Backend backend() {
        if (backend == null) {
            for (Layer layer : layers()) {
                if (layer.isBuilt()) {
                    backend = layer.backend();
                    return backend;
                }
            }
            backend = Backends.current();
        }
        return backend;
    }

    /** Builds the model for inputs of per-sample shape {@code inputShape} (no-op if built for it). */
    public void build(int... inputShape) {
        requireOpen();
        int[] declared = inputShape();
        if (declared != null && !Arrays.equals(declared, inputShape)) {
            throw new IllegalArgumentException("model '" + name() + "' takes inputs of per-sample shape "
                    + Arrays.toString(declared) + "; cannot build it for " + Arrays.toString(inputShape));
        }
        buildLayers(backend(), inputShape.clone());
    }

    /** Builds from the declared input shape if there is one. */
    void ensureBuilt() {
        if (!isBuilt()) {
            int[] shape = inputShape();
            if (shape == null) {
                throw new IllegalStateException(
                        "model '" + name() + "' is not built yet and does not know its input shape: "
                                + "start it with an Input (or give the first layer inputShape(...)), call build(shape), or fit it first");
            }
            build(shape);
        }
    }

    /** Per-sample output shape (builds the model first if its input shape is known). */
    public int[] outputShape() {
        ensureBuilt();
        return outputLayer().outputShape();
    }

    /** The layer whose output is the model's output. */
    abstract Layer outputLayer();

    /** The layer called {@code layerName}. */
    public Layer getLayer(String layerName) {
        for (Layer layer : layers()) {
            if (layer.name().equals(layerName)) {
                return layer;
            }
        }
        throw new IllegalArgumentException("model '" + name() + "' has no layer '" + layerName + "'; its layers are "
                + layers().stream().map(Layer::name).toList());
    }

    // ------------------------------------------------------------------ calling

    /** The model on one batch in inference mode (Keras' {@code model(x)}); builds it if needed. */
    public Tensor apply(Tensor x) {
        return apply(x, false);
    }

    /**
     * The model on one batch; {@code training} switches Dropout and BatchNormalization to their
     * training behaviour. Records the autograd graph unless inside {@link NoGrad}.
     */
    public Tensor apply(Tensor x, boolean training) {
        requireOpen();
        try (UseGuard.Use use = guard.read("apply")) {
            return applyUnguarded(x, training);
        }
    }

    private Tensor applyUnguarded(Tensor x, boolean training) {
        prepareInput(x, "apply");
        Tensor input = x.backend() == backend() ? x : x.to(backend());
        boolean recording =
                NoGrad.isRecording() && (x.tracksGrad() || !trainableWeights().isEmpty());
        if (recording) {
            return call(input, training, false);
        }
        try (TensorScope scope = TensorScope.open()) {
            return scope.keep(call(input, training, false));
        } finally {
            if (input != x) {
                input.close();
            }
        }
    }

    /** Checks a batch against the input shape, building the model from it when needed. */
    void prepareInput(Tensor x, String what) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException(what + ": expected a batch [samples, ...], got a scalar");
        }
        int[] perSample = Arrays.copyOfRange(x.shape(), 1, x.rank());
        prepareFeatures(perSample, what);
    }

    void prepareFeatures(int[] perSample, String what) {
        int[] expected = isBuilt() ? layers().get(0).inputShapes().get(0) : inputShape();
        if (expected != null && !Arrays.equals(expected, perSample)) {
            throw new IllegalArgumentException(what + ": x has per-sample shape " + Arrays.toString(perSample)
                    + " but model '" + name() + "' expects " + Arrays.toString(expected));
        }
        if (!isBuilt()) {
            build(perSample);
        }
    }

    // ------------------------------------------------------------------ compile

    /** Sets the optimizer and loss (no metrics). */
    public Model compile(Optimizer optimizer, Loss loss) {
        return compileWith(optimizer, loss, List.of());
    }

    /** Sets the optimizer, loss and metrics by Keras name ("accuracy", "precision", "recall", "mae" …). */
    public Model compile(Optimizer optimizer, Loss loss, String... metricNames) {
        return compileWith(optimizer, loss, Arrays.asList((Object[]) metricNames));
    }

    /** Sets the optimizer, loss and metric objects (the model owns them from now on). */
    public Model compile(Optimizer optimizer, Loss loss, Metric... metricObjects) {
        return compileWith(optimizer, loss, Arrays.asList((Object[]) metricObjects));
    }

    /** All by Keras name: {@code model.compile("adam", "categorical_crossentropy", "accuracy")}. */
    public Model compile(String optimizerName, String lossName, String... metricNames) {
        return compile(Optimizers.get(optimizerName), Losses.get(lossName), metricNames);
    }

    private Model compileWith(Optimizer newOptimizer, Loss newLoss, List<Object> newMetrics) {
        requireOpen();
        try (UseGuard.Use use = guard.write("compile")) {
            return compileUnguarded(newOptimizer, newLoss, newMetrics);
        }
    }

    private Model compileUnguarded(Optimizer newOptimizer, Loss newLoss, List<Object> newMetrics) {
        Objects.requireNonNull(newOptimizer, "optimizer");
        Objects.requireNonNull(newLoss, "loss");
        Set<String> names = new java.util.HashSet<>();
        names.add("loss");
        for (Object m : newMetrics) {
            Objects.requireNonNull(m, "metric");
            String metricName = m instanceof Metric metric ? metric.name() : (String) m;
            if (!names.add(metricName)) {
                throw new IllegalArgumentException(
                        "compile: metric name '" + metricName + "' appears twice (or is 'loss')");
            }
            if (m instanceof String s) {
                dev.nabla.metrics.Metrics.get(s, new int[] {2}, new int[] {2}).close(); // fails early on unknown names
            }
        }
        if (optimizer != null && optimizer != newOptimizer) {
            optimizer.close();
        }
        for (Object m : metrics) {
            if (m instanceof Metric metric && !newMetrics.contains(metric)) {
                metric.close();
            }
        }
        this.optimizer = newOptimizer;
        this.loss = newLoss;
        this.metrics.clear();
        this.metrics.addAll(newMetrics);
        return this;
    }

    public boolean isCompiled() {
        return optimizer != null;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /** The compiled metrics: names (String) and Metric objects, in order. */
    public List<Object> metrics() {
        return Collections.unmodifiableList(metrics);
    }

    void requireCompiled(String what) {
        if (!isCompiled()) {
            throw new IllegalStateException(
                    what + ": model '" + name() + "' is not compiled; call compile(optimizer, loss, metrics...) first");
        }
    }

    // ------------------------------------------------------------------ fit / evaluate / predict

    /** Trains on {@code data}; returns the History of loss and metrics per epoch. */
    public History fit(Dataset data, FitOptions options) {
        requireOpen();
        try (UseGuard.Use use = guard.write("fit")) {
            return new Trainer(this).fit(data, options);
        }
    }

    /** Trains on features x [n, …] and targets y [n, …] (read to the host once, then batched). */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        return fit(Dataset.of(x, y), options);
    }

    /** Loss and metrics over {@code data} in batches of 32 (silent). */
    public Map<String, Double> evaluate(Dataset data) {
        return evaluate(data, 32, 0);
    }

    /** Loss and metrics over {@code data} in batches of {@code batchSize}; verbose 1 or 2 prints one line. */
    public Map<String, Double> evaluate(Dataset data, int batchSize, int verbose, Callback... callbacks) {
        requireOpen();
        // Metric objects given to compile keep running sums: two evaluations at once would mix them
        boolean sharedMetrics = metrics.stream().anyMatch(m -> m instanceof Metric);
        try (UseGuard.Use use = sharedMetrics ? guard.write("evaluate") : guard.read("evaluate")) {
            return new Trainer(this).evaluate(data, batchSize, verbose, List.of(callbacks));
        }
    }

    /** Loss and metrics over features x and targets y. */
    public Map<String, Double> evaluate(Tensor x, Tensor y) {
        return evaluate(Dataset.of(x, y));
    }

    /** Predictions for x [n, …] in batches of 32, as a new tensor on the model's backend (yours to close). */
    public Tensor predict(Tensor x) {
        return predict(x, 32);
    }

    /** Predictions for x [n, …] in batches of {@code batchSize}. */
    public Tensor predict(Tensor x, int batchSize) {
        requireOpen();
        try (UseGuard.Use use = guard.read("predict")) {
            return new Trainer(this).predict(x, batchSize);
        }
    }

    /** Predictions for the features of {@code data}. */
    public Tensor predict(Dataset data, int batchSize) {
        requireOpen();
        try (UseGuard.Use use = guard.read("predict")) {
            return new Trainer(this).predict(data, batchSize);
        }
    }

    /** Asks {@code fit} to stop after the current batch (Keras' {@code model.stop_training = True}). */
    public void stopTraining(boolean value) {
        this.stopTraining = value;
    }

    public boolean stopTraining() {
        return stopTraining;
    }

    // ------------------------------------------------------------------ weights

    /** Every weight, each once, in layer order. */
    public List<Parameter> weights() {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : layers()) {
            for (Parameter p : layer.weights()) {
                if (seen.add(p)) {
                    all.add(p);
                }
            }
        }
        return all;
    }

    /** The weights the optimizer updates. */
    public List<Parameter> trainableWeights() {
        Set<Parameter> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer layer : layers()) {
            trainable.addAll(layer.trainableWeights());
        }
        return weights().stream().filter(trainable::contains).toList();
    }

    /** The weights the optimizer leaves alone (moving statistics, frozen layers). */
    public List<Parameter> nonTrainableWeights() {
        Set<Parameter> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
        trainable.addAll(trainableWeights());
        return weights().stream().filter(p -> !trainable.contains(p)).toList();
    }

    /** Number of scalar weights. */
    public long countParams() {
        return weights().stream().mapToLong(Parameter::size).sum();
    }

    /** Copies of every weight's values, in {@link #weights()} order (Keras' {@code get_weights}). */
    public List<float[]> getWeights() {
        requireOpen();
        try (UseGuard.Use use = guard.read("getWeights")) {
            return weights().stream().map(Parameter::get).toList();
        }
    }

    /** Overwrites every weight, in {@link #weights()} order (Keras' {@code set_weights}). */
    public void setWeights(List<float[]> values) {
        requireOpen();
        try (UseGuard.Use use = guard.write("setWeights")) {
            setWeightsUnguarded(values);
        }
    }

    private void setWeightsUnguarded(List<float[]> values) {
        List<Parameter> weights = weights();
        if (values.size() != weights.size()) {
            throw new IllegalArgumentException("setWeights: model '" + name() + "' has " + weights.size()
                    + " weights, got " + values.size() + " arrays");
        }
        for (int i = 0; i < weights.size(); i++) {
            if (values.get(i).length != weights.get(i).size()) {
                throw new IllegalArgumentException(
                        "setWeights: weight " + weights.get(i).name() + " of shape "
                                + Arrays.toString(weights.get(i).shape()) + " needs "
                                + weights.get(i).size() + " values, got "
                                + values.get(i).length);
            }
        }
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).set(values.get(i));
        }
    }

    // ------------------------------------------------------------------ summary

    /** Prints the layers, their output shapes and parameter counts to standard output, as Keras. */
    public void summary() {
        summary(System.out::println);
    }

    /** Hands each line of the summary to {@code printFn} (Keras' {@code print_fn}). */
    public void summary(Consumer<String> printFn) {
        ensureBuilt();
        Summary.print(this, printFn);
    }

    // ------------------------------------------------------------------ saving

    /**
     * Writes architecture, weights, compile settings and optimizer state to one file (format in
     * docs/model-format.md), atomically: a temporary file in the same directory, then a rename.
     */
    public void save(Path path) {
        save(path, Map.of());
    }

    /**
     * Writes the model as {@link #save(Path)} does, with {@code metadata} (JSON values: maps, lists,
     * strings, numbers, booleans, null) in the same file and under the same checksum, so that what a
     * caller records about the model (a training job's position, say) can never disagree with it.
     * {@link ModelFile#metadata} reads it back; loading the model ignores it.
     */
    public void save(Path path, Map<String, Object> metadata) {
        requireOpen();
        try (UseGuard.Use use = guard.read("save")) {
            SavedModel.save(this, path, metadata);
        }
    }

    /**
     * What {@link #save(Path, Map)} would write, copied to the host now: architecture, weights,
     * optimizer state and a copy of {@code metadata}. Training may go on while a
     * {@link dev.nabla.io.CheckpointWriter} writes it:
     *
     * <pre>{@code
     * writer.save(Path.of("checkpoint.nabla"), model.snapshot(Map.of("epoch", 3)), "model");
     * }</pre>
     */
    @Override
    @SuppressWarnings("unchecked")
    public ModelFile.Contents snapshot(Map<String, Object> metadata) {
        requireOpen();
        Map<String, Object> copy = metadata.isEmpty() // the caller may change its own map afterwards
                ? Map.of()
                : (Map<String, Object>) Json.parse(Json.write(metadata));
        try (UseGuard.Use use = guard.read("save")) {
            return SavedModel.contents(this, copy);
        }
    }

    /** Loads a saved model onto the default backend. */
    public static Model load(Path path) {
        return SavedModel.load(path, Backends.current());
    }

    /** Loads a saved model onto {@code backend}. */
    public static Model load(Path path, Backend backend) {
        return SavedModel.load(path, backend);
    }

    /** The architecture as a config tree (what {@link #save} writes in the file's ARCH section). */
    public abstract Map<String, Object> config();

    // ------------------------------------------------------------------ lifetime

    /** Releases weights, optimizer state and metric state. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try (UseGuard.Use use = guard.write("close")) {
            closed = true;
            release();
        }
    }

    private void release() {
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer layer : layers()) {
            if (seen.add(layer)) {
                layer.close();
            }
        }
        if (optimizer != null) {
            optimizer.close();
        }
        for (Object m : metrics) {
            if (m instanceof Metric metric) {
                metric.close();
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model '" + name() + "' was closed; its weights are released");
        }
    }

    /** Checks that layer names are unique (weights are saved under them). */
    static void checkUniqueNames(List<Layer> layers) {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer layer : layers) {
            Layer other = byName.putIfAbsent(layer.name(), layer);
            if (other != null && other != layer) {
                throw new IllegalArgumentException(
                        "two layers are named '" + layer.name() + "'; layer names must be unique in a model");
            }
        }
    }

    @Override
    public String toString() {
        return typeName() + "(" + name() + ", " + layers().size() + " layers)";
    }
}
