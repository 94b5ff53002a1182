package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.nn.Model;
import dev.nabla.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver saves the model, the optimizer's state and the run's position after every round: a run
 * stopped mid-epoch and started again with the same settings and checkpoint resumes after the last
 * saved round and ends with the weights and history of a run that was never stopped (Adam, k = 2,
 * shuffled: everything that the resumed rounds depend on comes back).
 */
class CheckpointResumeTest {
    @RegisterExtension
    static final LocalSpark spark = new LocalSpark("local[2]");

    @Test
    void aStoppedRunResumesFromItsLastRoundAndEndsAsAnUninterruptedRun(@TempDir Path dir) {
        JavaRDD<Sample> samples = spark.context().parallelize(Fixtures.blobs(96), 2);
        Path checkpoint = dir.resolve("run/model.nabla");
        try (Model whole = Fixtures.model(() -> new Adam(0.01), null);
                Model stopped = Fixtures.model(() -> new Adam(0.01), whole);
                Model resumed = Fixtures.model(() -> new Adam(0.01), null)) {
            SparkHistory uninterrupted = trainer(whole).fit(samples);
            assertEquals(6, uninterrupted.rounds().size(), "48 samples per partition, 6 steps, 3 rounds per epoch");

            SparkHistory first = trainer(stopped)
                    .checkpoint(checkpoint)
                    .callbacks(new StopAfterRounds(4)) // mid-epoch 2
                    .fit(samples);
            assertEquals(4, first.rounds().size());
            assertTrue(Files.isRegularFile(checkpoint));

            SparkHistory second = trainer(resumed).checkpoint(checkpoint).fit(samples);
            assertEquals(4, second.resumedAtRound());
            assertEquals(2, second.rounds().size());

            List<float[]> expected = whole.getWeights();
            List<float[]> actual = resumed.getWeights();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "weight " + i);
            }
            assertEquals(whole.optimizer().iterations(), resumed.optimizer().iterations());
            assertEquals(uninterrupted.history().epochs(), second.history().epochs());
            for (String key : List.of("loss", "accuracy")) {
                List<Double> a = uninterrupted.history().get(key);
                List<Double> b = second.history().get(key);
                for (int e = 0; e < a.size(); e++) {
                    assertEquals(a.get(e), b.get(e), 1e-6, key + " of epoch " + e);
                }
            }
        }
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefusedByName(@TempDir Path dir) {
        JavaRDD<Sample> samples = spark.context().parallelize(Fixtures.blobs(96), 2);
        Path checkpoint = dir.resolve("model.nabla");
        try (Model a = Fixtures.model(() -> new Adam(0.01), null);
                Model b = Fixtures.model(() -> new Adam(0.01), null)) {
            trainer(a).epochs(1).checkpoint(checkpoint).fit(samples);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> trainer(b).batchSize(4).checkpoint(checkpoint).fit(samples));
            assertEquals(
                    "checkpoint " + checkpoint + " was written with batch_size 8; expected this run's 4 (resume with "
                            + "the same settings and partitions, or delete the checkpoint to start afresh)",
                    e.getMessage());
        }
    }

    private static SparkTrainer trainer(Model model) {
        return new SparkTrainer(spark.context(), model)
                .batchSize(8)
                .localSteps(2)
                .epochs(2)
                .seed(3)
                .verbose(0);
    }

    /** Asks the run to stop after {@code rounds} rounds, as a killed job would stop (minus the kill). */
    static final class StopAfterRounds extends Callback {
        private final int rounds;
        private int seen;

        StopAfterRounds(int rounds) {
            this.rounds = rounds;
        }

        @Override
        public void onBatchEnd(int batch, Logs logs) {
            if (++seen == rounds) {
                model().stopTraining(true);
            }
        }
    }
}
