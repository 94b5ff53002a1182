package dev.nabla.nn;

import static dev.nabla.nn.Fixtures.CPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.losses.MeanSquaredError;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.optim.Adam;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.LiveBuffers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTrainingTest {

    private static Sequential classifier(long seed) {
        RandomSeed.set(seed);
        return (Sequential) new Sequential(new Dense(16, "tanh").inputShape(4), new Dense(3, "softmax")).backend(CPU);
    }

    @Test
    void fitLearnsThreeBlobsAndReportsLossAndAccuracyPerEpoch() {
        Dataset data = Fixtures.blobs(300, 1).toCategorical(3);
        try (Sequential model = classifier(7)) {
            model.compile(new Adam(0.01), new CategoricalCrossentropy(), "accuracy");
            History history = model.fit(
                    data, new FitOptions().batchSize(32).epochs(8).seed(3).verbose(0));
            assertEquals(
                    List.of("loss", "accuracy"), List.copyOf(history.history().keySet()));
            assertEquals(8, history.get("loss").size());
            assertTrue(history.get("loss").get(7) < history.get("loss").get(0) / 3, history.toString());
            assertTrue(history.last("accuracy") > 0.95, history.toString());
            Map<String, Double> scores = model.evaluate(data);
            assertTrue(scores.get("accuracy") > 0.95, scores.toString());
        }
    }

    @Test
    void sparseLabelsTrainTheSameNetworkAsOneHotTargets() {
        Dataset labels = Fixtures.blobs(120, 2);
        Dataset oneHot = labels.toCategorical(3);
        History sparse;
        History dense;
        try (Sequential model = classifier(11)) {
            model.compile(new SGD(0.1), new SparseCategoricalCrossentropy(), "accuracy");
            sparse = model.fit(
                    labels, new FitOptions().batchSize(16).epochs(3).seed(5).verbose(0));
        }
        try (Sequential model = classifier(11)) {
            model.compile(new SGD(0.1), new CategoricalCrossentropy(), "accuracy");
            dense = model.fit(
                    oneHot, new FitOptions().batchSize(16).epochs(3).seed(5).verbose(0));
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(dense.get("loss").get(e), sparse.get("loss").get(e), 1e-5);
            assertEquals(dense.get("accuracy").get(e), sparse.get("accuracy").get(e), 1e-9);
        }
    }

    @Test
    void validationSplitAddsValidationValuesToTheHistory() {
        Dataset data = Fixtures.blobs(200, 3).toCategorical(3);
        try (Sequential model = classifier(1)) {
            model.compile(new Adam(0.01), new MeanSquaredError(), "accuracy");
            History history = model.fit(
                    data, new FitOptions().epochs(2).validationSplit(0.25).verbose(0));
            assertEquals(
                    List.of("loss", "accuracy", "val_loss", "val_accuracy"),
                    List.copyOf(history.history().keySet()));
        }
    }

    @Test
    void predictReturnsOneRowPerSampleInAnyBatchSize() {
        Dataset data = Fixtures.blobs(50, 4);
        try (Sequential model = classifier(2)) {
            Tensor x = Tensor.on(CPU).of(data.features(), 50, 4);
            Tensor small = model.predict(x, 7);
            Tensor big = model.predict(x, 64);
            assertEquals(List.of(50, 3), List.of(small.shape(0), small.shape(1)));
            float[] a = small.toFloatArray();
            float[] b = big.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6);
            }
            float rowSum = a[0] + a[1] + a[2];
            assertEquals(1.0, rowSum, 1e-5);
            x.close();
            small.close();
            big.close();
        }
    }

    @Test
    void predictMovesInputFromAnotherBackendOnceAndAnswersOnTheModelsBackend() {
        CountingBackend other = new CountingBackend(CPU);
        Dataset data = Fixtures.blobs(20, 4);
        try (Sequential model = classifier(2)) {
            Tensor here = Tensor.on(CPU).of(data.features(), 20, 4);
            Tensor there = Tensor.on(other).of(data.features(), 20, 4);
            Tensor a = model.predict(here, 8);
            int reads = other.reads.get();
            Tensor b = model.predict(there, 8);
            assertEquals(reads + 1, other.reads.get(), "one transfer for the whole input");
            assertEquals(CPU, b.backend());
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            Tensor predictions = model.predict(data, 6);
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.toFloatArray(), predictions.toFloatArray());
        }
    }

    @Test
    void trainingLeavesNoLiveBuffersBehindFromEpochToEpoch() {
        Dataset data = Fixtures.blobs(96, 5).toCategorical(3);
        try (Sequential model = classifier(3)) {
            model.compile(new Adam(0.01), new CategoricalCrossentropy(), "accuracy");
            model.fit(data, new FitOptions().batchSize(32).epochs(1).verbose(0));
            long before = LiveBuffers.settled(CPU);
            model.fit(data, new FitOptions().batchSize(32).epochs(3).verbose(0));
            long after = CPU.memoryStats().liveBuffers();
            assertEquals(before, after, "live buffers before and after three more epochs");
        }
    }

    @Test
    void lossesAreReadBackOncePerEpochWhenNothingIsPrinted() {
        CountingBackend counting = new CountingBackend(CPU);
        Dataset data = Fixtures.blobs(90, 6).toCategorical(3);
        RandomSeed.set(4);
        try (Sequential model = new Sequential(new Dense(8, "relu").inputShape(4), new Dense(3, "softmax"))) {
            model.backend(counting);
            model.compile(new Adam(), new CategoricalCrossentropy(), "accuracy", "precision");
            model.build(4);
            int before = counting.reads.get();
            model.fit(data, new FitOptions().batchSize(10).epochs(4).verbose(0));
            assertEquals(4, counting.reads.get() - before, "one read per epoch for loss and every metric together");
        }
    }

    @Test
    void verboseOneOffATerminalPrintsPlainKerasLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        Dataset data = Fixtures.blobs(60, 7).toCategorical(3);
        try (Sequential model = classifier(5)) {
            model.compile(new Adam(0.01), new CategoricalCrossentropy(), "accuracy");
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            model.fit(data, new FitOptions().batchSize(20).epochs(2).verbose(1).validationData(data));
        } finally {
            System.setOut(saved);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("Epoch 1/2", lines[0]);
        assertTrue(
                lines[1].matches("3/3 - \\d+s - \\d+[mu]?s/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}"
                        + " - val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4}"),
                lines[1]);
        assertEquals("Epoch 2/2", lines[2]);
    }

    @Test
    void badInputIsRejectedBeforeTrainingWithMessagesNamingTheProblem() {
        try (Sequential model = classifier(6)) {
            model.compile(new Adam(), new SparseCategoricalCrossentropy(), "accuracy");
            Dataset outOfRange = Dataset.of(new float[8], new int[] {4}, new float[] {1, 3}, new int[] {});
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> model.fit(outOfRange, new FitOptions().verbose(0)));
            assertTrue(
                    e.getMessage().contains("label 3 of sample 1")
                            && e.getMessage().contains("[0, 3)"),
                    e.getMessage());

            Dataset fractional = Dataset.of(new float[8], new int[] {4}, new float[] {0.5f, 1}, new int[] {});
            e = assertThrows(IllegalArgumentException.class, () -> model.fit(fractional, new FitOptions().verbose(0)));
            assertTrue(e.getMessage().contains("label 0.5 of sample 0"), e.getMessage());

            Dataset oneHot = Fixtures.blobs(6, 1).toCategorical(3);
            e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(oneHot));
            assertTrue(
                    e.getMessage().contains("per-sample shape [3]")
                            && e.getMessage().contains("CategoricalCrossentropy"),
                    e.getMessage());

            Dataset wrongFeatures = Dataset.of(new float[10], new int[] {5}, new float[] {0, 1}, new int[] {});
            e = assertThrows(
                    IllegalArgumentException.class, () -> model.fit(wrongFeatures, new FitOptions().verbose(0)));
            assertTrue(e.getMessage().contains("[5]") && e.getMessage().contains("expects [4]"), e.getMessage());
        }
        try (Sequential model = classifier(6)) {
            model.compile(new Adam(), new CategoricalCrossentropy());
            Dataset labels = Fixtures.blobs(6, 1);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> model.fit(labels, new FitOptions().verbose(0)));
            assertTrue(e.getMessage().contains("SparseCategoricalCrossentropy"), e.getMessage());
        }
        try (Sequential model = classifier(6)) {
            assertThrows(IllegalStateException.class, () -> model.fit(Fixtures.blobs(6, 1), new FitOptions()));
        }
    }

    @Test
    void regressionWithMeanSquaredErrorFitsALine() {
        Dataset data = Fixtures.linear(256, 8);
        RandomSeed.set(12);
        try (Sequential model = new Sequential(new Dense(1).inputShape(3))) {
            model.backend(CPU);
            model.compile(new SGD(0.1), new MeanSquaredError(), "mae");
            History history =
                    model.fit(data, new FitOptions().batchSize(32).epochs(20).verbose(0));
            assertTrue(history.last("loss") < 1e-3, history.toString());
            float[] kernel = ((Dense) model.layers().get(0)).kernel().get();
            assertEquals(1.5, kernel[0], 0.02);
            assertEquals(-2.0, kernel[1], 0.02);
            assertEquals(0.5, ((Dense) model.layers().get(0)).bias().get()[0], 0.02);
        }
    }
}
