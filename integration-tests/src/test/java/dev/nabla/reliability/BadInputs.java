package dev.nabla.reliability;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendUnavailableException;
import dev.nabla.backend.Backends;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.data.Csv;
import dev.nabla.data.Dataset;
import dev.nabla.data.Idx;
import dev.nabla.io.ModelFormatException;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.MaxPooling2D;
import dev.nabla.nn.Model;
import dev.nabla.nn.Reshape;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The table of bad inputs: each row is checked by {@link BadInputTableTest} and listed in docs/errors.md. */
final class BadInputs {
    private BadInputs() {}

    private static final List<BadInput> ROWS = new ArrayList<>();

    private static void row(
            String area,
            String problem,
            String code,
            Class<? extends Throwable> type,
            String problemSays,
            String expectationSays,
            BadInput.Call call) {
        ROWS.add(new BadInput(
                area,
                problem,
                code,
                type,
                List.of(problemSays.split("\\|")),
                List.of(expectationSays.split("\\|")),
                call));
    }

    static synchronized List<BadInput> all() {
        if (ROWS.isEmpty()) {
            tensors();
            fit();
            modelState();
            layers();
            threads();
            backends();
            data();
            files();
        }
        return List.copyOf(ROWS);
    }

    // ------------------------------------------------------------------ tensors (more in the conformance kit's
    // BadInputSpec)

    private static void tensors() {
        row(
                "tensor",
                "host data does not fill the shape",
                "Tensor.of(new float[5], 2, 3)",
                IllegalArgumentException.class,
                "[2, 3]|5 values",
                "6 elements",
                f -> Tensor.of(new float[5], 2, 3));
        row(
                "tensor",
                "two inferred extents in reshape",
                "x.reshape(-1, -1)",
                IllegalArgumentException.class,
                "-1",
                "one",
                f -> f.x().reshape(-1, -1));
        row(
                "tensor",
                "slice with step 0",
                "x.slice(0, 0, 4, 0)",
                IllegalArgumentException.class,
                "step 0",
                "positive",
                f -> f.x().slice(0, 0, 4, 0));
        row(
                "tensor",
                "a weight and a tensor of another backend instance in one op",
                "model.weights().get(0).value().add(Tensor.on(otherCpu).ones(4, 5))",
                IllegalArgumentException.class,
                "different backends|two different instances of the cpu backend",
                "expected both on the same backend",
                f -> {
                    Backend other = f.own(CpuBackendProvider.createIsolated());
                    Tensor foreign = f.own(Tensor.on(other).ones(4, 5));
                    f.model.weights().get(0).value().add(foreign);
                });
        row(
                "tensor",
                "targets and predictions on two backends in a loss",
                "new SparseCategoricalCrossentropy().call(yOnOtherCpu, model.predict(x))",
                IllegalArgumentException.class,
                "targets live on cpu and predictions on cpu (two different instances)",
                "expected both on the same backend",
                f -> {
                    Backend other = f.own(CpuBackendProvider.createIsolated());
                    Tensor labels = f.own(Tensor.on(other).of(f.data.targets(), 12));
                    new SparseCategoricalCrossentropy().call(labels, f.own(f.model.predict(f.x())));
                });
        row(
                "tensor",
                "a closed tensor given to fit",
                "x.close(); model.fit(x, y, options)",
                IllegalStateException.class,
                "closed",
                "expected an open tensor",
                f -> {
                    Tensor x = f.x();
                    x.close();
                    f.model.fit(x, f.y(), new FitOptions().verbose(0));
                });
        row(
                "tensor",
                "a tensor used after the TensorScope that made it",
                "try (scope) { h = x.exp(); } h.sum()",
                IllegalStateException.class,
                "closed|TensorScope",
                "keep it with TensorScope.keep",
                f -> {
                    Tensor h;
                    try (TensorScope scope = TensorScope.open()) {
                        h = f.x().exp();
                    }
                    h.sum();
                });
        row(
                "tensor",
                "a TensorScope closed on another thread",
                "scope.close() on a thread that did not open it",
                IllegalStateException.class,
                "not on",
                "closed on the thread that opened it",
                f -> {
                    TensorScope scope = TensorScope.open();
                    AtomicReference<RuntimeException> failure = new AtomicReference<>();
                    Thread other = new Thread(
                            () -> {
                                try {
                                    scope.close();
                                } catch (RuntimeException e) {
                                    failure.set(e);
                                }
                            },
                            "other-thread");
                    other.start();
                    other.join();
                    scope.close();
                    throw failure.get();
                });
        row(
                "tensor",
                "requiresGrad on the result of an op",
                "w.exp().requiresGrad(true) for a variable w",
                IllegalStateException.class,
                "result of exp",
                "leaf",
                f -> f.own(Tensor.of(new float[] {1, 2}).requiresGrad(true))
                        .exp()
                        .requiresGrad(true));
        row(
                "tensor",
                "backward through a graph already used",
                "loss.backward(); loss.backward()",
                IllegalStateException.class,
                "already used",
                "run the forward pass again",
                f -> {
                    Tensor w = f.own(Tensor.of(new float[] {1, 2}).requiresGrad(true));
                    Tensor loss = w.exp().sum();
                    loss.backward();
                    loss.backward();
                });
        row(
                "tensor",
                "backward from a tensor that needs no gradient",
                "x.sum().backward()",
                IllegalStateException.class,
                "does not depend on any tensor that requires gradients",
                "requiresGrad(true)",
                f -> f.x().sum().backward());
    }

