package dev.nabla.samples.train;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.callbacks.Callback;
import dev.nabla.data.Mnist;
import dev.nabla.io.FileErrors;
import dev.nabla.losses.Losses;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.optim.Adam;
import dev.nabla.optim.ExponentialDecay;
import dev.nabla.optim.LearningRateSchedule;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.PiecewiseConstantDecay;
import dev.nabla.optim.PolynomialDecay;
import dev.nabla.optim.RMSprop;
import dev.nabla.optim.SGD;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.samples.data.EmbeddedDigits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code nabla-train}: a training job from the command line, for batch schedulers as much as for people. The
 * network is a short spec ({@code 784-512:tanh-10:softmax}) or a preset, one of the course's MNIST networks or a
 * convolutional one (lenet, cnn); the
 * data the embedded digits, an IDX folder or a CSV file; every epoch ends with a checkpoint, the history (CSV and
 * JSON) and charts of loss and metrics in {@code --out}; {@code --resume} continues from a checkpoint. Ctrl-C or
 * SIGTERM stops after the current batch, writes a checkpoint and exits with 130 / 143.
 *
 * <p>Exit codes: 0 ok, 1 unexpected failure, 2 bad arguments, 3 data or checkpoint missing or unreadable,
 * 4 backend unavailable, 5 training diverged (NaN loss), 130 interrupted by SIGINT (143 by SIGTERM) with a
 * checkpoint written.
 */
public final class TrainCli {
    static final List<String> MODEL_OPTIONS =
            List.of("model", "optimizer", "lr", "momentum", "schedule", "loss", "metrics");
    /** Options that decide the data and its order: a resumed run keeps them, or it would not continue the same run. */
    static final List<String> DATA_OPTIONS =
            List.of("data", "test", "csv-header", "label-column", "validation-split", "samples", "seed");

    static final List<String> METRICS = List.of(
            "accuracy",
            "categorical_accuracy",
            "sparse_categorical_accuracy",
            "binary_accuracy",
            "precision",
            "recall",
            "mae");

    static final Options.Spec SPEC = Options.program(
                    "nabla-train",
                    "Trains a network on a data set with checkpoints each epoch, resumable, with history and charts.")
            .epochs(10)
            .batchSize(Preset.BATCH_SIZE, "samples per batch")
            .stringOption(
                    "model",
                    "SPEC|PRESET",
                    "mlp-adam",
                    "network: a spec like 784-512:tanh-10:softmax "
                            + "(INPUTS-UNITS[:ACTIVATION]-…, dropoutRATE for dropout; reshapeHxWxC, convFkK[same], poolP, "
                            + "flatten for convolutions) or a preset: " + Preset.names())
            .stringOption(
                    "data",
                    "SOURCE",
                    "embedded",
                    "embedded (the 10,000 MNIST digits in the jar), an IDX folder,"
                            + " or a CSV file (numeric features; an integer label or a text class name)")
            .stringOption("test", "FILE", null, "CSV file to validate on (CSV data only)")
            .flag("csv-header", "the CSV files' first line is a header")
            .intOption("label-column", "N", -1, "the CSV label column, from 0; negative counts from the end")
            .doubleOption(
                    "validation-split",
                    "FRACTION",
                    0.2,
                    "CSV without --test: share held out for validation " + "(0: none)")
            .intOption("samples", "N", 0, "use at most N training and N/4 validation samples (0: all)")
            .choiceOption("optimizer", null, "default: the preset's, else adam", "sgd", "momentum", "rmsprop", "adam")
            .positiveDoubleOption(
                    "lr",
                    "RATE",
                    null,
                    "learning rate (default: the preset's, else 0.01 for sgd and "
                            + "momentum, 0.001 for rmsprop and adam)")
            .doubleOption("momentum", "M", 0.9, "momentum of --optimizer momentum")
            .choiceOption(
                    "schedule",
                    "constant",
                    "the course's schedules scaled to --lr: piecewise [700, 900] → "
                            + "[lr, lr/2, lr/10]; exponential lr·0.5^(step/500); polynomial to lr/10 over 900 steps, power 0.5",
                    "constant",
                    "piecewise",
                    "exponential",
                    "exponential-staircase",
                    "polynomial")
            .choiceOption(
                    "loss",
                    null,
                    "default: the preset's, else categorical_crossentropy",
                    "mse",
                    "sum_of_squares",
                    "categorical_crossentropy",
                    "sparse_categorical_crossentropy",
                    "binary_crossentropy")
            .stringOption("metrics", "LIST", "accuracy", "comma-separated: " + String.join(", ", METRICS))
            .choiceOption("verbose", "2", "0 silent, 1 progress bar, 2 one line per epoch", "0", "1", "2")
            .stringOption(
                    "resume",
                    "DIR",
                    null,
                    "continue from the checkpoint in DIR (a previous --out); the run's "
                            + "recorded options apply; --epochs and --batch-size may be changed, the others not")
            .flag(
                    "overwrite",
                    "replace the checkpoint and results of an earlier run in --out (without it, a folder "
                            + "holding a checkpoint is refused)")
            .example("nabla-train --model mlp-sgd --epochs 50 --data ~/data/mnist --out runs/sgd")
            .example("nabla-train --model 784-256:relu-dropout0.2-10:softmax --optimizer momentum --lr 0.05 "
                    + "--schedule exponential")
            .example(
                    "nabla-train --model 4-16:relu-3:softmax --data iris.csv --csv-header --epochs 100 --batch-size 16")
            .example("nabla-train --resume runs/sgd --epochs 60")
            .exitCodes("0 ok, 1 unexpected failure, 2 bad arguments, 3 data or checkpoint missing or unreadable, "
                    + "4 backend unavailable, 5 training diverged (NaN loss), 130 interrupted by Ctrl-C (143 by "
                    + "SIGTERM) after writing a checkpoint");

