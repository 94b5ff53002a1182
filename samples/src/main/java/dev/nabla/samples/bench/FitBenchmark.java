package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.Losses;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.train.NetworkSpec;
import dev.nabla.samples.train.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the training epochs of one of {@code nabla-train}'s networks (a preset such as {@code cnn}
 * or {@code lenet}, or a spec) as a user trains it: the {@code Sequential} the spec builds,
 * compiled with the preset's loss and optimizer, {@code fit} with shuffling and a timer callback,
 * then {@code evaluate} on the test set. The epoch time is training only (no validation, no
 * checkpoint), as PyTorch's and DL4J's twins measure it ({@code samples/bench/cnn-compare.sh}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.nabla.samples.bench.FitBenchmark --model cnn --epochs 3
 * </pre>
 *
 * The first epoch is a warm-up (JIT, allocator) and is left out of the median.
 */
public final class FitBenchmark {
    private FitBenchmark() {}

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the benchmark in this JVM and returns its exit code (tests call this). */
    static int run(String... args) {
        return SampleRunner.run(SPEC, args, job -> run(job.options(), job.backend()));
    }

    private static void run(Options o, Backend backend) throws IOException {
        try (Turns turns = Turns.open(o.string("turns"), o.integer("turn-steps"))) {
            run(o, backend, turns);
        }
    }

    private static void run(Options o, Backend backend, Turns turns) throws IOException {
        String name = o.string("model");
        Preset preset = Preset.isPreset(name) ? Preset.of(name) : null;
        NetworkSpec network = preset != null ? preset.network() : NetworkSpec.parse(name);
        String loss = preset != null ? preset.loss() : "categorical_crossentropy";
        Optimizer optimizer = preset != null ? preset.newOptimizer() : new Adam(1e-3);
        TrainTest data = BenchData.load(o.string("data"));
        Dataset train = BenchData.resize(data.train(), o.integer("samples"));
        Path json = o.string("json") == null ? null : Path.of(o.string("json"));
        train(
                backend,
                name,
                network,
                optimizer,
                loss,
                o.batchSize(),
                o.epochs(),
                o.seed(),
                train,
                data.test(),
                turns,
                json);
    }

    /**
     * Trains {@code network} with {@code fit}, timing each epoch, evaluates it on {@code test} (if any) and prints
     * (and writes to {@code json}, if given) the summary. Each epoch is one or more of {@code turns} (whose
     * pauses its time leaves out), and the evaluation after the last is one more. {@code extra} callbacks join
     * the timer (the step breakdown turns its timing on with one).
     */
    static void train(
            Backend backend,
            String name,
            NetworkSpec network,
            Optimizer optimizer,
            String loss,
            int batchSize,
            int epochs,
            long seed,
            Dataset train,
            Dataset test,
            Turns turns,
            Path json,
            Callback... extra)
            throws IOException {
        int classes = network.outputs();
        Dataset trainSet = train.flatten().toCategorical(classes);
        Dataset testSet = test == null ? null : test.flatten().toCategorical(classes);
        System.out.printf(
                Locale.ROOT,
                "%s: %s, %s, batch %d, %d samples on %s (%s)%n",
                name,
                network,
                loss,
                batchSize,
                trainSet.size(),
                backend.name(),
                backend.deviceName());
        List<Double> times = new ArrayList<>();
        double[] lastLoss = {Double.NaN};
        int steps = (trainSet.size() + batchSize - 1) / batchSize;
        Callback timer = new Callback() {
            private long start, away;

            @Override
            public void onEpochBegin(int epoch, Logs logs) {
                turns.begin();
                start = System.nanoTime();
                away = 0;
            }

            @Override
            public void onBatchEnd(int batch, Logs logs) {
                if (turns.due(batch, steps)) {
                    backend.synchronize(); // the work queued so far belongs to this turn
                    away += turns.handOver(); // left out of the epoch's time
                }
            }

            @Override
            public void onEpochEnd(int epoch, Logs logs) {
                double seconds = (System.nanoTime() - start - away) / 1e9;
                turns.end();
                times.add(seconds);
                lastLoss[0] = logs.get("loss");
                System.out.printf(
                        Locale.ROOT,
                        "epoch %d/%d: %.3f s, loss %.4f, accuracy %.4f%n",
                        epoch + 1,
                        epochs,
                        seconds,
                        logs.get("loss"),
                        logs.get("accuracy"));
            }
        };
        double accuracy = Double.NaN, predictPerSecond = Double.NaN;
        RandomSeed.set(seed); // the initial weights too: same seed, same run, on every backend
        try (Sequential model = network.build()) {
            model.backend(backend);
            model.compile(optimizer, Losses.get(loss), "accuracy");
            model.fit(
                    trainSet,
                    new FitOptions()
                            .batchSize(batchSize)
                            .epochs(epochs)
                            .shuffle(true)
                            .seed(seed)
                            .verbose(0)
                            .callbacks(withTimer(timer, extra)));
            turns.begin(); // evaluate and predict are timed too
            if (testSet != null && testSet.size() > 0) {
                Map<String, Double> scores = model.evaluate(testSet);
                accuracy = scores.get("accuracy");
                System.out.printf(Locale.ROOT, "test accuracy %.2f%% (%d samples)%n", 100 * accuracy, testSet.size());
                predictPerSecond = testSet.size() / predictSeconds(model, testSet);
                System.out.printf(
                        Locale.ROOT, "predict: %.0f samples/s (batches of %d)%n", predictPerSecond, PREDICT_BATCH);
            }
            turns.finish();
        }
        double median = BenchStats.medianAfterWarmup(times);
        String summary = String.format(
                Locale.ROOT,
                "{\"engine\": \"nabla\", \"api\": \"fit\", \"model\": \"%s\", \"backend\": \"%s\", \"device\": \"%s\", "
                        + "\"samples\": %d, \"batch_size\": %d, \"epochs\": %d, \"epoch_seconds\": %s, "
                        + "\"median_epoch_seconds\": %.4f, \"samples_per_second\": %.1f, \"final_loss\": %.5f, "
                        + "\"predict_samples_per_second\": %s, \"test_accuracy\": %s}",
                name,
                backend.name(),
                backend.deviceName().replace("\"", "'"),
                trainSet.size(),
                batchSize,
                epochs,
                times,
                median,
                trainSet.size() / median,
                lastLoss[0],
                Double.isNaN(predictPerSecond) ? "null" : String.format(Locale.ROOT, "%.1f", predictPerSecond),
                Double.isNaN(accuracy) ? "null" : String.format(Locale.ROOT, "%.4f", accuracy));
        System.out.println(summary);
        if (json != null) {
            Files.writeString(json, summary + "\n");
        }
    }

    private static Callback[] withTimer(Callback timer, Callback[] extra) {
        Callback[] all = Arrays.copyOf(extra, extra.length + 1);
        all[extra.length] = timer;
        return all;
    }

    /** Inference batches: the test set is predicted in batches of this size. */
    static final int PREDICT_BATCH = 1024;

    /** The median time of three {@code predict} calls over the whole test set (the first warms the JIT up). */
    private static double predictSeconds(Sequential model, Dataset test) {
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            long start = System.nanoTime();
            model.predict(test, PREDICT_BATCH).close();
            times.add((System.nanoTime() - start) / 1e9);
        }
        return BenchStats.medianAfterWarmup(times);
    }

    static final Options.Spec SPEC = Options.program(
                    "FitBenchmark",
                    "Trains one of nabla-train's networks through fit and prints the median epoch time (the first "
                            + "epoch left out) and the test accuracy.")
            .without("out")
            .epochs(3)
            .batchSize(128)
            .stringOption("model", "SPEC|PRESET", "cnn", "network: a preset (" + Preset.names() + ") or a spec")
            .stringOption(
                    "data",
                    "DIR",
                    null,
                    "MNIST-style IDX folder (default: Fashion-MNIST if installed, else the embedded digits)")
            .intOption(
                    "samples",
                    "N",
                    0,
                    0,
                    Integer.MAX_VALUE,
                    "repeat or cut the training set to N samples (0: as it is)")
            .stringOption("json", "FILE", null, "also write the results as JSON to FILE")
            .stringOption(
                    "turns",
                    "WAIT,PASS",
                    null,
                    "take turns with another engine's run through two named pipes: each epoch, and the evaluation "
                            + "after the last, waits for a line on WAIT and then writes one to PASS "
                            + "(samples/bench/turns.sh)")
            .intOption(
                    "turn-steps",
                    "N",
                    0,
                    0,
                    Integer.MAX_VALUE,
                    "with --turns, also hand the turn over every N steps of an epoch, leaving the pauses out of "
                            + "its time (0: only at its end)");
}