    // ------------------------------------------------------------------ fit, evaluate, predict: data

    private static void fit() {
        FitOptions quiet = new FitOptions().verbose(0);
        row(
                "fit",
                "features of the wrong per-sample shape",
                "model.fit(x [12, 3], y, options)",
                IllegalArgumentException.class,
                "per-sample shape [3]",
                "expects [4]",
                f -> f.model.fit(f.x().slice(1, 0, 3), f.y(), quiet));
        row(
                "fit",
                "features without a feature axis (rank 1)",
                "model.fit(x [12], y, options)",
                IllegalArgumentException.class,
                "per-sample shape []",
                "expects [4]",
                f -> f.model.fit(f.y(), f.y(), quiet));
        row(
                "fit",
                "x and y of different lengths",
                "model.fit(x [12, 4], y [11], options)",
                IllegalArgumentException.class,
                "x has 12 samples|y has 11",
                "expected the same first axis",
                f -> f.model.fit(f.x(), f.y().slice(0, 0, 11), quiet));
        row(
                "fit",
                "feature and target arrays of different lengths",
                "Dataset.of(new float[12 * 4], {4}, new float[11], {})",
                IllegalArgumentException.class,
                "12 samples|11 samples",
                "expected the same number of samples",
                f -> Dataset.of(new float[48], new int[] {4}, new float[11], new int[] {}));
        row(
                "fit",
                "an empty batch (no samples)",
                "model.fit(Dataset.of(new float[0], {4}, new float[0], {}), options)",
                IllegalArgumentException.class,
                "empty",
                "expected at least one sample",
                f -> f.model.fit(Dataset.of(new float[0], new int[] {4}, new float[0], new int[] {}), quiet));
        row(
                "fit",
                "batch size 0",
                "new FitOptions().batchSize(0)",
                IllegalArgumentException.class,
                "got 0",
                "positive",
                f -> new FitOptions().batchSize(0));
        row(
                "fit",
                "negative batch size",
                "new FitOptions().batchSize(-32)",
                IllegalArgumentException.class,
                "got -32",
                "positive",
                f -> new FitOptions().batchSize(-32));
        row(
                "fit",
                "negative epochs",
                "new FitOptions().epochs(-1)",
                IllegalArgumentException.class,
                "got -1",
                "≥ 0",
                f -> new FitOptions().epochs(-1));
        row(
                "fit",
                "a validation split of 1",
                "new FitOptions().validationSplit(1.0)",
                IllegalArgumentException.class,
                "got 1.0",
                "[0, 1)",
                f -> new FitOptions().validationSplit(1.0));
        row(
                "fit",
                "a validation split that leaves no training sample",
                "fit(12 samples, validationSplit(0.95))",
                IllegalArgumentException.class,
                "0.95 of 12 samples",
                "training set empty",
                f -> f.model.fit(f.data, new FitOptions().validationSplit(0.95).verbose(0)));
        row(
                "fit",
                "verbose 3",
                "new FitOptions().verbose(3)",
                IllegalArgumentException.class,
                "got 3",
                "0, 1 or 2",
                f -> new FitOptions().verbose(3));
        row(
                "fit",
                "validation batch size 0",
                "new FitOptions().validationBatchSize(0)",
                IllegalArgumentException.class,
                "got 0",
                "positive",
                f -> new FitOptions().validationBatchSize(0));
        row(
                "fit",
                "validation every 0 epochs",
                "new FitOptions().validationFreq(0)",
                IllegalArgumentException.class,
                "got 0",
                "at least 1",
                f -> new FitOptions().validationFreq(0));
        row(
                "fit",
                "a class label out of range",
                "labels {0, 1, 2, 3} for 3 classes",
                IllegalArgumentException.class,
                "label 3 of sample 0",
                "[0, 3)",
                f -> f.model.fit(f.withLabel(0, 3), quiet));
        row(
                "fit",
                "a negative class label",
                "labels {-1, …}",
                IllegalArgumentException.class,
                "label -1 of sample 4",
                "[0, 3)",
                f -> f.model.fit(f.withLabel(4, -1), quiet));
        row(
                "fit",
                "a fractional class label",
                "labels {1.5, …}",
                IllegalArgumentException.class,
                "label 1.5",
                "integer class index",
                f -> f.model.fit(f.withLabel(2, 1.5f), quiet));
        row(
                "fit",
                "NaN in the labels",
                "labels {NaN, …}",
                IllegalArgumentException.class,
                "y holds NaN in sample 7",
                "expected finite numbers",
                f -> f.model.fit(f.withLabel(7, Float.NaN), quiet));
        row(
                "fit",
                "NaN in the features",
                "x[2][1] = NaN",
                IllegalArgumentException.class,
                "x holds NaN in sample 2",
                "expected finite numbers",
                f -> f.model.fit(f.withFeature(2 * 4 + 1, Float.NaN), quiet));
        row(
                "fit",
                "infinity in the features",
                "x[5][3] = +Inf",
                IllegalArgumentException.class,
                "x holds Infinity in sample 5",
                "expected finite numbers",
                f -> f.model.fit(f.withFeature(5 * 4 + 3, Float.POSITIVE_INFINITY), quiet));
        row(
                "fit",
                "infinity in validation data",
                "validationData with -Inf",
                IllegalArgumentException.class,
                "validation data|-Infinity",
                "expected finite numbers",
                f -> f.model.fit(
                        f.data, new FitOptions().verbose(0).validationData(f.withFeature(0, Float.NEGATIVE_INFINITY))));
        row(
                "fit",
                "one-hot targets of the wrong width",
                "CategoricalCrossentropy with y [12, 2] for 3 outputs",
                IllegalArgumentException.class,
                "[2]|[3]",
                "expected one-hot targets of the output's shape",
                f -> {
                    try (Sequential other = new Sequential(new Dense(3, "softmax").inputShape(4))) {
                        other.compile(new Adam(0.01), new CategoricalCrossentropy());
                        other.fit(Dataset.of(f.data.features(), new int[] {4}, new float[24], new int[] {2}), quiet);
                    }
                });
        row(
                "fit",
                "one-hot targets given to a sparse loss",
                "SparseCategoricalCrossentropy with y [12, 3]",
                IllegalArgumentException.class,
                "per-sample shape [3]",
                "look one-hot: use CategoricalCrossentropy",
                f -> f.model.fit(f.data.toCategorical(3), quiet));
        row(
                "fit",
                "validation data of another feature shape",
                "validationData(features of shape [2, 2])",
                IllegalArgumentException.class,
                "validation data|[2, 2]",
                "expects [4]",
                f -> f.model.fit(f.data, new FitOptions().verbose(0).validationData(f.data.reshapeFeatures(2, 2))));
        row(
                "fit",
                "fit before compile",
                "new Sequential(...).fit(x, y, options)",
                IllegalStateException.class,
                "not compiled",
                "call compile(optimizer, loss, metrics...) first",
                f -> {
                    try (Sequential fresh = new Sequential(new Dense(3).inputShape(4))) {
                        fresh.fit(f.data, quiet);
                    }
                });
        row(
                "evaluate",
                "batch size 0",
                "model.evaluate(data, 0, 0)",
                IllegalArgumentException.class,
                "got 0",
                "positive",
                f -> f.model.evaluate(f.data, 0, 0));
        row(
                "evaluate",
                "a label out of range",
                "model.evaluate(labels with 7)",
                IllegalArgumentException.class,
                "label 7",
                "[0, 3)",
                f -> f.model.evaluate(f.withLabel(1, 7)));
        row(
                "predict",
                "batch size 0",
                "model.predict(x, 0)",
                IllegalArgumentException.class,
                "got 0",
                "positive",
                f -> f.model.predict(f.x(), 0));
        row(
                "predict",
                "features of the wrong per-sample shape",
                "model.predict(x [12, 5])",
                IllegalArgumentException.class,
                "per-sample shape [5]",
                "expects [4]",
                f -> f.model.predict(f.own(Tensor.zeros(12, 5))));
        row(
                "predict",
                "a scalar instead of a batch",
                "model.predict(Tensor.scalar(1))",
                IllegalArgumentException.class,
                "scalar",
                "expected a batch",
                f -> f.model.predict(f.own(Tensor.scalar(1))));
    }

