package dev.nabla.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.losses.MeanSquaredError;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbacksTest {
    private static final Backend CPU = Backends.get("cpu", 0);

    private static Dataset blobs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            x[i * 2] = (label == 0 ? 1 : -1) + (float) random.nextGaussian() * 0.3f;
            x[i * 2 + 1] = (float) random.nextGaussian();
            y[i * 2 + label] = 1;
        }
        return Dataset.of(x, new int[] {2}, y, new int[] {2});
    }

    private static Sequential model(long seed) {
        RandomSeed.set(seed);
        Sequential model = new Sequential(new Dense(8, "tanh").inputShape(2), new Dense(2, "softmax"));
        model.backend(CPU);
        return model;
    }

    /** A callback that records every hook it sees. */
    static final class Recorder extends Callback {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onTrainBegin(Logs logs) {
            calls.add("trainBegin");
        }

        @Override
        public void onTrainEnd(Logs logs) {
            calls.add("trainEnd");
        }

        @Override
        public void onEpochBegin(int epoch, Logs logs) {
            calls.add("epochBegin " + epoch);
        }

        @Override
        public void onEpochEnd(int epoch, Logs logs) {
            calls.add("epochEnd " + epoch + " " + logs.asMap().keySet());
        }

        @Override
        public void onBatchBegin(int batch, Logs logs) {
            calls.add("batchBegin " + batch);
        }

        @Override
        public void onBatchEnd(int batch, Logs logs) {
            calls.add("batchEnd " + batch + (logs.isRead() ? " read" : ""));
        }

        @Override
        public void onTestBegin(Logs logs) {
            calls.add("testBegin");
        }

        @Override
        public void onTestEnd(Logs logs) {
            calls.add("testEnd");
        }
    }

    @Test
    void userCallbacksSeeEveryHookInKerasOrder() {
        Recorder recorder = new Recorder();
        Dataset data = blobs(20, 1);
        try (Sequential model = model(1)) {
            model.compile(new SGD(0.1), new CategoricalCrossentropy(), "accuracy");
            model.fit(
                    data,
                    new FitOptions()
                            .batchSize(10)
                            .epochs(2)
                            .verbose(0)
                            .validationData(data)
                            .callbacks(recorder));
            assertEquals(model, recorder.model());
            assertEquals(2, recorder.params().steps());
        }
        assertEquals(
                List.of(
                        "trainBegin",
                        "epochBegin 0",
                        "batchBegin 0",
                        "batchEnd 0",
                        "batchBegin 1",
                        "batchEnd 1",
                        "testBegin",
                        "testEnd",
                        "epochEnd 0 [loss, accuracy, val_loss, val_accuracy]",
                        "epochBegin 1",
                        "batchBegin 0",
                        "batchEnd 0",
                        "batchBegin 1",
                        "batchEnd 1",
                        "testBegin",
                        "testEnd",
                        "epochEnd 1 [loss, accuracy, val_loss, val_accuracy]",
                        "trainEnd"),
                recorder.calls);
    }

    /** Drives a callback through epochs with the given validation losses, setting the weights to the epoch number first. */
    private static void drive(Callback callback, Sequential model, double... valLosses) {
        callback.setModel(model);
        callback.onTrainBegin(Logs.empty());
        for (int epoch = 0; epoch < valLosses.length && !model.stopTraining(); epoch++) {
            fillWeights(model, epoch);
            callback.onEpochEnd(epoch, Logs.of(Map.of("loss", 1.0, "val_loss", valLosses[epoch])));
        }
        callback.onTrainEnd(Logs.empty());
    }

    private static void fillWeights(Model model, float value) {
        List<float[]> weights = new ArrayList<>();
        for (float[] w : model.getWeights()) {
            float[] filled = new float[w.length];
            java.util.Arrays.fill(filled, value);
            weights.add(filled);
        }
        model.setWeights(weights);
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestWeights() {
        EarlyStopping stopper = new EarlyStopping("val_loss", 2, true);
        try (Sequential model = model(2)) {
            model.build(2);
            drive(stopper, model, 1.0, 0.5, 0.6, 0.7, 0.4, 0.3);
            assertTrue(model.stopTraining());
            assertEquals(1, stopper.bestEpoch());
            assertEquals(3, stopper.stoppedEpoch(), "two epochs without improvement after epoch 1");
            assertEquals(0.5, stopper.best());
            for (float[] w : model.getWeights()) {
                assertEquals(1f, w[0], "the weights of epoch 1 are back");
            }
        }
    }

    @Test
    void earlyStoppingHonoursMinDeltaAndStopsTrainingThroughFit() {
        EarlyStopping stopper = new EarlyStopping("val_loss", 1, false).minDelta(0.1);
        try (Sequential model = model(2)) {
            model.build(2);
            drive(stopper, model, 1.0, 0.95, 0.92);
            assertEquals(1, stopper.stoppedEpoch(), "0.95 is not 0.1 better than 1.0");
        }
        Dataset data = blobs(20, 2);
        Callback worsening = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Logs logs) {
                // nothing: the loss cannot improve with a zero learning rate
            }
        };
        try (Sequential model = model(2)) {
            model.compile(new SGD(0.0), new MeanSquaredError());
            History history = model.fit(
                    data,
                    new FitOptions()
                            .epochs(10)
                            .verbose(0)
                            .callbacks(
                                    worsening,
                                    new EarlyStopping().monitor("loss").patience(2)));
            assertEquals(3, history.epochs().size(), "epoch 0 sets the best; 1 and 2 do not improve");
        }
    }

    @Test
    void earlyStoppingWaitsWhileTheMonitoredValueImproves() {
        Dataset data = blobs(40, 3);
        EarlyStopping stopper = new EarlyStopping().monitor("loss").patience(1);
        try (Sequential model = model(3)) {
            model.compile(new Adam(0.01), new CategoricalCrossentropy());
            History history = model.fit(
                    data, new FitOptions().batchSize(40).epochs(5).verbose(0).callbacks(stopper));
            assertEquals(5, history.epochs().size());
            assertEquals(-1, stopper.stoppedEpoch());
        }
        assertEquals(Mode.MAX, Mode.AUTO.resolve("val_accuracy"));
        assertEquals(Mode.MIN, Mode.AUTO.resolve("val_loss"));
    }

    @Test
    void modelCheckpointWithSaveBestOnlySavesOnlyOnImprovement(@TempDir Path dir) {
        Path best = dir.resolve("best.nabla");
        ModelCheckpoint checkpoint = new ModelCheckpoint(best, "val_loss", true);
        try (Sequential model = model(4)) {
            model.build(2);
            drive(checkpoint, model, 1.0, 0.5, 0.7, 0.4, 0.6);
            assertEquals(3, checkpoint.saves());
            assertEquals(0.4, checkpoint.best());
        }
        try (Model loaded = Model.load(best, CPU)) {
            for (float[] w : loaded.getWeights()) {
                assertEquals(3f, w[0], "the weights of epoch 3, the best");
            }
        }
    }

    @Test
    void modelCheckpointFillsTheEpochIntoThePath(@TempDir Path dir) throws Exception {
        Dataset data = blobs(10, 5);
        try (Sequential model = model(5)) {
            model.compile(new SGD(0.1), new MeanSquaredError());
            model.fit(
                    data,
                    new FitOptions()
                            .epochs(3)
                            .verbose(0)
                            .callbacks(new ModelCheckpoint(dir.resolve("ckpt-{epoch:02d}-{loss:.3f}.nabla"))));
        }
        List<String> names = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.get(0).matches("ckpt-01-\\d\\.\\d{3}\\.nabla"), names.toString());
        assertTrue(names.get(2).startsWith("ckpt-03-"), names.toString());
    }

    @Test
    void csvLoggerWritesAHeaderAndOneRowPerEpoch(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("log.csv");
        Dataset data = blobs(20, 6);
        try (Sequential model = model(6)) {
            model.compile(new SGD(0.1), new CategoricalCrossentropy(), "accuracy");
            History history = model.fit(
                    data,
                    new FitOptions().epochs(3).verbose(0).validationData(data).callbacks(new CSVLogger(csv)));
            List<String> lines = Files.readAllLines(csv);
            assertEquals("epoch,loss,accuracy,val_loss,val_accuracy", lines.get(0));
            assertEquals(4, lines.size());
            String[] row = lines.get(3).split(",");
            assertEquals("2", row[0]);
            assertEquals(history.get("loss").get(2), Double.parseDouble(row[1]));
            model.fit(data, new FitOptions().epochs(1).verbose(0).callbacks(new CSVLogger(csv, ",", true)));
            assertEquals(5, Files.readAllLines(csv).size(), "appended without a second header");
        }
    }

    @Test
    void learningRateSchedulerSetsTheRateEachEpoch() {
        Dataset data = blobs(10, 7);
        List<Double> seen = new ArrayList<>();
        try (Sequential model = model(7)) {
            model.compile(new SGD(0.1), new MeanSquaredError());
            model.fit(
                    data,
                    new FitOptions()
                            .epochs(3)
                            .verbose(0)
                            .callbacks(
                                    new LearningRateScheduler((epoch, lr) -> epoch == 0 ? lr : lr / 2), new Callback() {
                                        @Override
                                        public void onEpochBegin(int epoch, Logs logs) {
                                            seen.add(model().optimizer().learningRate());
                                        }
                                    }));
        }
        assertEquals(List.of(0.1, 0.05, 0.025), seen);
    }

    @Test
    void terminateOnNaNStopsAtTheFirstBadBatch() {
        // fit refuses NaN in the data up front, so the loss overflows instead: (ŷ − 1e30)² is infinite in FLOAT32
        Dataset data = Dataset.of(new float[] {1, 1, 1, 1}, new int[] {2}, new float[] {1e30f, 0, 1, 0}, new int[] {2});
        TerminateOnNaN terminate = new TerminateOnNaN();
        try (Sequential model = model(8)) {
            model.compile(new SGD(0.1), new MeanSquaredError());
            History history = model.fit(
                    data, new FitOptions().batchSize(1).epochs(5).verbose(0).callbacks(terminate));
            assertTrue(terminate.terminated());
            assertEquals(1, history.epochs().size());
        }
    }

    @Test
    void theProgressBarOnATerminalRedrawsOneLinePerEpochWithEtaAndEndsWithTiming() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgbarLogger bar = new ProgbarLogger(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.setParams(new TrainingParams(2, 4, 40, 10, 1));
        bar.onEpochBegin(0, Logs.empty());
        bar.onBatchEnd(0, Logs.of(Map.of("loss", 0.5)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("Epoch 1/2\n", text, "no redraw within 0.1 s");
        try {
            Thread.sleep(120);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bar.onBatchEnd(1, Logs.of(Map.of("loss", 0.5)));
        text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.endsWith("\r2/4 [==============>...............] - ETA: 0s - loss: 0.5000"),
                text.replace("\r", "<CR>"));
        bar.onBatchEnd(2, Logs.of(Map.of("loss", 0.4)));
        bar.onBatchEnd(3, Logs.of(Map.of("loss", 0.3)));
        bar.onEpochEnd(0, Logs.of(new java.util.LinkedHashMap<>(Map.of("loss", 0.25))));
        text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.matches("(?s).*\r4/4 \\[={30}] - \\d+s \\d+ms/step - loss: 0\\.2500 *\n"),
                text.replace("\r", "<CR>"));
    }

    @Test
    void batchLogsAreReadOnlyWhenSomeoneAsks() {
        Recorder recorder = new Recorder();
        Dataset data = blobs(20, 9);
        try (Sequential model = model(9)) {
            model.compile(new SGD(0.1), new MeanSquaredError());
            model.fit(data, new FitOptions().batchSize(5).epochs(1).verbose(2).callbacks(recorder));
        }
        assertFalse(recorder.calls.stream().anyMatch(c -> c.endsWith(" read")), recorder.calls.toString());
        Logs lazy = Logs.lazy(() -> Map.of("loss", 1.0));
        assertFalse(lazy.isRead());
        assertEquals(1.0, lazy.get("loss"));
        assertTrue(lazy.isRead());
    }
}
