package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.nn.Model;
import dev.nabla.optim.SGD;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task that fails is retried by Spark ({@code local[2,2]}: two task slots, up to 2 attempts per
 * task) and recomputes the same update from the same broadcast: a run in which partition 1's task
 * throws in round 3 ends with exactly the weights of a run without the fault.
 */
class FaultToleranceTest {
    @RegisterExtension
    static final LocalSpark spark = new LocalSpark("local[2,2]");

    @Test
    void aTaskThatThrowsOnceIsRetriedAndTheRunEndsWithTheWeightsOfARunWithoutTheFault() {
        JavaRDD<Sample> samples = spark.context().parallelize(Fixtures.blobs(96), 2);
        try (Model clean = Fixtures.model(() -> new SGD(0.1, 0.9, false), null);
                Model faulty = Fixtures.model(() -> new SGD(0.1, 0.9, false), clean)) {
            SparkHistory withoutFault = trainer(clean).fit(samples);
            SparkHistory withFault = trainer(faulty)
                    .taskHook((round, partition) -> {
                        if (round == 3 && partition == 1 && TaskContext.get().attemptNumber() == 0) {
                            throw new IllegalStateException("injected fault in round 3, partition 1");
                        }
                    })
                    .fit(samples);

            assertEquals(0, withoutFault.rounds().get(3).retriedTasks());
            assertEquals(1, withFault.rounds().get(3).retriedTasks(), "round 3's task of partition 1 ran twice");
            assertEquals(
                    1,
                    withFault.rounds().stream().mapToInt(RoundLog::retriedTasks).sum(),
                    "no other task was retried");
            List<float[]> expected = clean.getWeights();
            List<float[]> actual = faulty.getWeights();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), "weight " + i);
            }
            assertEquals(
                    withoutFault.history().history(), withFault.history().history(), "the same losses and metrics");
        }
    }

    private static SparkTrainer trainer(Model model) {
        return new SparkTrainer(spark.context(), model)
                .batchSize(8)
                .localSteps(2)
                .epochs(2)
                .seed(11)
                .verbose(0);
    }
}