    // ------------------------------------------------------------------ models: state and configuration

    private static void modelState() {
        FitOptions quiet = new FitOptions().verbose(0);
        row(
                "model",
                "fit on a closed model",
                "model.close(); model.fit(...)",
                IllegalStateException.class,
                "was closed",
                "weights are released",
                f -> {
                    f.model.close();
                    f.model.fit(f.data, quiet);
                });
        row(
                "model",
                "predict on a closed model",
                "model.close(); model.predict(x)",
                IllegalStateException.class,
                "was closed",
                "weights are released",
                f -> {
                    f.model.close();
                    f.model.predict(f.x());
                });
        row(
                "model",
                "save of a closed model",
                "model.close(); model.save(path)",
                IllegalStateException.class,
                "was closed",
                "weights are released",
                f -> {
                    f.model.close();
                    f.model.save(Path.of("never-written.nabla"));
                });
        row(
                "model",
                "getWeights of a closed model",
                "model.close(); model.getWeights()",
                IllegalStateException.class,
                "was closed",
                "weights are released",
                f -> {
                    f.model.close();
                    f.model.getWeights();
                });
        row(
                "model",
                "setWeights with too few arrays",
                "model.setWeights(List.of(new float[20]))",
                IllegalArgumentException.class,
                "got 1 arrays",
                "has 4 weights",
                f -> f.model.setWeights(List.of(new float[20])));
        row(
                "model",
                "setWeights with an array of the wrong length",
                "model.setWeights(weights with one array too short)",
                IllegalArgumentException.class,
                "got 19",
                "needs 20 values",
                f -> {
                    List<float[]> weights = new ArrayList<>(f.model.getWeights());
                    weights.set(0, new float[19]);
                    f.model.setWeights(weights);
                });
        row(
                "model",
                "changing the backend of a built model",
                "model.backend(otherCpu)",
                IllegalStateException.class,
                "already built on cpu",
                "choose the backend before building",
                f -> {
                    Backend other = f.own(CpuBackendProvider.createIsolated());
                    f.model.backend(other);
                });
        row(
                "model",
                "building for another input shape",
                "model.build(7)",
                IllegalArgumentException.class,
                "[7]",
                "takes inputs of per-sample shape [4]",
                f -> f.model.build(7));
        row(
                "model",
                "an unknown optimizer name",
                "model.compile(\"adamx\", \"mse\")",
                IllegalArgumentException.class,
                "adamx",
                "expected one of",
                f -> f.model.compile("adamx", "mse"));
        row(
                "model",
                "an unknown loss name",
                "model.compile(\"adam\", \"mse2\")",
                IllegalArgumentException.class,
                "mse2",
                "expected one of",
                f -> f.model.compile("adam", "mse2"));
        row(
                "model",
                "an unknown metric name",
                "model.compile(\"adam\", \"mse\", \"acuracy\")",
                IllegalArgumentException.class,
                "acuracy",
                "expected one of",
                f -> f.model.compile("adam", "mse", "acuracy"));
        row(
                "model",
                "a metric named twice",
                "model.compile(\"adam\", \"mse\", \"mae\", \"mae\")",
                IllegalArgumentException.class,
                "'mae' appears twice",
                "metric name",
                f -> f.model.compile("adam", "mse", "mae", "mae"));
        row(
                "model",
                "an unknown activation",
                "new Dense(3, \"relux\")",
                IllegalArgumentException.class,
                "relux",
                "expected one of",
                f -> new Dense(3, "relux"));
        row(
                "model",
                "a layer with no units",
                "new Dense(0)",
                IllegalArgumentException.class,
                "got 0",
                "positive",
                f -> new Dense(0));
        row(
                "model",
                "a dropout rate of 1.5",
                "new Dropout(1.5)",
                IllegalArgumentException.class,
                "got 1.5",
                "[0, 1)",
                f -> new Dropout(1.5));
        row(
                "model",
                "a layer name that does not exist",
                "model.getLayer(\"conv\")",
                IllegalArgumentException.class,
                "no layer 'conv'",
                "its layers are",
                f -> f.model.getLayer("conv"));
    }

