package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.backend.Backend;
import dev.nabla.backend.CaptureUnsupportedException;
import dev.nabla.backend.DType;
import dev.nabla.backend.StepGraph;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.CallbackList;
import dev.nabla.callbacks.History;
import dev.nabla.callbacks.Logs;
import dev.nabla.callbacks.ModelCheckpoint;
import dev.nabla.callbacks.ProgbarLogger;
import dev.nabla.callbacks.TrainingParams;
import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.ResidentDataset;
import dev.nabla.losses.Loss;
import dev.nabla.metrics.CategoricalAccuracy;
import dev.nabla.metrics.Mean;
import dev.nabla.metrics.Metric;
import dev.nabla.metrics.Metrics;
import dev.nabla.metrics.SparseCategoricalAccuracy;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loops behind {@link Model#fit}, {@link Model#evaluate} and {@link Model#predict}.
 *
 * <p>Each step runs in a {@link TensorScope}; the loss and metrics accumulate on the device and
 * are read back only when logs are asked for (once per epoch, or per printed progress line).
 */
final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private final Model model;

    Trainer(Model model) {
        this.model = model;
    }

    // ------------------------------------------------------------------ fit

    History fit(Dataset data, FitOptions options) {
        model.requireCompiled("fit");
        Dataset train = data;
        Dataset validation = options.validationData();
        if (validation == null && options.validationSplit() > 0) {
            int cut = (int) Math.floor(data.size() * (1 - options.validationSplit()));
            if (cut == 0 || cut == data.size()) {
                throw new IllegalArgumentException("fit: a validation split of " + options.validationSplit() + " of "
                        + data.size() + " samples leaves the " + (cut == 0 ? "training" : "validation") + " set empty");
            }
            train = data.slice(0, cut);
            validation = data.slice(cut, data.size());
        }
        checkData(train, "fit");
        if (validation != null) {
            checkData(validation, "fit (validation data)");
        }
        Backend backend = model.backend();
        long seed = options.seed() != null ? options.seed() : RandomSeed.next();
        int steps = train.batchCount(options.batchSize());

        History history = new History();
        List<Callback> all = new ArrayList<>();
        if (options.verbose() > 0) {
            all.add(new ProgbarLogger());
        }
        all.addAll(options.callbacks());
        all.add(history);
        CallbackList callbacks = new CallbackList(all);
        callbacks.setModel(model);
        callbacks.setParams(
                new TrainingParams(options.epochs(), steps, train.size(), options.batchSize(), options.verbose()));

        Tracker tracker = new Tracker(train.targetShape());
        Weights weights = new Weights(model);
        int validationFreq = options.validationFreq();
        model.stopTraining(false);
        Map<String, Double> last = Map.of();
        boolean keepResident = options.residentData() != null ? options.residentData() : !backend.hostAddressable();
        ResidentDataset resident = null;
        StepCapture capture = new StepCapture(options, tracker, weights);
        try {
            resident = keepResident ? train.resident(backend) : null;
            callbacks.onTrainBegin(Logs.empty());
            for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
                tracker.reset();
                callbacks.onEpochBegin(epoch, Logs.empty());
                int step = 0;
                Iterable<Batch> batches = resident != null
                        ? resident.batches(options.batchSize(), options.shuffle(), seed + epoch)
                        : train.batches(options.batchSize(), options.shuffle(), seed + epoch, backend);
                for (Batch batch : batches) {
                    try (batch) {
                        callbacks.onBatchBegin(step, Logs.empty());
                        capture.step(batch);
                        callbacks.onBatchEnd(step, Logs.lazy(tracker::results));
                    }
                    step++;
                    if (model.stopTraining()) {
                        break;
                    }
                }
                Map<String, Double> logs = new LinkedHashMap<>(tracker.results());
                if (validation != null && (epoch + 1) % validationFreq == 0) {
                    Map<String, Double> scores =
                            run(validation, options.validationBatchSize(), tracker, callbacks, weights);
                    scores.forEach((k, v) -> logs.put("val_" + k, v));
                }
                last = logs;
                callbacks.onEpochEnd(epoch, Logs.of(logs));
                if (model.stopTraining()) {
                    break;
                }
            }
            callbacks.onTrainEnd(Logs.of(last));
        } catch (RuntimeException | Error e) {
            // a failed fit still leaves the checkpoints it asked for complete (onTrainEnd waits otherwise)
            for (Callback c : options.callbacks()) {
                if (c instanceof ModelCheckpoint checkpoint) {
                    try {
                        checkpoint.await();
                    } catch (RuntimeException failed) {
                        e.addSuppressed(failed);
                    }
                }
            }
            throw e;
        } finally {
            try {
                capture.close(); // before the tracker: the graph reads its sums
            } finally {
                tracker.close();
                if (resident != null) {
                    resident.close();
                }
            }
        }
        return history;
    }

    /**
     * One step. Everything that can fail (forward, metrics, backward, the optimizer's checks and
     * allocations) runs before the first weight changes; a step that fails leaves the weights and
     * the optimizer as they were, and no gradient behind.
     */
    private void trainStep(Batch batch, Tracker tracker, Weights weights) {
        trainStep(batch.x(), batch.y(), batch.size(), tracker, weights, false);
    }

    /**
     * {@link #trainStep(Batch, Tracker, Weights)} on given tensors; {@code captured} runs the
     * optimizer's per-step-scalar form and leaves counting the step to the caller (the step is being
     * captured, see {@link StepCapture}).
     */
    private void trainStep(Tensor x, Tensor yRaw, int size, Tracker tracker, Weights weights, boolean captured) {
        Loss loss = model.loss();
        StepUpdates.begin();
        try (TensorScope scope = TensorScope.open()) {
            Tensor y = alignTargets(yRaw);
            boolean fuse = fuses(loss);
            Tensor out = model.call(x, true, fuse);
            Tensor perSample = fuse ? loss.perSampleFromLogits(y, out) : loss.perSample(y, out);
            Tensor total = weights.penalized(perSample.mean());
            try (NoGrad off = NoGrad.enter()) {
                tracker.update(total, y, out, fuse, size);
            }
            total.backward();
            if (captured) {
                model.optimizer().stepWithDeviceScalars(weights.trainableValues);
            } else {
                model.optimizer().step(weights.trainableValues);
            }
            StepUpdates.commit();
            for (Parameter p : weights.nonTrainable) {
                p.value().zeroGrad(); // frozen layers: drop what backward computed for them
            }
        } catch (RuntimeException | Error e) {
            for (Parameter p : weights.all) {
                p.value().zeroGrad(); // a failed step leaves no half-accumulated gradient for the next one
            }
            throw e;
        } finally {
            StepUpdates.end();
        }
    }

    /**
     * Graph capture of the training step ({@link FitOptions#graphCapture}): the first full-size step
     * runs eagerly (it allocates the optimizer's slots and the metrics' sums, and warms the caches);
     * the second is captured ({@link Backend#capture}) on static x and y buffers and replayed once;
     * every later full-size step copies its batch into those buffers, writes the optimizer's
     * per-step scalars and replays the graph. Host-side bookkeeping that the replay skips (the
     * optimizer's step count, the metrics' counters) is done here. Partial batches run eagerly; a
     * backend that cannot capture, a step that cannot be captured or a change of shape turns capture
     * off for the rest of the fit, with one DEBUG line.
     */
    private final class StepCapture implements AutoCloseable {
        private final Backend backend = model.backend();
        private final Tracker tracker;
        private final Weights weights;
        private final int batchSize;
        private boolean on;
        private boolean partialLogged;
        private int fullSteps;
        private Tensor x;
        private Tensor y;
        private StepGraph graph;
        /** {@link #bindings()} at capture. */
        private List<Tensor> bound;
        /** What one step adds to each metric's host counter (the loss first), measured while capturing. */
        private double[] counts;

        StepCapture(FitOptions options, Tracker tracker, Weights weights) {
            this.tracker = tracker;
            this.weights = weights;
            this.batchSize = options.batchSize();
            boolean wanted = options.graphCapture();
            if (wanted) {
                StepGraph probe;
                try {
                    probe = backend.capture(() -> {});
                } catch (CaptureUnsupportedException e) {
                    LOG.debug(
                            "graph capture: backend {} refused an empty capture ({}); eager",
                            backend.name(),
                            e.getMessage());
                    probe = null;
                }
                if (probe == null) {
                    wanted = false;
                    LOG.debug(
                            "graph capture: backend {} cannot capture; the training step runs eagerly", backend.name());
                } else {
                    probe.close();
                }
            }
            this.on = wanted;
        }

        void step(Batch batch) {
            if (!on) {
                trainStep(batch, tracker, weights);
                return;
            }
            if (batch.size() != batchSize) {
                if (!partialLogged) {
                    partialLogged = true;
                    LOG.debug(
                            "graph capture: a partial batch of {} samples (batch size {}) runs eagerly",
                            batch.size(),
                            batchSize);
                }
                trainStep(batch, tracker, weights);
                return;
            }
            if (fullSteps++ == 0) {
                trainStep(batch, tracker, weights); // the warm-up: slots, metric sums, caches
                return;
            }
            if (graph == null) {
                captureAndRun(batch);
                return;
            }
            if (!Arrays.equals(batch.x().shape(), x.shape())
                    || !Arrays.equals(batch.y().shape(), y.shape())) {
                off("the batch shapes changed from x " + Arrays.toString(x.shape()) + ", y "
                        + Arrays.toString(y.shape()) + " to x "
                        + Arrays.toString(batch.x().shape()) + ", y "
                        + Arrays.toString(batch.y().shape()));
                trainStep(batch, tracker, weights);
                return;
            }
            if (!stillBound()) {
                off("a weight or the optimizer's state was replaced since the capture");
                trainStep(batch, tracker, weights);
                return;
            }
            load(batch);
            replay();
            List<Metric> all = tracker.all();
            for (int i = 0; i < all.size(); i++) {
                all.get(i).addCount(counts[i]);
            }
        }

        private void captureAndRun(Batch batch) {
            List<Metric> all = tracker.all();
            double[] before = new double[all.size()];
            for (int i = 0; i < before.length; i++) {
                before[i] = all.get(i).count();
            }
            try (NoGrad off = NoGrad.enter()) {
                x = Tensor.on(backend).empty(batch.x().dtype(), batch.x().shape());
                TensorScope.untrack(x);
                y = Tensor.on(backend).empty(batch.y().dtype(), batch.y().shape());
                TensorScope.untrack(y);
            }
            load(batch);
            model.optimizer().writeStepScalars(backend);
            try {
                graph = backend.capture(() -> trainStep(x, y, batch.size(), tracker, weights, true));
            } catch (RuntimeException e) {
                CaptureUnsupportedException why = unsupported(e);
                if (why == null) {
                    throw e;
                }
                for (int i = 0; i < before.length; i++) {
                    all.get(i).addCount(before[i] - all.get(i).count()); // nothing of the step ran
                }
                off("the step cannot be captured: " + why.getMessage());
                trainStep(batch, tracker, weights);
                return;
            }
            if (graph == null) {
                off("backend " + backend.name() + " cannot capture");
                trainStep(batch, tracker, weights);
                return;
            }
            bound = bindings();
            counts = new double[all.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = all.get(i).count() - before[i];
            }
            replay(); // capture recorded the step without running it
            LOG.debug(
                    "graph capture: the training step was captured on {}; later full batches replay it",
                    backend.name());
        }

        /** The CaptureUnsupportedException in {@code e}'s causes, or null. */
        private CaptureUnsupportedException unsupported(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CaptureUnsupportedException c) {
                    return c;
                }
            }
            return null;
        }

        /**
         * The tensors a graph reads and writes that outlive the step (the weights and the optimizer's
         * slots), in order: a callback that replaces one (an optimizer reset, new slots) leaves the graph on
         * stale buffers, so replay stops ({@link #stillBound}).
         */
        private List<Tensor> bindings() {
            List<Tensor> out = new ArrayList<>();
            Optimizer optimizer = model.optimizer();
            for (Parameter p : weights.all) {
                Tensor value = p.value();
                out.add(value);
                List<Tensor> slots = optimizer.slots(value);
                if (slots != null) {
                    out.addAll(slots);
                }
            }
            return out;
        }

        /** Whether the weights and slots are the very tensors the graph was captured on (by identity). */
        private boolean stillBound() {
            List<Tensor> now = bindings();
            if (now.size() != bound.size()) {
                return false;
            }
            for (int i = 0; i < now.size(); i++) {
                if (now.get(i) != bound.get(i)) {
                    return false;
                }
            }
            return true;
        }

        /** The batch into the static buffers the graph reads (device copies). */
        private void load(Batch batch) {
            try (NoGrad off = NoGrad.enter()) {
                x.assign(batch.x());
                y.assign(batch.y());
            }
        }

        private void replay() {
            Optimizer optimizer = model.optimizer();
            optimizer.writeStepScalars(backend);
            graph.replay();
            optimizer.iterations(optimizer.iterations() + 1);
        }

        private void off(String why) {
            LOG.debug("graph capture off for the rest of this fit: {}", why);
            on = false;
            close();
        }

        @Override
        public void close() {
            try {
                if (graph != null) {
                    graph.close();
                }
            } finally {
                graph = null;
                if (x != null) {
                    x.close();
                    y.close();
                    x = null;
                    y = null;
                }
            }
        }
    }

    private boolean fuses(Loss loss) {
        return loss.fusesWith() != null && loss.fusesWith() == model.outputActivation();
    }

    /** y reshaped to the model's output shape when the loss wants that (sizes were checked on entry). */
    private Tensor alignTargets(Tensor y) {
        if (model.loss().sparseTargets()) {
            return y;
        }
        int[] out = model.outputShape();
        int[] perSample = Arrays.copyOfRange(y.shape(), 1, y.rank());
        if (Arrays.equals(out, perSample)) {
            return y;
        }
        int[] shape = new int[out.length + 1];
        shape[0] = y.shape(0);
        System.arraycopy(out, 0, shape, 1, out.length);
        return y.reshape(shape);
    }

    // ------------------------------------------------------------------ evaluate

    Map<String, Double> evaluate(Dataset data, int batchSize, int verbose, List<Callback> extra) {
        model.requireCompiled("evaluate");
        checkData(data, "evaluate");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("evaluate: batch size must be positive, got " + batchSize);
        }
        CallbackList callbacks = new CallbackList(extra);
        callbacks.setModel(model);
        long start = System.nanoTime();
        try (Tracker tracker = new Tracker(data.targetShape())) {
            Map<String, Double> scores = run(data, batchSize, tracker, callbacks, new Weights(model));
            if (verbose > 0) {
                int steps = data.batchCount(batchSize);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.println(steps + "/" + steps + " - " + Math.round(seconds) + "s"
                        + String.format(java.util.Locale.ROOT, " - %.0fms/step", seconds * 1e3 / Math.max(1, steps))
                        + formatted(scores));
            }
            return scores;
        }
    }

    private static String formatted(Map<String, Double> scores) {
        StringBuilder s = new StringBuilder();
        scores.forEach((k, v) ->
                s.append(" - ").append(k).append(": ").append(String.format(java.util.Locale.ROOT, "%.4f", v)));
        return s.toString();
    }

    /** One pass in inference mode; resets and reads the tracker (one read). */
    private Map<String, Double> run(Dataset data, int batchSize, Tracker tracker, Callback callbacks, Weights weights) {
        Loss loss = model.loss();
        tracker.reset();
        callbacks.onTestBegin(Logs.empty());
        int step = 0;
        for (Batch batch : data.batches(batchSize, false, 0, model.backend())) {
            try (batch;
                    NoGrad off = NoGrad.enter();
                    TensorScope scope = TensorScope.open()) {
                callbacks.onTestBatchBegin(step, Logs.empty());
                Tensor y = alignTargets(batch.y());
                boolean fuse = fuses(loss);
                Tensor out = model.call(batch.x(), false, fuse);
                Tensor total =
                        weights.penalized((fuse ? loss.perSampleFromLogits(y, out) : loss.perSample(y, out)).mean());
                tracker.update(total, y, out, fuse, batch.size());
                callbacks.onTestBatchEnd(step, Logs.lazy(tracker::results));
            }
            step++;
        }
        Map<String, Double> scores = tracker.results();
        callbacks.onTestEnd(Logs.of(scores));
        return scores;
    }

    // ------------------------------------------------------------------ predict

    Tensor predict(Tensor x, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("predict: batch size must be positive, got " + batchSize);
        }
        model.prepareInput(x, "predict");
        Backend backend = model.backend();
        int n = x.shape(0);
        Tensor out = Tensor.on(backend).empty(DType.FLOAT32, withBatch(n, model.outputShape()));
        Tensor source = x;
        try {
            try (NoGrad off = NoGrad.enter()) {
                if (source.backend() != backend) {
                    source = source.to(backend); // one transfer, not one per batch
                }
                if (source.dtype() != DType.FLOAT32) {
                    Tensor cast = source.to(DType.FLOAT32);
                    if (source != x) {
                        source.close();
                    }
                    source = cast;
                }
            }
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                try (NoGrad off = NoGrad.enter();
                        TensorScope scope = TensorScope.open()) {
                    Tensor y = model.call(source.slice(0, from, to), false, false);
                    out.slice(0, from, to).assign(y);
                }
            }
        } catch (RuntimeException e) {
            out.close();
            throw e;
        } finally {
            if (source != x) {
                source.close();
            }
        }
        return out;
    }

    Tensor predict(Dataset data, int batchSize) {
        model.prepareFeatures(data.featureShape(), "predict");
        Backend backend = model.backend();
        Tensor out = Tensor.on(backend).empty(DType.FLOAT32, withBatch(data.size(), model.outputShape()));
        try {
            int from = 0;
            for (Batch batch : data.batches(batchSize, false, 0, backend)) {
                try (batch;
                        NoGrad off = NoGrad.enter();
                        TensorScope scope = TensorScope.open()) {
                    Tensor y = model.call(batch.x(), false, false);
                    out.slice(0, from, from + batch.size()).assign(y);
                }
                from += batch.size();
            }
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static int[] withBatch(int n, int[] perSample) {
        int[] shape = new int[perSample.length + 1];
        shape[0] = n;
        System.arraycopy(perSample, 0, shape, 1, perSample.length);
        return shape;
    }

    // ------------------------------------------------------------------ checks on entry

    /** Shapes and (for sparse labels) values, on the host, before any batch is uploaded. */
    private void checkData(Dataset data, String what) {
        if (data == null) {
            throw new IllegalArgumentException(what + ": no data");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(what + ": the data set is empty; expected at least one sample");
        }
        model.prepareFeatures(data.featureShape(), what);
        requireFinite(data.features(), data.featureSize(), what, "x");
        requireFinite(data.targets(), data.targetSize(), what, "y");
        int[] out = model.outputShape();
        Loss loss = model.loss();
        try {
            loss.validateShapes(data.targetShape(), out);
            loss.validateValues(data.targets(), data.targetShape(), out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": y does not fit the model: " + e.getMessage(), e);
        }
    }

    /**
     * The arrays already found finite. A data set is immutable by contract ({@link Dataset}), so its
     * arrays are scanned once, however many {@code fit}/{@code evaluate} calls (a loop of
     * {@code fit(epochs = 1)}) see them; weak keys (arrays compare by identity) let them go with
     * their data set.
     */
    private static final Map<float[], Boolean> FINITE = Collections.synchronizedMap(new WeakHashMap<>());

    /** How many arrays were scanned for NaN/Inf (for tests). */
    static final AtomicLong FINITE_SCANS = new AtomicLong();

    /**
     * One pass over host values, once per array: a NaN or infinity in the data would silently
     * poison every weight it reaches.
     */
    private static void requireFinite(float[] values, int perSample, String what, String name) {
        if (FINITE.containsKey(values)) {
            return;
        }
        FINITE_SCANS.incrementAndGet();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + ": " + name + " holds " + values[i] + " in sample "
                        + i / perSample
                        + " (value " + i % perSample + " of " + perSample + " per sample); expected finite numbers: "
                        + "clean or impute the data before training");
            }
        }
        FINITE.put(values, Boolean.TRUE);
    }

    // ------------------------------------------------------------------ running loss and metrics

    /** The loss tracker and the compiled metrics, with one read for all of them. */
    private final class Tracker implements AutoCloseable {
        private final Mean loss = new Mean("loss");
        private final List<Metric> metrics = new ArrayList<>();
        private final List<Metric> owned = new ArrayList<>();

        Tracker(int[] targetShape) {
            int[] out = model.outputShape();
            for (Object m : model.metrics()) {
                if (m instanceof Metric metric) {
                    metrics.add(metric);
                } else {
                    Metric metric = Metrics.get((String) m, targetShape, out);
                    metrics.add(metric);
                    owned.add(metric);
                }
            }
        }

        void reset() {
            loss.reset();
            metrics.forEach(Metric::reset);
        }

        /**
         * Adds a batch. {@code logits} says that {@code out} is the output before the model's output
         * activation (the loss fused with it): metrics that look only at the argmax (accuracies)
         * take it from the logits, as the activation (softmax) keeps each row's order; the
         * activation is applied, once, only when another metric needs the probabilities.
         */
        void update(Tensor total, Tensor y, Tensor out, boolean logits, int n) {
            loss.add(total, n);
            Tensor probabilities = logits ? null : out;
            for (Metric m : metrics) {
                if (logits && argmaxOnly(m)) {
                    m.update(y, out);
                    continue;
                }
                if (probabilities == null) {
                    probabilities = model.outputActivation().apply(out);
                }
                m.update(y, probabilities);
            }
        }

        /** Whether {@code m} reads only each row's argmax, which softmax leaves unchanged. */
        private boolean argmaxOnly(Metric m) {
            return model.outputActivation() == Activations.SOFTMAX
                    && (m instanceof CategoricalAccuracy || m instanceof SparseCategoricalAccuracy);
        }

        /** The loss tracker, then the metrics. */
        List<Metric> all() {
            List<Metric> all = new ArrayList<>();
            all.add(loss);
            all.addAll(metrics);
            return all;
        }

        Map<String, Double> results() {
            List<Metric> all = all();
            double[] values = Metric.resultsOf(all);
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                out.put(all.get(i).name(), values[i]);
            }
            return out;
        }

        @Override
        public void close() {
            loss.close();
            owned.forEach(Metric::close);
        }
    }

    /**
     * The model's weight lists, built once per {@code fit} or {@code evaluate} rather than several
     * times a step ({@link Model#weights()} and its kin walk the layers with identity sets). As in
     * Keras, making a layer trainable or frozen takes effect at the next {@code fit}.
     */
    private static final class Weights {
        final List<Parameter> all;
        final List<Parameter> nonTrainable;
        final List<Parameter> regularized = new ArrayList<>();
        /** The tensors of the trainable weights, for {@link dev.nabla.optim.Optimizer#step}. */
        final List<Tensor> trainableValues = new ArrayList<>();

        Weights(Model model) {
            all = model.weights();
            List<Parameter> trainable = model.trainableWeights();
            Set<Parameter> isTrainable = Collections.newSetFromMap(new IdentityHashMap<>());
            isTrainable.addAll(trainable);
            nonTrainable = all.stream().filter(p -> !isTrainable.contains(p)).toList();
            for (Parameter p : trainable) {
                if (p.regularizer() != null) {
                    regularized.add(p);
                }
                if (p.trainable()) {
                    trainableValues.add(p.value());
                }
            }
        }

        /** {@code loss} plus the penalties of the regularized trainable weights. */
        Tensor penalized(Tensor loss) {
            Tensor total = loss;
            for (Parameter p : regularized) {
                total = total.add(p.regularizer().penalty(p.value()));
            }
            return total;
        }
    }
}
