package dev.nabla.spark;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.CallbackList;
import dev.nabla.callbacks.History;
import dev.nabla.callbacks.Logs;
import dev.nabla.callbacks.TrainingParams;
import dev.nabla.data.Dataset;
import dev.nabla.io.ModelFile;
import dev.nabla.nn.Model;
import dev.nabla.nn.Parameter;
import dev.nabla.optim.ConstantLearningRate;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training of a compiled Nabla model on Apache Spark, by parameter averaging in
 * synchronous rounds. Each round the driver broadcasts the model's weights and its optimizer's state;
 * every partition trains {@link #localSteps(int) k} steps of {@link #batchSize(int) b} samples of its
 * own shard with Nabla's {@code fit} on the executor's backend; the driver averages the partitions'
 * weights and optimizer states with {@code treeAggregate} and sets them on its model. With k = 1 and
 * plain SGD a round is exactly one step of synchronous SGD over a global batch of partitions × b
 * samples (the mean of the partitions' updates is the update of the mean gradient).
 *
 * <pre>{@code
 * JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("mlp"));
 * Sequential model = new Sequential(new Input(784), new Dense(128, "relu"), new Dense(10, "softmax"));
 * model.compile(new SGD(0.1), new SparseCategoricalCrossentropy(), "accuracy");
 * JavaRDD<Sample> samples = sc.parallelize(list, 2);        // or SparkTrainer.samples(rows, "features", "label")
 * SparkHistory h = new SparkTrainer(sc, model)
 *         .batchSize(64)                    // per partition and step
 *         .localSteps(4)                    // steps between averages
 *         .epochs(5)
 *         .checkpoint(Path.of("run/model.nabla"))   // saved each round; a rerun resumes from it
 *         .fit(samples);
 * Map<String, Double> scores = model.evaluate(test);   // the driver's model holds the result
 * }</pre>
 *
 * <p><b>Data.</b> A {@code JavaRDD<Sample>} (features flattened to the model's input shape, one target
 * value or a vector) or a {@code Dataset<Row>} with an array column of features and a numeric (or
 * array) label column ({@link #fit(org.apache.spark.sql.Dataset, String, String)}). The partitions are
 * the shards: repartition the data first to choose their number. Each partition is copied once into
 * flat arrays that Spark caches. An epoch is {@code floor(smallest partition / b)} steps of every
 * partition, in {@code ceil(steps / k)} rounds; with {@link #shuffle(boolean)} each partition visits its
 * shard in a new order each epoch (drawn from the seed, the epoch and the partition), so that the
 * result does not depend on where or how often a task ran.
 *
 * <p><b>Faults.</b> A failed or lost task is retried by Spark ({@code spark.task.maxFailures}) and
 * recomputes the same update from the same broadcast, so a run's result does not depend on
 * failures. With {@link #checkpoint(Path)} the driver saves the model (weights, optimizer state and
 * the run's position) after every round; a {@code fit} with the same settings and checkpoint resumes
 * after the last saved round and ends with the weights of an uninterrupted run.
 *
 * <p><b>Driver side.</b> Callbacks run on the driver as in {@code Model.fit}: a round is a "batch"
 * ({@code onBatchEnd(roundInEpoch, logs)}), {@code onEpochEnd} has the epoch's training loss and
 * metrics, and "val_…" scores of {@link #validationData(Dataset)}; {@code model.stopTraining(true)}
 * ends the run after the current round.
 */
public final class SparkTrainer {
    /** The metadata key under which a checkpoint keeps the run's position. */
    static final String CHECKPOINT_KEY = "spark_trainer";

    private final JavaSparkContext sc;
    private final Model model;
    private int batchSize = 32;
    private int localSteps = 1;
    private int epochs = 1;
    private boolean shuffle = true;
    private long seed = 0;
    private String executorBackend = "cpu";
    private int treeDepth = 2;
    private Path checkpoint;
    private Dataset validationData;
    private int validationBatchSize = 256;
    private final List<Callback> callbacks = new ArrayList<>();
    private int verbose = 1;
    private Consumer<String> progress = System.out::println;
    private TaskHook hook;

    /**
     * A trainer of {@code model}, which must be compiled and know its input shape; the driver keeps it
     * (on its backend) and holds the averaged weights after every round.
     *
     * @throws IllegalArgumentException when the model is not compiled or its input shape is unknown
     */
    public SparkTrainer(JavaSparkContext sc, Model model) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.model = Objects.requireNonNull(model, "model");
        if (!model.isCompiled()) {
            throw new IllegalArgumentException("SparkTrainer: model '" + model.name()
                    + "' is not compiled; expected a compiled model (call compile(optimizer, loss, metrics...) first)");
        }
        if (!model.isBuilt() && model.inputShape() == null) {
            throw new IllegalArgumentException("SparkTrainer: model '" + model.name() + "' does not know its input "
                    + "shape; expected an Input layer, inputShape(...) on its first layer, or build(shape)");
        }
    }

    // ------------------------------------------------------------------ options

    /** Samples per partition and step (default 32): a round of k = 1 sees partitions × b samples. */
    public SparkTrainer batchSize(int value) {
        this.batchSize = positive("batchSize", value);
        return this;
    }

    /** Local steps per partition between two averages (default 1: synchronous SGD). */
    public SparkTrainer localSteps(int value) {
        this.localSteps = positive("localSteps", value);
        return this;
    }

    /** Epochs to train (default 1); a resumed run counts the epochs it already did. */
    public SparkTrainer epochs(int value) {
        this.epochs = positive("epochs", value);
        return this;
    }

    /** Whether each partition visits its shard in a new order each epoch (default true). */
    public SparkTrainer shuffle(boolean value) {
        this.shuffle = value;
        return this;
    }

    /** The seed of the shuffles (default 0). */
    public SparkTrainer seed(long value) {
        this.seed = value;
        return this;
    }

    /**
     * The executors' backend: "cpu" (default), "cuda" or "opencl" (on the GPU Spark assigned to the
     * task, see docs/distributed.md; its jar must be on the executors' class path), or "auto" (the
     * executor's best backend).
     */
    public SparkTrainer executorBackend(String name) {
        Objects.requireNonNull(name, "name");
        if (!List.of("cpu", "cuda", "opencl", "auto").contains(name)) {
            throw new IllegalArgumentException(
                    "executorBackend '" + name + "' is unknown; expected cpu, cuda, opencl or auto");
        }
        this.executorBackend = name;
        return this;
    }

    /** The depth of {@code treeAggregate}'s tree (default 2; 1 sends every partition to the driver). */
    public SparkTrainer treeDepth(int value) {
        this.treeDepth = positive("treeDepth", value);
        return this;
    }

    /**
     * Saves the model to {@code file} after every round, with the run's position and history; when the
     * file exists, {@code fit} resumes after the round it holds.
     */
    public SparkTrainer checkpoint(Path file) {
        this.checkpoint = Objects.requireNonNull(file, "file");
        return this;
    }

    /** Data the driver evaluates after every epoch ("val_loss", "val_…" in the epoch logs). */
    public SparkTrainer validationData(Dataset data) {
        this.validationData = Objects.requireNonNull(data, "data");
        return this;
    }

    /** Driver-side callbacks (History is always kept). */
    public SparkTrainer callbacks(Callback... values) {
        this.callbacks.addAll(Arrays.asList(values));
        return this;
    }

    /** 0: silent; 1 (default): a line per round and per epoch; 2: a line per epoch. */
    public SparkTrainer verbose(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("verbose is " + value + "; expected 0, 1 or 2");
        }
        this.verbose = value;
        return this;
    }

    /** Where progress lines go (default standard output). */
    public SparkTrainer progress(Consumer<String> sink) {
        this.progress = Objects.requireNonNull(sink, "sink");
        return this;
    }

    /** Progress lines to {@code out}. */
    public SparkTrainer progress(PrintStream out) {
        return progress(out::println);
    }

    /** Runs {@code value} in every task before it trains (tests inject faults with it). */
    SparkTrainer taskHook(TaskHook value) {
        this.hook = value;
        return this;
    }

    // ------------------------------------------------------------------ data

    /**
     * The samples of {@code rows}: {@code featuresColumn} an array of numbers (flattened features),
     * {@code labelColumn} a number (class index or scalar target) or an array of numbers.
     *
     * @throws IllegalArgumentException when a column is missing or of another type
     */
    public static JavaRDD<Sample> samples(
            org.apache.spark.sql.Dataset<Row> rows, String featuresColumn, String labelColumn) {
        return Rows.samples(rows, featuresColumn, labelColumn);
    }

    /** Trains on {@code rows} (see {@link #samples(org.apache.spark.sql.Dataset, String, String)}); one shard per partition. */
    public SparkHistory fit(org.apache.spark.sql.Dataset<Row> rows, String featuresColumn, String labelColumn) {
        return fit(samples(rows, featuresColumn, labelColumn));
    }

    // ------------------------------------------------------------------ training

    /**
     * Trains the model on {@code samples}, one shard per partition, for the configured epochs.
     *
     * @return the per-epoch history and the rounds trained
     * @throws IllegalArgumentException when a partition holds fewer samples than the batch size, or a
     *     checkpoint was written with other settings
     */
    public SparkHistory fit(JavaRDD<Sample> samples) {
        if (!model.isBuilt()) {
            model.build(model.inputShape());
        }
        int[] featureShape = model.layers().get(0).inputShapes().get(0);
        Sample first = samples.first();
        int[] targetShape = first.target().length == 1
                ? (model.loss().sparseTargets() ? new int[0] : new int[] {1})
                : new int[] {first.target().length};

        JavaRDD<Shard> shards = samples.mapPartitionsWithIndex(
                        (partition, it) -> List.of(Shard.of(partition, it, featureShape, targetShape))
                                .iterator(),
                        true)
                .persist(StorageLevel.MEMORY_ONLY());
        List<Broadcast<?>> broadcasts = new ArrayList<>();
        String runId = null;
        try {
            List<Integer> sizes = shards.map(s -> s.size).collect();
            int partitions = sizes.size();
            int smallest = sizes.stream().mapToInt(Integer::intValue).min().orElse(0);
            if (smallest < batchSize) {
                throw new IllegalArgumentException("partition " + sizes.indexOf(smallest) + " holds " + smallest
                        + " samples; expected at least batchSize " + batchSize
                        + " in every partition (repartition the data or lower the batch size)");
            }
            int stepsPerEpoch = smallest / batchSize;
            int roundsPerEpoch = (stepsPerEpoch + localSteps - 1) / localSteps;
            Run run = new Run(partitions, stepsPerEpoch, roundsPerEpoch, sizes);
            runId = UUID.randomUUID().toString();
            Broadcast<TrainingSpec> spec =
                    sc.broadcast(new TrainingSpec(runId, modelFile(), batchSize, shuffle, seed, executorBackend, hook));
            broadcasts.add(spec);
            return run.train(shards, spec, broadcasts);
        } finally {
            if (runId != null) {
                ExecutorModels.release(runId);
            }
            for (Broadcast<?> b : broadcasts) {
                b.destroy();
            }
            shards.unpersist(false);
        }
    }

    /** The model's file (architecture, compile settings, weights), for the executors to rebuild it. */
    private byte[] modelFile() {
        try {
            Path file = Files.createTempFile("nabla-spark-model-", ".nabla");
            try {
                model.save(file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to a temporary file: " + e, e);
        }
    }

    /** One fit: the data's layout and the rounds' loop. */
    private final class Run {
        final int partitions;
        final int stepsPerEpoch;
        final int roundsPerEpoch;
        final List<Integer> sizes;
        final History history = new History();
        /** Sums over the current epoch's rounds, weighted by samples, and their sample count. */
        final Map<String, Double> epochSums = new LinkedHashMap<>();

        long epochSamples;

        Run(int partitions, int stepsPerEpoch, int roundsPerEpoch, List<Integer> sizes) {
            this.partitions = partitions;
            this.stepsPerEpoch = stepsPerEpoch;
            this.roundsPerEpoch = roundsPerEpoch;
            this.sizes = sizes;
        }

        SparkHistory train(JavaRDD<Shard> shards, Broadcast<TrainingSpec> spec, List<Broadcast<?>> broadcasts) {
            long totalRounds = (long) epochs * roundsPerEpoch;
            long start = checkpoint != null && Files.exists(checkpoint) ? resume() : 0;
            List<RoundLog> rounds = new ArrayList<>();
            List<Callback> all = new ArrayList<>(callbacks);
            all.add(history);
            CallbackList cbs = new CallbackList(all);
            cbs.setModel(model);
            cbs.setParams(new TrainingParams(
                    epochs, roundsPerEpoch, stepsPerEpoch * batchSize * partitions, batchSize * partitions, verbose));
            model.stopTraining(false);
            if (verbose > 0) {
                progress.accept(String.format(
                        Locale.ROOT,
                        "SparkTrainer: %d partitions (%s samples), batch %d per partition (%d global), %d local "
                                + "step%s per round, %d steps = %d rounds per epoch, %d epochs%s",
                        partitions,
                        sizes,
                        batchSize,
                        batchSize * partitions,
                        localSteps,
                        localSteps == 1 ? "" : "s",
                        stepsPerEpoch,
                        roundsPerEpoch,
                        epochs,
                        start > 0 ? "; resuming at round " + start + " from " + checkpoint : ""));
            }
            Map<String, Double> last = Map.of();
            cbs.onTrainBegin(Logs.empty());
            long epochStart = System.nanoTime();
            for (long g = start; g < totalRounds; g++) {
                int epoch = (int) (g / roundsPerEpoch);
                int r = (int) (g % roundsPerEpoch);
                if (r == 0 || g == start) {
                    if (r == 0) {
                        epochSums.clear();
                        epochSamples = 0;
                    }
                    epochStart = System.nanoTime();
                    cbs.onEpochBegin(epoch, Logs.empty());
                }
                cbs.onBatchBegin(r, Logs.empty());
                RoundLog log = round(shards, spec, broadcasts, g, epoch, r);
                rounds.add(log);
                cbs.onBatchEnd(r, Logs.of(log.logs()));
                log.logs().forEach((k, v) -> epochSums.merge(k, v * samplesOf(log), Double::sum));
                epochSamples += samplesOf(log);
                boolean epochDone = r == roundsPerEpoch - 1;
                if (verbose == 1) {
                    progress.accept(String.format(
                            Locale.ROOT,
                            "Epoch %d/%d - round %d/%d - %.2fs (training %.2fs)%s%s",
                            epoch + 1,
                            epochs,
                            r + 1,
                            roundsPerEpoch,
                            log.seconds(),
                            log.computeSeconds(),
                            format(log.logs()),
                            log.retriedTasks() > 0 ? " - " + log.retriedTasks() + " task(s) retried" : ""));
                }
                if (epochDone) {
                    Map<String, Double> logs = new LinkedHashMap<>();
                    epochSums.forEach((k, v) -> logs.put(k, v / epochSamples));
                    if (validationData != null) {
                        model.evaluate(validationData, validationBatchSize, 0)
                                .forEach((k, v) -> logs.put("val_" + k, v));
                    }
                    last = logs;
                    cbs.onEpochEnd(epoch, Logs.of(logs));
                    if (verbose > 0) {
                        progress.accept(String.format(
                                Locale.ROOT,
                                "Epoch %d/%d - %d rounds - %.1fs%s",
                                epoch + 1,
                                epochs,
                                roundsPerEpoch,
                                (System.nanoTime() - epochStart) / 1e9,
                                format(logs)));
                    }
                }
                if (checkpoint != null) {
                    save(g + 1);
                }
                if (model.stopTraining()) {
                    break;
                }
            }
            cbs.onTrainEnd(Logs.of(last));
            return new SparkHistory(history, rounds, start);
        }

        private long samplesOf(RoundLog log) {
            return (long) log.steps() * batchSize * partitions;
        }

        /** One round: broadcast, train every partition, average, set on the driver's model. */
        private RoundLog round(
                JavaRDD<Shard> shards,
                Broadcast<TrainingSpec> spec,
                List<Broadcast<?>> broadcasts,
                long g,
                int epoch,
                int r) {
            long start = System.nanoTime();
            int fromStep = r * localSteps;
            int toStep = Math.min(stepsPerEpoch, fromStep + localSteps);
            Optimizer optimizer = model.optimizer();
            RoundState state = new RoundState(
                    g,
                    epoch,
                    fromStep,
                    toStep,
                    model.getWeights().toArray(new float[0][]),
                    PartitionTraining.slotsOf(model),
                    optimizer.iterations(),
                    optimizer.learningRateSchedule() instanceof ConstantLearningRate c ? c.value() : null);
            Broadcast<RoundState> broadcast = sc.broadcast(state);
            broadcasts.add(broadcast);
            Update sum;
            try {
                sum = shards.mapPartitionsWithIndex(new PartitionTraining(spec, broadcast), true)
                        .treeAggregate(Update.empty(), Update::add, Update::add, treeDepth);
            } finally {
                broadcasts.remove(broadcast);
                broadcast.destroy();
            }
            if (sum.partitions != partitions) {
                throw new IllegalStateException(
                        "round " + g + " got updates from " + sum.partitions + " partitions; expected " + partitions);
            }
            apply(sum.meanWeights(), sum.meanSlots(), sum.iterations);
            return new RoundLog(
                    g,
                    epoch,
                    r,
                    toStep - fromStep,
                    sum.logs(),
                    (System.nanoTime() - start) / 1e9,
                    sum.maxComputeSeconds,
                    state.floats(),
                    sum.retriedTasks);
        }

        /** Sets weights and optimizer state on the driver's model. */
        private void apply(float[][] weights, float[][][] slots, long iterations) {
            model.setWeights(Arrays.asList(weights));
            Optimizer optimizer = model.optimizer();
            List<Parameter> trainable = model.trainableWeights();
            for (int i = 0; i < trainable.size(); i++) {
                if (slots[i] != null) {
                    optimizer.setSlots(trainable.get(i).value(), Arrays.asList(slots[i]));
                }
            }
            optimizer.iterations(iterations);
        }

        /** Saves the model with the run's position ({@code next}: the round to run next). */
        private void save(long next) {
            Map<String, Object> position = new LinkedHashMap<>();
            position.put("next_round", next);
            position.put("partitions", partitions);
            position.put("batch_size", batchSize);
            position.put("local_steps", localSteps);
            position.put("steps_per_epoch", stepsPerEpoch);
            position.put("shuffle", shuffle);
            position.put("seed", seed);
            position.put("epoch_samples", epochSamples);
            position.put("epoch_sums", finite(epochSums));
            Map<String, Object> hist = new LinkedHashMap<>();
            history.history()
                    .forEach((k, v) -> hist.put(
                            k, v.stream().map(SparkTrainer::finiteOrNull).toList()));
            position.put("history", hist);
            position.put("history_epochs", history.epochs());
            try {
                Path parent = checkpoint.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the checkpoint's folder for " + checkpoint + ": " + e, e);
            }
            model.save(checkpoint, Map.of(CHECKPOINT_KEY, position));
        }

        /** Restores weights, optimizer state, history and position from the checkpoint; returns the next round. */
        @SuppressWarnings("unchecked")
        private long resume() {
            Map<String, Object> meta = ModelFile.metadata(checkpoint);
            if (!(meta.get(CHECKPOINT_KEY) instanceof Map<?, ?> found)) {
                throw new IllegalArgumentException("checkpoint " + checkpoint
                        + " is a model file without a SparkTrainer position; expected one that SparkTrainer wrote"
                        + " (or delete it to start afresh)");
            }
            Map<String, Object> position = (Map<String, Object>) found;
            same("partitions", position, partitions);
            same("batch_size", position, batchSize);
            same("local_steps", position, localSteps);
            same("steps_per_epoch", position, stepsPerEpoch);
            same("seed", position, seed);
            if (!Boolean.valueOf(shuffle).equals(position.get("shuffle"))) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with shuffle "
                        + position.get("shuffle") + "; expected this run's " + shuffle);
            }
            try (Model saved = Model.load(checkpoint, model.backend())) {
                if (!saved.isCompiled()) {
                    throw new IllegalArgumentException(
                            "checkpoint " + checkpoint + " holds no optimizer; expected a compiled model's checkpoint");
                }
                apply(
                        saved.getWeights().toArray(new float[0][]),
                        PartitionTraining.slotsOf(saved),
                        saved.optimizer().iterations());
            }
            epochSamples = ((Number) position.get("epoch_samples")).longValue();
            ((Map<String, Object>) position.get("epoch_sums"))
                    .forEach((k, v) -> epochSums.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
            Map<String, Object> hist = (Map<String, Object>) position.get("history");
            List<Object> histEpochs = (List<Object>) position.get("history_epochs");
            for (int i = 0; i < histEpochs.size(); i++) {
                Map<String, Double> logs = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : hist.entrySet()) {
                    Object v = ((List<Object>) e.getValue()).get(i);
                    logs.put(e.getKey(), v == null ? Double.NaN : ((Number) v).doubleValue());
                }
                history.onEpochEnd(((Number) histEpochs.get(i)).intValue(), Logs.of(logs));
            }
            return ((Number) position.get("next_round")).longValue();
        }

        private void same(String key, Map<String, Object> position, long expected) {
            Object value = position.get(key);
            if (!(value instanceof Number n) || n.longValue() != expected) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with " + key + " "
                        + value + "; expected this run's " + expected + " (resume with the same settings and "
                        + "partitions, or delete the checkpoint to start afresh)");
            }
        }
    }

    private static Map<String, Object> finite(Map<String, Double> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, finiteOrNull(v)));
        return out;
    }

    private static Object finiteOrNull(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    private static String format(Map<String, Double> logs) {
        StringBuilder s = new StringBuilder();
        logs.forEach((k, v) -> s.append(String.format(Locale.ROOT, " - %s: %.4f", k, v)));
        return s.toString();
    }

    private static int positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " is " + value + "; expected a positive number");
        }
        return value;
    }
}