    // ------------------------------------------------------------------ threads

    // ------------------------------------------------------------------ layers (shapes)

    private static void layers() {
        row(
                "layers",
                "a 2-D input to Conv2D",
                "new Conv2D(4, 3).name(\"conv\").apply(x)   // x is [12, 4]",
                IllegalArgumentException.class,
                "conv (Conv2D)|got [batch, 4]",
                "expected a rank-4 input [batch, height, width, channels]",
                f -> f.own(new Conv2D(4, 3).name("conv")).apply(f.x()));
        row(
                "layers",
                "a kernel larger than the input",
                "new Conv2D(4, 5).name(\"conv\").apply(images)   // images are [2, 3, 3, 1]",
                IllegalArgumentException.class,
                "conv (Conv2D)|kernel [5, 5] is larger than the input [3, 3]|[3, 3, 1]",
                "expected a kernel no larger than the input's height and width",
                f -> f.own(new Conv2D(4, 5).name("conv"))
                        .apply(f.own(Tensor.on(Fixture.CPU).ones(2, 3, 3, 1))));
        row(
                "layers",
                "a pool larger than the input in a model",
                "new Sequential(new Conv2D(8, 3).inputShape(6, 6, 1), new MaxPooling2D(5).name(\"pool\")).build()",
                IllegalArgumentException.class,
                "pool (MaxPooling2D)|pool [5, 5] is larger than the input [4, 4]|[4, 4, 8]",
                "expected a pool no larger than the input's height and width",
                f -> {
                    Sequential model = f.own(
                            new Sequential(new Conv2D(8, 3).inputShape(6, 6, 1), new MaxPooling2D(5).name("pool")));
                    model.backend(Fixture.CPU);
                    model.build(6, 6, 1);
                });
        row(
                "layers",
                "images with another channel count than Conv2D was built for",
                "conv.apply(rgb); conv.apply(gray)   // [2, 8, 8, 3], then [2, 8, 8, 1]",
                IllegalArgumentException.class,
                "conv (Conv2D)|got batches of shape [8, 8, 1]",
                "expects input of per-sample shape [8, 8, 3]",
                f -> {
                    Conv2D conv = f.own(new Conv2D(4, 3).name("conv"));
                    conv.apply(f.own(Tensor.on(Fixture.CPU).ones(2, 8, 8, 3)));
                    conv.apply(f.own(Tensor.on(Fixture.CPU).ones(2, 8, 8, 1)));
                });
        row(
                "layers",
                "Reshape to a shape of another size",
                "new Reshape(5, -1).name(\"reshape\").apply(x)   // x is [12, 4]",
                IllegalArgumentException.class,
                "reshape (Reshape)|per-sample shape [4] (4 values)|[5, -1]",
                "expected a target shape with the same number of values per sample",
                f -> f.own(new Reshape(5, -1).name("reshape")).apply(f.x()));
    }