    private TrainCli() {}

    /** Runs with a shutdown hook: Ctrl-C / SIGTERM stop after the current batch and wait for the checkpoint. */
    public static void main(String[] args) {
        StopSignal signal = new StopSignal();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    System.err.println("nabla-train: signal received, stopping after the current batch and writing a "
                            + "checkpoint…");
                    signal.request();
                    try {
                        finished.await(10, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "nabla-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = run(args, signal);
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return; // shutting down on a signal: the JVM exits with 128 + its number (130, 143) once the hook returns
        }
        System.exit(code);
    }

    /** Runs without a signal handler (tests). */
    public static int run(String... args) {
        return run(args, new StopSignal());
    }

    /** Runs, stopping when {@code stop} is requested; {@code callbacks} join every epoch's fit (tests). */
    public static int run(String[] args, StopSignal stop, Callback... callbacks) {
        String[] effective;
        try {
            effective = withResumedArguments(args);
        } catch (RuntimeException e) {
            return SampleRunner.run(SPEC, args, job -> {
                throw e;
            });
        }
        return SampleRunner.run(SPEC, effective, job -> train(job, args, stop, List.of(callbacks)));
    }

    /**
     * For {@code --resume DIR}: the checkpoint's recorded arguments, then {@code --out DIR} (unless given now),
     * then the arguments given now, so that later ones win.
     */
    static String[] withResumedArguments(String[] args) {
        Options given = SPEC.parse(args);
        if (given.helpRequested() || given.string("resume") == null) {
            return args;
        }
        Path dir = Checkpoint.folderOf(given.string("resume"));
        List<String> all = new ArrayList<>(Checkpoint.argumentsOf(dir));
        if (!given.isSet("out")) {
            all.add("--out");
            all.add(dir.toString());
        }
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    private static void train(Job job, String[] given, StopSignal stop, List<Callback> callbacks) {
        Options options = job.options();
        TrainJob.Settings settings = new TrainJob.Settings(
                options.epochs(), options.batchSize(), options.seed(), options.integer("verbose"), "");
        String resume = options.string("resume");
        boolean ownFolder = resume == null && !options.isSet("out");
        try (RunFolder folder = ownFolder ? RunFolder.claimNew(options.out()) : RunFolder.open(options.out())) {
            job.output().useFolder(folder.dir());
            if (resume == null) {
                fresh(job, folder, settings, stop, callbacks);
            } else {
                resumed(job, folder, given, settings, stop, callbacks);
            }
        } catch (DeviceOutOfMemoryException | OutOfMemoryError e) {
            // what the estimate before building did not foresee (another backend, activations, fragmentation)
            throw new UsageException(
                    "out of memory while training (" + e.getMessage() + "); lower --batch-size, use a "
                            + "smaller --model, or give the JVM more memory with JAVA_OPTS=-Xmx…",
                    e);
        }
    }

    /** The most values one tensor holds. */
    static final long TENSOR_LIMIT = Integer.MAX_VALUE;

    private static final double GIB = 1L << 30;

    /**
     * Refuses, before anything is allocated, a network the backend cannot hold: on the CPU backend one whose
     * weights, gradients and optimizer state (4 bytes each) and activations exceed the Java heap still free, on
     * every backend one with a weight matrix larger than a tensor can be.
     */
    static void requireMemory(NetworkSpec network, String model, Optimizer optimizer, int batchSize, Backend backend) {
        if (backend.name().equals("cpu")) {
            Runtime runtime = Runtime.getRuntime();
            long max = runtime.maxMemory();
            long available = max - (runtime.totalMemory() - runtime.freeMemory());
            String refusal = memoryRefusal(network, model, optimizer, batchSize, available, max);
            if (refusal != null) {
                throw new UsageException(refusal);
            }
        }
        String oversized = network.oversizedLayer(TENSOR_LIMIT);
        if (oversized != null) {
            throw new UsageException(String.format(
                    Locale.ROOT,
                    "--model %s: %s; a tensor holds at most %,d values; " + "use fewer units",
                    model,
                    oversized,
                    TENSOR_LIMIT));
        }
    }

    /** Bytes of weights, gradients, optimizer state and (forward and backward) activations of one batch. */
    static long bytesNeeded(NetworkSpec network, int slots, int batchSize) {
        return Float.BYTES * (network.parameterCount() * (2 + slots) + 3L * batchSize * network.activationCount());
    }

    /** Why the network does not fit in {@code available} of {@code max} bytes of heap, or null when it does. */
    static String memoryRefusal(
            NetworkSpec network, String model, Optimizer optimizer, int batchSize, long available, long max) {
        int slots = optimizer.slotNames().size(); // values per parameter besides it and its gradient
        long needed = bytesNeeded(network, slots, batchSize);
        if (needed <= available) {
            return null;
        }
        long suggested = (long) Math.ceil((needed + Math.max(0, max - available)) * 1.25 / GIB);
        String state = slots == 0
                ? "weights and gradients"
                : String.format(
                        Locale.ROOT,
                        "weights, gradients and %s state (%d value%s per parameter)",
                        optimizer.name(),
                        slots,
                        slots == 1 ? "" : "s");
        // beyond the heap's limit, the line names only the limit, so that it reads the same on every run
        String heap = needed > max
                ? String.format(Locale.ROOT, "holds at most %.1f GiB", max / GIB)
                : String.format(
                        Locale.ROOT,
                        "has %.1f GiB available (of at most %.1f GiB)",
                        Math.max(0, available) / GIB,
                        max / GIB);
        return String.format(
                Locale.ROOT,
                "--model %s has %,d parameters: its %s need about %.1f GiB, but the Java "
                        + "heap %s; use a smaller --model or --batch-size, or give the JVM more memory, e.g. JAVA_OPTS=-Xmx%dg",
                model,
                network.parameterCount(),
                state,
                needed / GIB,
                heap,
                suggested);
    }

    /** A fresh run into a folder that holds an earlier run's checkpoint: refused, or its results removed. */
    private static void clearEarlierRun(Path dir, boolean overwrite) {
        if (!Checkpoint.existsIn(dir)) {
            return;
        }
        if (!overwrite) {
            throw new UsageException("--out " + dir + " holds the checkpoint of an earlier run; continue it with "
                    + "--resume " + dir + ", replace it with --overwrite, or give another --out");
        }
        for (String name : List.of(
                Checkpoint.MODEL_FILE,
                Checkpoint.LEGACY_STATE_FILE,
                TrainJob.MODEL_FILE,
                "history.csv",
                "history.json")) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                throw new UsageException(
                        "--overwrite: cannot remove " + dir.resolve(name) + ": " + FileErrors.reason(e));
            }
        }
    }

