package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backends;
import dev.nabla.data.Idx;
import dev.nabla.data.IdxArray;
import dev.nabla.data.Mnist;
import dev.nabla.nn.Model;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/bin/nabla-spark-train as a user runs it (with this test's class path as NABLA_CLASSPATH, so
 * that it does not build): it trains in Spark local mode, printing a line per round and the test
 * accuracy, on a small data set in Fashion-MNIST's file format (CI has no Fashion-MNIST); a bad option
 * or a missing data folder is one line on standard error with exit code 2 or 3; a job killed with SIGKILL
 * resumes from its checkpoint to the weights of a job that was never killed.
 */
class SparkTrainLauncherTest {
    record Result(int exitCode, String out, String err) {}

    @Test
    void trainsInLocalModeAndPrintsEachRoundAndTheTestAccuracy(@TempDir Path dir) throws Exception {
        writeImages(dir, Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, 512, 1);
        writeImages(dir, Mnist.TEST_IMAGES, Mnist.TEST_LABELS, 128, 2);
        Result r = run(
                "--data",
                dir.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "32",
                "--local-steps",
                "2",
                "--learning-rate",
                "0.001");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("master local[2]: 512 training samples in 2 partitions"), r.out());
        for (int round = 1; round <= 4; round++) {
            assertTrue(r.out().contains("Epoch 1/1 - round " + round + "/4 - "), "round " + round + ":\n" + r.out());
        }
        assertTrue(r.out().contains("test accuracy: "), r.out());
    }

    @Test
    void aKilledJobResumesFromItsLastRoundToTheWeightsOfAnUninterruptedJob(@TempDir Path dir) throws Exception {
        writeImages(dir, Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, 512, 1);
        writeImages(dir, Mnist.TEST_IMAGES, Mnist.TEST_LABELS, 128, 2);
        Path whole = dir.resolve("whole/model.nabla");
        Path killed = dir.resolve("killed/model.nabla");
        List<String> options = List.of(
                "--data",
                dir.toString(),
                "--epochs",
                "2",
                "--batch-size",
                "32",
                "--local-steps",
                "2",
                "--learning-rate",
                "0.001",
                "--verbose",
                "1");

        Result uninterrupted = run(with(options, "--checkpoint", whole.toString()));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.out() + uninterrupted.err());

        // SIGKILL once the second epoch's first round is printed: its checkpoint may or may not be written
        Process job = start(with(options, "--checkpoint", killed.toString()));
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(job.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.append(line).append('\n');
                if (line.startsWith("Epoch 2/2 - round 1/4")) {
                    job.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(job.waitFor(1, TimeUnit.MINUTES));
        assertTrue(seen.toString().contains("Epoch 2/2 - round 1/4"), seen.toString());
        assertTrue(Files.isRegularFile(killed), "the killed job left its last checkpoint");

        Result resumed = run(with(options, "--checkpoint", killed.toString()));
        assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("; resuming at round "), resumed.out());
        assertFalse(resumed.out().contains("Epoch 1/2 - round 1/4"), "epoch 1 is not trained again:\n" + resumed.out());
        try (Model a = Model.load(whole, Backends.get("cpu", 0));
                Model b = Model.load(killed, Backends.get("cpu", 0))) {
            List<float[]> expected = a.getWeights();
            List<float[]> actual = b.getWeights();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "weight " + i);
            }
            assertEquals(a.optimizer().iterations(), b.optimizer().iterations());
        }
    }

    private static String[] with(List<String> options, String... more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void aBadOptionIsOneLineWithExitCode2() throws Exception {
        Result r = run("--epochs", "0");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(List.of("nabla-spark-train: --epochs is '0'; expected a positive integer"), launcherLines(r));
    }

    @Test
    void aMissingDataFolderIsOneLineWithExitCode3(@TempDir Path dir) throws Exception {
        Result r = run("--data", dir.resolve("absent").toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        List<String> lines = launcherLines(r);
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("nabla-spark-train: cannot read Fashion-MNIST from "), lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    /** Images whose brightest column band is their label, so that a network can learn them. */
    private static void writeImages(Path dir, String images, String labels, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 784];
        byte[] classes = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(10);
            classes[i] = (byte) label;
            for (int p = 0; p < 784; p++) {
                int column = p % 28;
                int base = column / 3 == label ? 200 : 20;
                pixels[i * 784 + p] = (byte) Math.min(255, base + random.nextInt(50));
            }
        }
        Idx.write(dir.resolve(images + ".gz"), IdxArray.ofUnsignedBytes(new int[] {n, 28, 28}, pixels));
        Idx.write(dir.resolve(labels + ".gz"), IdxArray.ofUnsignedBytes(new int[] {n}, classes));
    }

    private static List<String> launcherLines(Result r) {
        List<String> lines = new ArrayList<>();
        for (String line : r.err().split("\n")) {
            if (line.startsWith("nabla-spark-train")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The launcher, started with standard error merged into standard output. */
    private static Process start(String... args) throws IOException {
        return launcher(args).redirectErrorStream(true).start();
    }

    private static ProcessBuilder launcher(String... args) {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        List<String> command = new ArrayList<>(
                List.of("sh", root.resolve("samples/bin/nabla-spark-train").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NABLA_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().remove("JAVA_OPTS");
        return pb;
    }

    private static Result run(String... args) throws Exception {
        ProcessBuilder pb = launcher(args);
        Path out = Files.createTempFile("nabla-spark-train", ".out");
        Path err = Files.createTempFile("nabla-spark-train", ".err");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("nabla-spark-train did not end within 3 minutes");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