    private static void threads() {
        row(
                "threads",
                "predict from another thread while the model trains",
                "thread A: model.fit(...); thread B: model.predict(x)",
                IllegalStateException.class,
                "in use by fit on thread 'trainer'",
                "predict/evaluate/getWeights/save from any number of threads",
                f -> whileFitting(f, () -> f.model.predict(f.x())));
        row(
                "threads",
                "getWeights from another thread while the model trains",
                "thread A: model.fit(...); thread B: model.getWeights()",
                IllegalStateException.class,
                "in use by fit",
                "fit/setWeights/compile/close alone",
                f -> whileFitting(f, () -> f.model.getWeights()));
        row(
                "threads",
                "setWeights from another thread while the model trains",
                "thread A: model.fit(...); thread B: model.setWeights(w)",
                IllegalStateException.class,
                "in use by fit",
                "fit/setWeights/compile/close alone",
                f -> {
                    List<float[]> weights = f.model.getWeights();
                    whileFitting(f, () -> f.model.setWeights(weights));
                });
        row(
                "threads",
                "a second fit from another thread",
                "thread A: model.fit(...); thread B: model.fit(...)",
                IllegalStateException.class,
                "in use by fit",
                "fit/setWeights/compile/close alone",
                f -> whileFitting(f, () -> f.model.fit(f.data, new FitOptions().verbose(0))));
        row(
                "threads",
                "close from another thread while the model trains",
                "thread A: model.fit(...); thread B: model.close()",
                IllegalStateException.class,
                "in use by fit",
                "fit/setWeights/compile/close alone",
                f -> whileFitting(f, () -> f.model.close()));
    }