    /** Room for a new checkpoint beside the previous one and the final model: parameters and up to two slots each. */
    private static void requireSpace(RunFolder folder, Model model) {
        long checkpointBytes = model.countParams() * Float.BYTES * 3 + (1 << 20);
        folder.requireSpace(2 * checkpointBytes);
    }

    private static void fresh(
            Job job, RunFolder folder, TrainJob.Settings settings, StopSignal stop, List<Callback> callbacks) {
        Options options = job.options();
        clearEarlierRun(folder.dir(), options.flag("overwrite"));
        String modelOption = options.string("model");
        Preset preset = Preset.isPreset(modelOption) ? Preset.of(modelOption) : null;
        NetworkSpec network = preset != null ? preset.network() : NetworkSpec.parse(modelOption);
        String loss = options.string("loss") != null
                ? options.string("loss")
                : preset != null ? preset.loss() : "categorical_crossentropy";
        checkLoss(loss, network);
        List<String> metrics = metrics(options.string("metrics"));
        refuseCsvOptionsWithoutCsv(options);
        TrainData data = load(options, network, loss);
        Optimizer optimizer = optimizer(options, preset);
        requireMemory(network, modelOption, optimizer, settings.batchSize(), job.backend());

        System.out.printf(
                Locale.ROOT,
                "network %s%s, loss %s, optimizer %s, metrics %s%n",
                network,
                preset != null ? " (preset " + preset.id() + ")" : "",
                loss,
                describe(optimizer),
                metrics);
        printData(data);
        RandomSeed.set(options.seed());
        try (Model model = network.build()) {
            model.compile(optimizer, Losses.get(loss), metrics.toArray(String[]::new));
            model.build(network.inputs());
            requireSpace(folder, model);
            if (settings.verbose() > 0) {
                model.summary();
            }
            List<String> arguments = options.asArguments();
            new TrainJob(
                            model,
                            data,
                            named(settings, network.toString()),
                            job.output(),
                            arguments,
                            stop,
                            callbacks,
                            Map.of(),
                            0,
                            0)
                    .run();
        }
    }

