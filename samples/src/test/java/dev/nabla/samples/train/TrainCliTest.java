package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.io.Json;
import dev.nabla.nn.Model;
import dev.nabla.samples.Captured;
import dev.nabla.samples.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nabla-train in-process: exit codes, checkpoints, and resuming to exactly the weights of an uninterrupted run. */
class TrainCliTest {
    /** A small, fast job on the embedded digits: 600 samples, 5 batches of 128 per epoch. */
    static final String[] SMALL = {
        "--backend", "cpu", "--model", "784-16:relu-10:softmax", "--samples", "600", "--seed", "7", "--verbose", "0"
    };

    @TempDir
    static Path dir;

    static Path uninterrupted;

    @BeforeAll
    static void trainTwoEpochsWithoutInterruption() {
        uninterrupted = dir.resolve("uninterrupted");
        assertEquals(ExitCode.OK, TrainCli.run(args("--epochs", "2", "--out", uninterrupted.toString())));
    }

    @Test
    void aRunWritesHistoryChartsCheckpointAndFinalModel() throws IOException {
        for (String file :
                List.of("history.csv", "history.json", "loss.png", "accuracy.png", "checkpoint.nabla", "model.nabla")) {
            assertTrue(Files.size(uninterrupted.resolve(file)) > 0, file);
        }
        List<String> csv = Files.readAllLines(uninterrupted.resolve("history.csv"));
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy", csv.get(0));
        assertEquals(3, csv.size(), "a header and two epochs");
        Checkpoint state = Checkpoint.read(uninterrupted, 128);
        assertEquals(2, state.epochsDone());
        assertEquals(0, state.samplesDone());
        assertEquals(10L, state.iterations(), "2 epochs of 5 batches");
        assertEquals(600, state.trainSamples());
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
        Path out = dir.resolve("resumed");
        assertEquals(ExitCode.OK, TrainCli.run(args("--epochs", "1", "--out", out.toString())));
        assertEquals(ExitCode.OK, TrainCli.run("--resume", out.toString(), "--epochs", "2"));
        assertSameModel(uninterrupted.resolve("model.nabla"), out.resolve("model.nabla"));
        assertEquals(
                Files.readString(uninterrupted.resolve("history.csv")), Files.readString(out.resolve("history.csv")));
    }

    @Test
    void aStopInTheMiddleOfAnEpochLeavesACheckpointThatResumesExactly() throws IOException {
        Path out = dir.resolve("interrupted");
        StopSignal signal = new StopSignal();
        Callback stopAtBatch7 = stopAtBatch(7, signal); // the second batch of epoch 2
        Captured stopped =
                Captured.run(() -> TrainCli.run(args("--epochs", "2", "--out", out.toString()), signal, stopAtBatch7));
        assertEquals(ExitCode.INTERRUPTED, stopped.exitCode());
        assertTrue(stopped.err().contains("stopped in epoch 2 after 2 of 5 batches"), stopped.err());
        assertTrue(stopped.err().contains("--resume " + out), stopped.err());
        Checkpoint state = Checkpoint.read(out, 128);
        assertEquals(1, state.epochsDone());
        assertEquals(2, state.batchesDone());
        assertEquals(256, state.samplesDone());
        assertEquals(7L, state.iterations());
        assertTrue(Files.notExists(out.resolve("model.nabla")), "no final model for an unfinished run");

        assertEquals(
                ExitCode.OK,
                TrainCli.run("--resume", out.resolve("checkpoint.nabla").toString()));
        assertSameModel(uninterrupted.resolve("model.nabla"), out.resolve("model.nabla"));
    }

    @Test
    void badArgumentsExitWith2() {
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--epochs", "zero")));
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--no-such-option")));
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--model", "784-10:sigmoidal")));
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--model", "mlp-adamm")));
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--metrics", "accuracy,f1")));
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--optimizer", "lbfgs")));
        assertEquals(ExitCode.BAD_ARGUMENTS, TrainCli.run(args("--loss", "binary_crossentropy")));
        Captured wrongInput = Captured.run(() ->
                TrainCli.run(args("--model", "4-3", "--out", dir.resolve("bad").toString())));
        assertEquals(ExitCode.BAD_ARGUMENTS, wrongInput.exitCode());
        assertTrue(
                wrongInput.err().contains("the network takes 4 inputs but the data has 784 features"),
                wrongInput.err());
    }

