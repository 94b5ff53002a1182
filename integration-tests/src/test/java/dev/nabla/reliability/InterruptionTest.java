package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.ModelCheckpoint;
import dev.nabla.nn.Model;
import dev.nabla.nn.Sequential;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training job killed in the middle of an epoch resumes from its last checkpoint and ends with
 * exactly the weights (and optimizer state) of a run that was never interrupted: same seed, the
 * deterministic CPU backend, {@code initialEpoch} from the checkpoint's step count.
 */
class InterruptionTest {
    private static List<float[]> uninterrupted;
    private static long uninterruptedSteps;

    @BeforeAll
    static void trainWithoutInterruption() {
        try (Sequential model = TrainingJob.model()) {
            model.fit(TrainingJob.DATA, TrainingJob.options(0));
            uninterrupted = model.getWeights();
            uninterruptedSteps = model.optimizer().iterations();
        }
        assertEquals((long) TrainingJob.EPOCHS * TrainingJob.stepsPerEpoch(), uninterruptedSteps);
    }

    private static void sameAsUninterrupted(Model resumed) {
        assertEquals(uninterruptedSteps, resumed.optimizer().iterations());
        List<float[]> weights = resumed.getWeights();
        assertEquals(uninterrupted.size(), weights.size());
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(
                    uninterrupted.get(i),
                    weights.get(i),
                    "weight " + resumed.weights().get(i).name());
        }
    }

    @Test
    void aRunThatCrashesMidEpochResumesFromItsCheckpointToTheSameWeights(@TempDir Path dir) {
        Path checkpoint = dir.resolve("ckpt.nabla");
        try (Sequential model = TrainingJob.model()) {
            // the crash: an exception at batch 3 of epoch 2 (counted from 0); that epoch's work is lost.
            // (stopTraining would not do: like Keras, fit still ends the epoch, and the checkpoint saves it.)
            IllegalStateException crash = assertThrows(
                    IllegalStateException.class,
                    () -> model.fit(
                            TrainingJob.DATA,
                            TrainingJob.options(0, new ModelCheckpoint(checkpoint), TrainingJob.at(2, 3, () -> {
                                throw new IllegalStateException("simulated crash");
                            }))));
            assertEquals("simulated crash", crash.getMessage());
            assertEquals(2L * TrainingJob.stepsPerEpoch() + 4, model.optimizer().iterations(), "stopped mid-epoch");
        }
        try (Model resumed = TrainingJob.resume(checkpoint)) {
            sameAsUninterrupted(resumed);
        }
    }

    @Test
    void aKilledChildJvmResumesFromItsCheckpointToTheSameWeights(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("ckpt.nabla");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            // as the launchers start a job (without the flag the native loops give the same bits:
            // ReproducibleFitTest)
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                TrainingJob.class.getName(),
                checkpoint.toString(),
                "3",
                "5"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.equals("stopping")) {
                seen.append(line).append('\n');
            }
            assertEquals("stopping", line, "the job reached epoch 3, batch 5; it printed:\n" + seen);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(Files.exists(checkpoint));
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("ckpt.nabla"),
                    files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left next to the checkpoint");
        }
        try (Model resumed = TrainingJob.resume(checkpoint)) {
            sameAsUninterrupted(resumed);
        }
    }
}