    private static void resumed(
            Job job,
            RunFolder folder,
            String[] given,
            TrainJob.Settings settings,
            StopSignal stop,
            List<Callback> callbacks) {
        Options options = job.options();
        Path dir = Checkpoint.folderOf(options.string("resume"));
        Options recorded = SPEC.parse(Checkpoint.argumentsOf(dir).toArray(String[]::new));
        refuseChanges(SPEC.parse(given), recorded);
        Checkpoint checkpoint = Checkpoint.read(dir, recorded.batchSize());
        try (Model model = checkpoint.loadModel(dir, job.backend())) {
            NetworkSpec network = NetworkSpec.of(model);
            String loss = canonicalLoss(model.loss().name());
            TrainData data = load(options, network, loss);
            if (checkpoint.trainSamples() != 0
                    && checkpoint.trainSamples() != data.train().size()) {
                throw new DataException(
                        String.format(
                                Locale.ROOT,
                                "the training data has %,d samples now but the "
                                        + "checkpoint's run trained on %,d; a resumed run continues on the same data (was %s changed?)",
                                data.train().size(),
                                checkpoint.trainSamples(),
                                options.string("data")),
                        null);
            }
            requireSpace(folder, model);
            System.out.printf(
                    Locale.ROOT,
                    "resuming %s: network %s, %d epochs done%s, %d updates, optimizer %s%n",
                    dir,
                    network,
                    checkpoint.epochsDone(),
                    checkpoint.samplesDone() > 0 ? " and " + checkpoint.samplesDone() + " samples of the next" : "",
                    checkpoint.iterations(),
                    describe(model.optimizer()));
            printData(data);
            List<String> arguments = new ArrayList<>(options.asArguments());
            removeOption(arguments, "--resume");
            new TrainJob(
                            model,
                            data,
                            named(settings, network.toString()),
                            job.output(),
                            arguments,
                            stop,
                            callbacks,
                            checkpoint.history(),
                            checkpoint.epochsDone(),
                            checkpoint.samplesDone())
                    .run();
        }
    }

