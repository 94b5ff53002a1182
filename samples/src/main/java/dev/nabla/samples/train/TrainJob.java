package dev.nabla.samples.train;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.History;
import dev.nabla.callbacks.Logs;
import dev.nabla.data.Dataset;
import dev.nabla.io.CheckpointWriter;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.DepthwiseConv2D;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.samples.cli.DivergedException;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Output;
import dev.nabla.samples.cli.StoppedException;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The epoch loop of {@code nabla-train}: one {@code fit} call per epoch, so that after every epoch it can
 * validate, write the history and a checkpoint, and so that a resumed run continues exactly where the first
 * one stopped.
 *
 * <p>Epoch e is shuffled with seed + e, as {@code fit} does on its own; a run resumed at epoch e therefore
 * sees the same batches in the same order as an uninterrupted run, with the optimizer's state restored from
 * the checkpoint, and ends with the same weights. A checkpoint written by a stop request in the middle of an
 * epoch records how many batches were done; the resumed run trains the rest of that epoch's shuffled order
 * (that epoch's training loss and metrics then cover only those batches).
 */
public final class TrainJob {
    /** The file of the final model. */
    public static final String MODEL_FILE = "model.nabla";

    /** How to train. */
    public record Settings(int epochs, int batchSize, long seed, int verbose, String runName) {}

    private final Model model;
    private final TrainData data;
    private final Settings settings;
    private final Output output;
    private final List<String> arguments;
    private final StopSignal stop;
    private final List<Callback> extraCallbacks;
    private final Map<String, List<Double>> history;
    private final int startEpoch;
    private final long startSamples;
    /** Writes the checkpoints in the background, one at a time, while the next epoch trains. */
    private final CheckpointWriter writer = new CheckpointWriter();

    /**
     * @param history      the history of the epochs already done (empty for a new run)
     * @param startEpoch   epochs already done
     * @param startSamples samples of epoch {@code startEpoch} already trained (in its shuffled order)
     */
    public TrainJob(
            Model model,
            TrainData data,
            Settings settings,
            Output output,
            List<String> arguments,
            StopSignal stop,
            List<Callback> extraCallbacks,
            Map<String, List<Double>> history,
            int startEpoch,
            long startSamples) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.output = output;
        this.arguments = List.copyOf(arguments);
        this.stop = stop;
        this.extraCallbacks = List.copyOf(extraCallbacks);
        this.history = new LinkedHashMap<>();
        history.forEach((k, v) -> this.history.put(k, new ArrayList<>(v)));
        this.startEpoch = startEpoch;
        this.startSamples = startSamples;
    }

    /**
     * Trains the remaining epochs.
     *
     * @throws StoppedException  when stopped by the signal, after writing a checkpoint (exit code 130)
     * @throws DivergedException when an epoch's loss is not finite (the last good checkpoint is kept)
     */
    public void run() {
        Dataset train = data.train();
        int steps = train.batchCount(settings.batchSize());
        boolean finished = false;
        try {
            if (startEpoch >= settings.epochs()) {
                System.out.printf(
                        Locale.ROOT,
                        "the checkpoint has already trained %d of %d epochs; nothing to do "
                                + "(give a larger --epochs to train on)%n",
                        startEpoch,
                        settings.epochs());
            }
            for (int epoch = startEpoch; epoch < settings.epochs(); epoch++) {
                long skip = epoch == startEpoch ? startSamples : 0;
                int skippedBatches = (int) (skip / settings.batchSize());
                if (stop.requested()) {
                    stopped(epoch, skip, steps);
                }
                long start = System.nanoTime();
                BatchCounter counter = new BatchCounter(stop);
                FitOptions options = new FitOptions()
                        .epochs(1)
                        .batchSize(settings.batchSize())
                        .verbose(0);
                Dataset part;
                if (skip > 0) { // the rest of an interrupted epoch, in that epoch's shuffled order
                    part = train.shuffled(settings.seed() + epoch).slice((int) skip, train.size());
                    options.shuffle(false);
                } else {
                    part = train;
                    options.shuffle(true).seed(settings.seed() + epoch);
                }
                List<Callback> callbacks = new ArrayList<>(extraCallbacks);
                callbacks.add(counter);
                if (settings.verbose() == 1) {
                    callbacks.add(new ShiftedProgress(
                            epoch,
                            settings.epochs(),
                            skippedBatches + part.batchCount(settings.batchSize()),
                            skippedBatches));
                }
                History epochHistory = model.fit(part, options.callbacks(callbacks));
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                long done = Math.min(train.size(), skip + (long) counter.batches * settings.batchSize());
                if (done < train.size()) {
                    stopped(epoch, done, steps);
                }
                Map<String, Double> logs = new LinkedHashMap<>();
                epochHistory.history().forEach((k, v) -> logs.put(k, v.get(v.size() - 1)));
                long validationStart = System.nanoTime();
                if (data.validation() != null) {
                    model.evaluate(data.validation(), validationBatchSize(), 0)
                            .forEach((k, v) -> logs.put("val_" + k, v));
                }
                double validationSeconds = (System.nanoTime() - validationStart) / 1e9;
                logs.forEach((k, v) ->
                        history.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
                HistoryFiles.write(history, output, "history");
                for (String key : List.of("loss", "val_loss")) {
                    double value = logs.getOrDefault(key, 0.0);
                    if (!Double.isFinite(value)) {
                        throw new DivergedException(String.format(
                                Locale.ROOT,
                                "%s is %s after epoch %d; %s; try a " + "lower --lr",
                                key,
                                value,
                                epoch + 1,
                                epoch == 0
                                        ? "no checkpoint was written"
                                        : "the last good checkpoint (after epoch " + epoch + ") is kept in "
                                                + output.dir()));
                    }
                }
                long checkpointStart = System.nanoTime();
                Path written =
                        output.wrote(checkpoint(epoch + 1, 0).write(output.dir(), model, writer)); // in the background
                double checkpointSeconds = (System.nanoTime() - checkpointStart) / 1e9;
                printEpoch(epoch, logs, trainSeconds, validationSeconds, checkpointSeconds, written);
            }
            writer.await(); // the last checkpoint is complete before the final model is written
            Path finalModel = output.file(MODEL_FILE);
            model.save(finalModel);
            output.wrote(finalModel);
            finished = true;
        } finally {
            try {
                writer.close(); // a checkpoint in flight is complete (or its failure thrown) before the job ends
            } catch (RuntimeException e) {
                if (finished) {
                    throw e;
                }
                System.err.println("nabla-train: the last checkpoint could not be written: " + e.getMessage());
            }
            if (history.values().stream().anyMatch(v -> !v.isEmpty())) {
                Drawing.charts(() -> Charts.saveHistoryCharts(history, settings.runName(), output.dir(), ""))
                        .forEach(output::wrote);
            }
        }
    }

    /** Writes a checkpoint at (epoch, samples) and throws the stop. */
    private void stopped(int epoch, long samples, int steps) {
        checkpointNow(epoch, samples);
        throw new StoppedException(
                ExitCode.INTERRUPTED,
                String.format(
                        Locale.ROOT,
                        "stopped in epoch %d after %d of %d batches; checkpoint written to %s; continue with: nabla-train "
                                + "--resume %s",
                        epoch + 1,
                        samples / settings.batchSize(),
                        steps,
                        output.dir().resolve(Checkpoint.MODEL_FILE),
                        output.dir()));
    }

    /** Writes a checkpoint at (epoch, samples) now, after any in flight; returns its path. */
    private Path checkpointNow(int epochsDone, long samplesDone) {
        writer.await();
        return output.wrote(checkpoint(epochsDone, samplesDone).write(output.dir(), model));
    }

    /**
     * The validation batch: validation keeps no activations for a backward pass, so a dense network takes 1024
     * samples a batch (fewer, larger matrix products); a convolutional one, whose activations are larger, 256.
     */
    private int validationBatchSize() {
        boolean dense = model.layers().stream().noneMatch(l -> l instanceof Conv2D || l instanceof DepthwiseConv2D);
        return Math.max(settings.batchSize(), dense ? 1024 : 256);
    }

    private Checkpoint checkpoint(int epochsDone, long samplesDone) {
        return new Checkpoint(
                epochsDone,
                samplesDone,
                settings.batchSize(),
                data.train().size(),
                model.optimizer().iterations(),
                arguments,
                history);
    }

    /**
     * The epoch's line: the times of training, validation and checkpoint apart (the checkpoint's is what the
     * training thread spent on it, the snapshot and any wait for the previous write; the write itself overlaps
     * the next epoch), then the logs:
     *
     * <pre>Epoch 3/10 - train 3.42s - val 0.31s - checkpoint 0.02s (background) - loss: 0.3011 - … - checkpoint checkpoint.nabla</pre>
     *
     * With verbose 1 the progress bar has printed the training logs: the line starts with the times, and shows the
     * validation logs only.
     */
    private void printEpoch(
            int epoch,
            Map<String, Double> logs,
            double trainSeconds,
            double validationSeconds,
            double checkpointSeconds,
            Path checkpoint) {
        if (settings.verbose() == 0) {
            return;
        }
        StringBuilder line = new StringBuilder();
        if (settings.verbose() == 2) {
            line.append(String.format(Locale.ROOT, "Epoch %d/%d - ", epoch + 1, settings.epochs()));
        }
        line.append(String.format(
                Locale.ROOT,
                "train %.2fs - val %.2fs - checkpoint %.2fs (background)",
                trainSeconds,
                validationSeconds,
                checkpointSeconds));
        logs.forEach((k, v) -> {
            if (settings.verbose() == 2 || k.startsWith("val_")) {
                line.append(String.format(Locale.ROOT, " - %s: %.4f", k, v));
            }
        });
        line.append(" - checkpoint ").append(checkpoint.getFileName());
        System.out.println(line);
    }

    /** Counts the batches of an epoch and stops the fit when a stop is requested. */
    private static final class BatchCounter extends Callback {
        private final StopSignal stop;
        int batches;

        BatchCounter(StopSignal stop) {
            this.stop = stop;
        }

        @Override
        public void onBatchEnd(int batch, Logs logs) {
            batches++;
            if (stop.requested()) {
                model().stopTraining(true);
            }
        }
    }
}