    /**
     * Runs {@code call} on this thread while thread "trainer" is inside {@code fit} (held in
     * onTrainBegin with 0 epochs, so it changes nothing), then lets the fit finish.
     */
    private static void whileFitting(Fixture f, Runnable call) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> trainerFailure = new AtomicReference<>();
        Callback hold = new Callback() {
            @Override
            public void onTrainBegin(Logs logs) {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Thread trainer = new Thread(
                () -> {
                    try {
                        f.model.fit(
                                f.data, new FitOptions().epochs(0).verbose(0).callbacks(hold));
                    } catch (Throwable t) {
                        trainerFailure.set(t);
                    }
                },
                "trainer");
        trainer.start();
        try {
            if (!inside.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the trainer thread did not reach fit", trainerFailure.get());
            }
            call.run();
        } finally {
            release.countDown();
            trainer.join(10_000);
            if (trainerFailure.get() != null) {
                throw new AssertionError("the fit on the trainer thread failed", trainerFailure.get());
            }
        }
    }

    // ------------------------------------------------------------------ backends

    private static void backends() {
        row(
                "backend",
                "an unknown backend name",
                "Backends.get(\"tpu\", 0)",
                BackendUnavailableException.class,
                "unknown backend 'tpu'",
                "expected one of [",
                f -> Backends.get("tpu", 0));
        row(
                "backend",
                "an unknown backend name as the default",
                "Backends.use(\"cdua\")",
                BackendUnavailableException.class,
                "unknown backend 'cdua'",
                "expected one of [",
                f -> Backends.use("cdua"));
        row(
                "backend",
                "a device index the backend does not have",
                "Backends.get(\"cpu\", 1)",
                BackendUnavailableException.class,
                "device 1",
                "one device, 0",
                f -> Backends.get("cpu", 1));
    }

    // ------------------------------------------------------------------ data sets

    private static void data() {
        row(
                "data",
                "a label out of range for toCategorical",
                "data.toCategorical(2) with label 2",
                IllegalArgumentException.class,
                "label 2.0",
                "[0, 2)",
                f -> f.data.toCategorical(2));
        row(
                "data",
                "a train ratio outside (0, 1)",
                "data.trainTestSplit(1.5, seed)",
                IllegalArgumentException.class,
                "1.5",
                "strictly between 0 and 1",
                f -> f.data.trainTestSplit(1.5, 1));
        row(
                "data",
                "batch size 0 when batching a data set",
                "data.batches(0, true, seed, backend)",
                IllegalArgumentException.class,
                "batch size is 0",
                "positive",
                f -> f.data.batches(0, true, 1, Fixture.CPU));
        row(
                "data",
                "a slice with from > to",
                "data.slice(5, 2)",
                IndexOutOfBoundsException.class,
                "[5, 2)",
                "0 ≤ from ≤ to ≤ 12",
                f -> f.data.slice(5, 2));
        row(
                "data",
                "a shape with a zero extent",
                "Dataset.of(x, {4, 0}, y, {})",
                IllegalArgumentException.class,
                "[4, 0]",
                "positive extents",
                f -> Dataset.of(new float[4], new int[] {4, 0}, new float[1], new int[] {}));
    }

    // ------------------------------------------------------------------ files

    private static void files() {
        row(
                "files",
                "a CSV row with a missing field",
                "Csv.load(\"1,2,0\\n3,4\\n\")",
                IOException.class,
                "line 2: 2 fields",
                "expected 3 like line 1",
                f -> Csv.load(csv("1,2,0\n3,4\n"), false, -1));
        row(
                "files",
                "a CSV field that is not a number",
                "Csv.load(\"1,x,0\")",
                IOException.class,
                "line 1, column 2|'x'",
                "expected a decimal number",
                f -> Csv.load(csv("1,x,0\n"), false, -1));
        row(
                "files",
                "a CSV label that is not an integer",
                "Csv.load(\"1,2,0.5\")",
                IOException.class,
                "label '0.5'",
                "expected an integer class label",
                f -> Csv.load(csv("1,2,0.5\n"), false, -1));
        row(
                "files",
                "a CSV label column that does not exist",
                "Csv.load(file, false, 5) on 3 columns",
                IllegalArgumentException.class,
                "label column 5",
                "expected a column in [-3, 2]",
                f -> Csv.load(csv("1,2,0\n"), false, 5));
        row(
                "files",
                "an IDX file with a bad magic number",
                "Idx.read(bytes 01 02 08 01 …)",
                IOException.class,
                "magic number starts 01 02",
                "expected 00 00 <type> <rank>",
                f -> Idx.read(new ByteArrayInputStream(new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5}), "bad.idx"));
        row(
                "files",
                "an IDX file cut short",
                "Idx.read(header of 3 elements, 2 data bytes)",
                EOFException.class,
                "truncated",
                "need 3 data bytes",
                f -> Idx.read(new ByteArrayInputStream(new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 5, 6}), "cut.idx"));
        row(
                "files",
                "a model file that does not exist",
                "Model.load(Path.of(\"missing.nabla\"))",
                UncheckedIOException.class,
                "cannot read model file missing.nabla: no such file",
                "expected a file written by Model.save",
                f -> Model.load(Path.of("missing.nabla"), Fixture.CPU));
        row(
                "files",
                "a file that is not a model",
                "Model.load(a CSV file)",
                ModelFormatException.class,
                "not a Nabla model file",
                "magic number",
                f -> Model.load(csv("1,2,0\n"), Fixture.CPU));
        row(
                "files",
                "a model file cut short",
                "Model.load(first 100 bytes of a model file)",
                ModelFormatException.class,
                "truncated model file",
                "the header announces",
                f -> Model.load(saved(f, bytes -> Arrays.copyOf(bytes, 100)), Fixture.CPU));
        row(
                "files",
                "a model file with one byte changed",
                "Model.load(a model file with byte 200 flipped)",
                ModelFormatException.class,
                "corrupted model file",
                "SHA-256 checksum does not match",
                f -> Model.load(
                        saved(f, bytes -> {
                            bytes[200] ^= 0x01;
                            return bytes;
                        }),
                        Fixture.CPU));
    }

    private static Path csv(String text) throws IOException {
        Path file = Files.createTempFile("nabla-bad-input-", ".csv");
        file.toFile().deleteOnExit();
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static Path saved(Fixture f, java.util.function.UnaryOperator<byte[]> damage) throws IOException {
        Path file = Files.createTempFile("nabla-bad-input-", ".nabla");
        file.toFile().deleteOnExit();
        f.model.save(file);
        Files.write(file, damage.apply(Files.readAllBytes(file)));
        return file;
    }
}