    /**
     * Refuses, naming the option, what a resumed run cannot honour: other data or order (it would not continue the
     * same run) and another model or optimizer (the checkpoint's are restored). The epochs and the batch size may
     * change: the position is kept in samples.
     */
    static void refuseChanges(Options now, Options recorded) {
        for (String option : DATA_OPTIONS) {
            if (now.isSet(option) && !Objects.equals(now.string(option), recorded.string(option))) {
                throw new UsageException("--" + option + " " + now.string(option)
                        + " differs from the checkpoint's run ("
                        + recorded.string(option) + "); a resumed run continues on the same data in the same order; "
                        + "start a new run to change it");
            }
        }
        for (String option : MODEL_OPTIONS) {
            if (now.isSet(option) && !Objects.equals(now.string(option), recorded.string(option))) {
                throw new UsageException("--" + option + " " + now.string(option)
                        + " differs from the checkpoint's run ("
                        + recorded.string(option) + "); a resumed run keeps the checkpoint's network, optimizer, "
                        + "schedule, loss and metrics");
            }
        }
    }

    /** The options that only CSV data reads: with the embedded digits or an IDX folder they would be ignored. */
    static final List<String> CSV_OPTIONS = List.of("test", "csv-header", "label-column", "validation-split");

    /**
     * Refuses {@code --test}, {@code --csv-header}, {@code --label-column} and {@code --validation-split} when the data
     * is not a CSV file. The embedded digits and an IDX folder come with their own test set (t10k-…), which validates
     * the run as Keras' {@code mnist.load_data()} split does; a second one given with {@code --test} would be
     * silently ignored, and a user who names validation data expects it to be used, so it is refused rather than
     * dropped (nor mixed: a CSV validation set for IDX training images is rarely what was meant).
     */
    static void refuseCsvOptionsWithoutCsv(Options options) {
        String data = options.string("data");
        boolean embedded = data == null || data.equals("embedded");
        if (!embedded && !Files.isDirectory(Path.of(data))) {
            return; // a CSV file, or nothing there (TrainData says so)
        }
        for (String option : CSV_OPTIONS) {
            if (options.isSet(option)) {
                String given = "--" + option + (option.equals("csv-header") ? "" : " " + options.string(option));
                String source = embedded
                        ? String.format(
                                Locale.ROOT,
                                "embedded is the embedded digits, validated on their own %,d " + "test digits",
                                EmbeddedDigits.TEST_SIZE)
                        : data + " is an IDX folder, validated on its own test set (" + Mnist.TEST_IMAGES + ", "
                                + Mnist.TEST_LABELS + ")";
                throw new UsageException(given + " applies to CSV data only; --data " + source + "; leave --" + option
                        + " out, or give --data a CSV file");
            }
        }
    }

    private static TrainJob.Settings named(TrainJob.Settings s, String name) {
        return new TrainJob.Settings(s.epochs(), s.batchSize(), s.seed(), s.verbose(), name);
    }

    private static TrainData load(Options options, NetworkSpec network, String loss) {
        double split = options.real("validation-split");
        if (split < 0 || split >= 1) {
            throw new UsageException("--validation-split is " + split + "; expected a fraction in [0, 1)");
        }
        if (options.integer("samples") < 0) {
            throw new UsageException("--samples is " + options.integer("samples") + "; expected 0 (all) or more");
        }
        return TrainData.load(
                new TrainData.Source(
                        options.string("data"),
                        options.string("test"),
                        options.flag("csv-header"),
                        options.integer("label-column"),
                        split,
                        options.integer("samples"),
                        options.seed()),
                network,
                loss);
    }

    private static void printData(TrainData data) {
        System.out.printf(
                Locale.ROOT,
                "data: %s: %,d training samples, %s%n",
                data.description(),
                data.train().size(),
                data.validation() == null
                        ? "no validation"
                        : String.format(
                                Locale.ROOT,
                                "%,d validation samples",
                                data.validation().size()));
        if (!data.classNames().isEmpty()) {
            List<String> classes = new ArrayList<>();
            for (int i = 0; i < data.classNames().size(); i++) {
                classes.add(i + " " + data.classNames().get(i));
            }
            System.out.println("classes (output unit, name): " + String.join(", ", classes));
        }
    }