    @Test
    void missingOrUnreadableDataExitsWith3() throws IOException {
        assertEquals(
                ExitCode.DATA_UNAVAILABLE,
                TrainCli.run(args("--data", dir.resolve("nowhere").toString())));
        Path empty = Files.createDirectories(dir.resolve("empty-folder"));
        Captured noIdx = Captured.run(() -> TrainCli.run(args("--data", empty.toString())));
        assertEquals(ExitCode.DATA_UNAVAILABLE, noIdx.exitCode());
        assertTrue(noIdx.err().contains("train-images-idx3-ubyte"), noIdx.err());
        Path broken = dir.resolve("broken.csv");
        Files.writeString(broken, "x,y,label\n1,2,0\n3,four,1\n");
        assertEquals(
                ExitCode.DATA_UNAVAILABLE,
                TrainCli.run(args("--data", broken.toString(), "--csv-header", "--model", "2-3")));
        assertEquals(
                ExitCode.DATA_UNAVAILABLE,
                TrainCli.run(
                        "--backend",
                        "cpu",
                        "--resume",
                        dir.resolve("no-checkpoint").toString()));
    }

    @Test
    void anUnknownOrUnavailableBackendExitsWith4() {
        Captured run = Captured.run(() -> TrainCli.run(args("--backend", "abacus")));
        assertEquals(ExitCode.BACKEND_UNAVAILABLE, run.exitCode());
        assertTrue(run.err().contains("unknown backend 'abacus'"), run.err());
    }

    @Test
    void aDivergingRunExitsWith5() {
        Captured run = Captured.run(() -> TrainCli.run(args(
                "--model",
                "784-10:linear",
                "--loss",
                "mse",
                "--optimizer",
                "sgd",
                "--lr",
                "1e12",
                "--epochs",
                "3",
                "--out",
                dir.resolve("nan").toString())));
        assertEquals(ExitCode.DIVERGED, run.exitCode());
        assertTrue(run.err().contains("training diverged"), run.err());
    }

    @Test
    void csvDataTrainsWithAHeldOutValidationShare() throws IOException {
        Path csv = dir.resolve("clusters.csv");
        Random random = new Random(1);
        StringBuilder text = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 300; i++) {
            int c = i % 3;
            text.append(String.format(
                    java.util.Locale.ROOT, "%.4f,%.4f,%d%n", 3 * c + random.nextGaussian(), random.nextGaussian(), c));
        }
        Files.writeString(csv, text);
        Path out = dir.resolve("csv-run");
        assertEquals(
                ExitCode.OK,
                TrainCli.run(
                        "--backend",
                        "cpu",
                        "--data",
                        csv.toString(),
                        "--csv-header",
                        "--model",
                        "2-8-3",
                        "--epochs",
                        "20",
                        "--batch-size",
                        "16",
                        "--lr",
                        "0.05",
                        "--verbose",
                        "0",
                        "--out",
                        out.toString()));
        Map<?, ?> history = (Map<?, ?>) Json.parse(Files.readString(out.resolve("history.json")));
        List<?> accuracy = (List<?>) history.get("val_accuracy");
        assertEquals(20, accuracy.size());
        assertTrue(((Number) accuracy.get(19)).doubleValue() > 0.8, "well-separated clusters: " + accuracy);
    }

    @Test
    void helpListsTheOptionsAndTheExitCodes() {
        Captured help = Captured.run(() -> TrainCli.run("--help"));
        assertEquals(ExitCode.OK, help.exitCode());
        for (String text : List.of(
                "--model",
                "--resume",
                "--schedule",
                "mlp-sgd, mlp-adam, deep-mlp, lenet, cnn",
                "convFkK[same]",
                "5 training diverged",
                "130 interrupted")) {
            assertTrue(help.out().contains(text), text);
        }
    }

    /** Requests a stop at the end of the {@code n}-th batch of the run. */
    static Callback stopAtBatch(int n, StopSignal signal) {
        return new Callback() {
            int batches;

            @Override
            public void onBatchEnd(int batch, Logs logs) {
                if (++batches == n) {
                    signal.request();
                }
            }
        };
    }

    static String[] args(String... more) {
        return Stream.concat(Stream.of(SMALL), Stream.of(more)).toArray(String[]::new);
    }

    static void assertSameModel(Path expected, Path actual) {
        try (Model a = Model.load(expected);
                Model b = Model.load(actual)) {
            List<float[]> wa = a.getWeights();
            List<float[]> wb = b.getWeights();
            assertEquals(wa.size(), wb.size());
            for (int i = 0; i < wa.size(); i++) {
                assertArrayEquals(wa.get(i), wb.get(i), "weight " + i + " differs");
            }
            assertEquals(a.optimizer().iterations(), b.optimizer().iterations());
        }
    }
}
