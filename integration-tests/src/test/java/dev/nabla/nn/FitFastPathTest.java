package dev.nabla.nn;

import static dev.nabla.nn.Fixtures.CPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.History;
import dev.nabla.callbacks.Logs;
import dev.nabla.callbacks.ModelCheckpoint;
import dev.nabla.data.Dataset;
import dev.nabla.io.CheckpointWriter;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code fit} does per epoch, only what an epoch needs, and the checkpoints it writes in the background. */
class FitFastPathTest {
    @TempDir
    Path dir;

    private static Sequential classifier(long seed, Layer... extra) {
        RandomSeed.set(seed);
        Sequential model = new Sequential(new Dense(16, "tanh").inputShape(4));
        for (Layer l : extra) {
            model.add(l);
        }
        model.add(new Dense(3, "softmax"));
        return (Sequential) model.backend(CPU);
    }

    @Test
    void theDataIsCheckedForNanOncePerDataSetNotOncePerFit() {
        Dataset train = Fixtures.blobs(90, 1);
        Dataset validation = Fixtures.blobs(30, 2);
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            long before = Trainer.FINITE_SCANS.get();
            model.fit(train, new FitOptions().epochs(1).verbose(0).validationData(validation));
            assertEquals(4, Trainer.FINITE_SCANS.get() - before, "x and y of both sets, once each");
            for (int i = 0; i < 3; i++) { // a fit(epochs = 1) loop, as nabla-train runs
                model.fit(train, new FitOptions().epochs(1).verbose(0).validationData(validation));
                model.evaluate(validation);
            }
            model.fit(train, new FitOptions().epochs(3).verbose(0).validationData(validation));
            assertEquals(4, Trainer.FINITE_SCANS.get() - before, "no rescan");
            float[] bad = train.features().clone();
            bad[5] = Float.NaN; // a new array is checked, and refused
            Dataset poisoned = Dataset.of(bad, new int[] {4}, train.targets(), new int[] {});
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> model.fit(poisoned, new FitOptions().verbose(0)));
            assertTrue(e.getMessage().contains("x holds NaN in sample 1"), e.getMessage());
        }
    }

    @Test
    void trainingFromADataSetKeptOnTheBackendGivesTheSameWeightsBitForBit() {
        Dataset train = Fixtures.blobs(90, 1);
        List<float[]> weights = new ArrayList<>();
        for (boolean resident : new boolean[] {false, true}) {
            try (Sequential model = classifier(11)) {
                model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
                History history = model.fit(
                        train,
                        new FitOptions()
                                .epochs(3)
                                .batchSize(16)
                                .seed(5)
                                .verbose(0)
                                .residentData(resident));
                assertEquals(3, history.history().get("loss").size());
                weights.addAll(model.getWeights());
            }
        }
        int half = weights.size() / 2;
        for (int i = 0; i < half; i++) {
            assertArrayEquals(weights.get(i), weights.get(half + i), "weight " + i);
        }
    }

    @Test
    void validationRunsAtItsOwnBatchSizeEveryNthEpoch() {
        Dataset train = Fixtures.blobs(90, 1);
        Dataset validation = Fixtures.blobs(100, 2);
        List<Integer> validatedAfter = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        Callback counter = new Callback() {
            int epoch;

            @Override
            public void onEpochBegin(int e, Logs logs) {
                epoch = e;
            }

            @Override
            public void onTestBegin(Logs logs) {
                validatedAfter.add(epoch + 1);
            }

            @Override
            public void onTestBatchBegin(int batch, Logs logs) {
                batches.incrementAndGet();
            }
        };
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            History history = model.fit(
                    train,
                    new FitOptions()
                            .batchSize(10)
                            .epochs(5)
                            .verbose(0)
                            .validationData(validation)
                            .validationBatchSize(40)
                            .validationFreq(2)
                            .callbacks(counter));
            assertEquals(List.of(2, 4), validatedAfter);
            assertEquals(6, batches.get(), "100 samples in batches of 40: 3 a validation");
            assertEquals(5, history.get("loss").size());
            assertEquals(2, history.get("val_loss").size());
        }
    }

    @Test
    void badValidationSettingsAreRefusedSayingWhatIsExpected() {
        IllegalArgumentException size =
                assertThrows(IllegalArgumentException.class, () -> new FitOptions().validationBatchSize(0));
        assertEquals("validationBatchSize must be positive (samples per validation batch), got 0", size.getMessage());
        IllegalArgumentException freq =
                assertThrows(IllegalArgumentException.class, () -> new FitOptions().validationFreq(0));
        assertEquals("validationFreq must be at least 1 (validate every n epochs), got 0", freq.getMessage());
        assertEquals(32, new FitOptions().validationBatchSize(), "default: the training batch size, as Keras");
        assertEquals(1, new FitOptions().validationFreq());
    }

    @Test
    void accuracyFromLogitsIsTheAccuracyOfTheProbabilities() {
        Dataset data = Fixtures.blobs(300, 3);
        try (Sequential model = classifier(11)) {
            model.compile(new Adam(0.003), new CategoricalCrossentropy(), "accuracy");
            Dataset oneHot = data.toCategorical(3);
            model.fit(oneHot, new FitOptions().epochs(1).batchSize(32).seed(1).verbose(0));
            Map<String, Double> scores = model.evaluate(oneHot, 64, 0); // fused: accuracy from the logits
            int[] labels = data.labels();
            int right = 0;
            try (Tensor p = model.predict(Tensor.of(data.features(), 300, 4))) { // probabilities, then argmax
                float[] probabilities = p.toFloatArray();
                for (int i = 0; i < 300; i++) {
                    int best = 0;
                    for (int k = 1; k < 3; k++) {
                        if (probabilities[i * 3 + k] > probabilities[i * 3 + best]) {
                            best = k;
                        }
                    }
                    right += best == labels[i] ? 1 : 0;
                }
            }
            assertTrue(scores.get("accuracy") < 1, "a model still learning: " + scores);
            assertEquals(right / 300.0, scores.get("accuracy"), 1e-6);
        }
    }

    @Test
    void theWeightListsAreBuiltOncePerFitNotPerStep() {
        Counting counting = new Counting();
        try (Sequential model = classifier(7, counting)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            Dataset small = Fixtures.blobs(10, 1);
            Dataset large = Fixtures.blobs(200, 1);
            model.fit(small, new FitOptions().batchSize(10).verbose(0)); // builds the model
            int start = counting.walks.get();
            model.fit(small, new FitOptions().batchSize(10).verbose(0)); // 1 step
            int oneStep = counting.walks.get() - start;
            start = counting.walks.get();
            model.fit(large, new FitOptions().batchSize(10).epochs(2).verbose(0)); // 40 steps
            int fortySteps = counting.walks.get() - start;
            assertEquals(oneStep, fortySteps, "walks of the layers' weights do not grow with the steps");
        }
    }

    /** A pass-through layer that counts how often its weights are listed. */
    private static final class Counting extends Layer {
        final AtomicInteger walks = new AtomicInteger();

        @Override
        protected Tensor call(Tensor input, boolean training) {
            return input;
        }

        @Override
        public List<Parameter> weights() {
            walks.incrementAndGet();
            return super.weights();
        }

        @Override
        public List<Parameter> trainableWeights() {
            walks.incrementAndGet();
            return super.trainableWeights();
        }
    }

    @Test
    void aCheckpointWrittenInTheBackgroundIsCompleteAndLoadableWhenFitReturns() {
        Path file = dir.resolve("ckpt-{epoch}.nabla");
        Dataset data = Fixtures.blobs(90, 1);
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            ModelCheckpoint checkpoint = new ModelCheckpoint(file, "loss", false);
            model.fit(data, new FitOptions().epochs(3).verbose(0).callbacks(checkpoint));
            assertEquals(3, checkpoint.saves());
            try (Model loaded = Model.load(dir.resolve("ckpt-3.nabla"), CPU)) {
                assertWeightsEqual(model.getWeights(), loaded.getWeights());
                assertEquals(model.optimizer().iterations(), loaded.optimizer().iterations());
            }
            assertTrue(Files.exists(dir.resolve("ckpt-1.nabla")) && Files.exists(dir.resolve("ckpt-2.nabla")));
        }
    }

    @Test
    void aFitThatFailsLeavesTheCheckpointsItAskedForComplete() {
        Path file = dir.resolve("ckpt.nabla");
        Dataset data = Fixtures.blobs(90, 1);
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            List<List<float[]>> atEpochEnd = new ArrayList<>();
            Callback crash = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Logs logs) {
                    atEpochEnd.add(model().getWeights());
                }

                @Override
                public void onEpochBegin(int epoch, Logs logs) {
                    if (epoch == 2) {
                        throw new IllegalStateException("crash");
                    }
                }
            };
            ModelCheckpoint checkpoint = new ModelCheckpoint(file, "loss", false);
            assertThrows(
                    IllegalStateException.class,
                    () -> model.fit(data, new FitOptions().epochs(3).verbose(0).callbacks(checkpoint, crash)));
            try (Model loaded = Model.load(file, CPU)) { // the write of epoch 2 is done when fit has thrown
                assertWeightsEqual(atEpochEnd.get(1), loaded.getWeights());
            }
        }
    }

    @Test
    void theWriterSavesTheSnapshotNotTheWeightsOfLater() {
        Path file = dir.resolve("snap.nabla");
        try (Sequential model = classifier(7);
                CheckpointWriter writer = new CheckpointWriter()) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            model.fit(Fixtures.blobs(30, 1), new FitOptions().verbose(0));
            List<float[]> saved = model.getWeights();
            writer.save(file, model.snapshot(Map.of("epoch", 1L)), "model");
            model.setWeights(saved.stream().map(w -> new float[w.length]).toList()); // changed right after
            writer.await();
            try (Model loaded = Model.load(file, CPU)) {
                assertWeightsEqual(saved, loaded.getWeights());
            }
            assertEquals(1L, ((Number) dev.nabla.io.ModelFile.metadata(file).get("epoch")).longValue());
        }
    }

    @Test
    void aFailedBackgroundWriteFailsTheFitThatAskedForIt() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            ModelCheckpoint checkpoint = new ModelCheckpoint(notAFolder.resolve("ckpt.nabla"), "loss", false);
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> model.fit(
                            Fixtures.blobs(30, 1),
                            new FitOptions().epochs(1).verbose(0).callbacks(checkpoint)));
            assertTrue(e.getMessage().contains("ckpt.nabla"), e.getMessage());
        }
    }

    @Test
    void aFailedBackgroundWriteIsRethrownByTheNextSaveWhichIsNotMade() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        Path good = dir.resolve("good.nabla");
        try (Sequential model = classifier(7);
                CheckpointWriter writer = new CheckpointWriter()) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            model.fit(Fixtures.blobs(30, 1), new FitOptions().verbose(0));
            writer.save(notAFolder.resolve("bad.nabla"), model.snapshot(Map.of()), "model 'm'");
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class, () -> writer.save(good, model.snapshot(Map.of()), "model 'm'"));
            assertTrue(
                    e.getMessage().startsWith("cannot save model 'm' to " + notAFolder.resolve("bad.nabla")),
                    e.getMessage());
            assertTrue(!Files.exists(good), "the save that reported the failure is not made");
            writer.save(good, model.snapshot(Map.of()), "model 'm'"); // reported once; the writer goes on
            writer.await();
            assertTrue(Files.exists(good));
        }
    }

    @Test
    void withoutBackgroundTheCheckpointIsWrittenBeforeTheNextEpoch() {
        Path file = dir.resolve("sync.nabla");
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            List<Boolean> present = new ArrayList<>();
            Callback look = new Callback() {
                @Override
                public void onEpochBegin(int epoch, Logs logs) {
                    present.add(Files.exists(file));
                }
            };
            ModelCheckpoint checkpoint = new ModelCheckpoint(file, "loss", false).background(false);
            model.fit(
                    Fixtures.blobs(30, 1), new FitOptions().epochs(2).verbose(0).callbacks(checkpoint, look));
            assertEquals(List.of(false, true), present);
        }
    }

    private static void assertWeightsEqual(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }
}