    /** The optimizer of the options, the preset, or Adam, with its schedule. */
    static Optimizer optimizer(Options options, Preset preset) {
        String name = options.string("optimizer") != null
                ? options.string("optimizer")
                : preset != null ? preset.optimizer() : "adam";
        double lr = options.string("lr") != null
                ? options.real("lr") // positive: checked when parsed
                : preset != null && options.string("optimizer") == null
                        ? preset.learningRate()
                        : switch (name) {
                            case "sgd", "momentum" -> 0.01;
                            default -> 0.001;
                        };
        LearningRateSchedule schedule = schedule(options.string("schedule"), lr);
        double momentum = options.real("momentum");
        if (name.equals("momentum") && (momentum <= 0 || momentum >= 1)) {
            throw new UsageException("--momentum is " + momentum + "; expected a value in (0, 1), e.g. 0.9");
        }
        return switch (name) {
            case "sgd" -> new SGD(schedule, 0, false);
            case "momentum" -> new SGD(schedule, momentum, false);
            case "rmsprop" -> new RMSprop(schedule, 0.9, 1e-7);
            case "adam" -> new Adam(schedule);
            default -> throw new UsageException("unknown optimizer " + name);
        };
    }

    /** "SGD (momentum 0.9), learning rate 0.01" or "Adam, ExponentialDecay from 0.001". */
    static String describe(Optimizer optimizer) {
        StringBuilder s = new StringBuilder(optimizer.name());
        if (optimizer instanceof SGD sgd && sgd.momentum() > 0) {
            s.append(" (momentum ").append(sgd.momentum()).append(')');
        }
        LearningRateSchedule schedule = optimizer.learningRateSchedule();
        if (schedule.name().equals("Constant")) {
            s.append(", learning rate ").append(optimizer.learningRate());
        } else {
            s.append(", ").append(schedule.name()).append(" from ").append(schedule.at(0));
        }
        return s.toString();
    }

    /** The course's schedules (see nabla-schedules), with 0.1 replaced by {@code lr}. */
    static LearningRateSchedule schedule(String name, double lr) {
        return switch (name) {
            case "constant" -> LearningRateSchedule.constant(lr);
            case "piecewise" -> new PiecewiseConstantDecay(new long[] {700, 900}, new double[] {lr, lr / 2, lr / 10});
            case "exponential" -> new ExponentialDecay(lr, 500, 0.5, false);
            case "exponential-staircase" -> new ExponentialDecay(lr, 500, 0.5, true);
            case "polynomial" -> new PolynomialDecay(lr, 900, lr / 10, 0.5);
            default -> throw new UsageException("unknown schedule " + name);
        };
    }

    /**
     * The metrics of {@code --metrics}: a comma-separated list of {@link #METRICS}, each at most once.
     *
     * @throws UsageException for an unknown name, an empty entry or a name given twice
     */
    static List<String> metrics(String list) {
        List<String> out = new ArrayList<>();
        for (String m : list.split(",", -1)) {
            String name = m.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new UsageException("--metrics '" + list + "' has an empty entry; expected a comma-separated list "
                        + "of one or more of " + String.join(", ", METRICS));
            }
            if (!METRICS.contains(name)) {
                throw new UsageException("unknown metric '" + m.strip() + "'; expected a comma-separated list of "
                        + String.join(", ", METRICS));
            }
            if (out.contains(name)) {
                throw new UsageException("--metrics " + list + ": " + name + " given twice; expected each metric once");
            }
            out.add(name);
        }
        return out;
    }

    private static void checkLoss(String loss, NetworkSpec network) {
        if (loss.equals("binary_crossentropy") && network.outputs() != 1) {
            throw new UsageException("binary_crossentropy needs a one-unit sigmoid output; the network ends in "
                    + network.outputs() + " units (use categorical_crossentropy, or end the spec with -1:sigmoid)");
        }
        if (loss.contains("categorical") && network.outputs() < 2) {
            throw new UsageException(loss + " needs an output of one unit per class; the network ends in 1 unit "
                    + "(use binary_crossentropy with a sigmoid output)");
        }
    }

    private static String canonicalLoss(String name) {
        return Map.of("mean_squared_error", "mse").getOrDefault(name, name);
    }

    private static void removeOption(List<String> arguments, String option) {
        int i = arguments.indexOf(option);
        if (i >= 0) {
            arguments.remove(i);
            if (i < arguments.size()) {
                arguments.remove(i);
            }
        }
    }
}
