package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.History;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With k = 1 local step and plain SGD, parameter averaging is synchronous SGD: each partition's loss
 * is a mean over its b samples, the global batch's loss the mean over 2b, so the mean of the two
 * partitions' one-step updates from the same weights is the one step of the global batch's mean
 * gradient. Two partitions of b = 8 for 3 epochs give the weights of single-process {@code fit} with
 * batch 16 over the same data order: global batch i is partition 0's batch i, then partition 1's.
 */
class SynchronousSgdEquivalenceTest {
    static final int PER_PARTITION = 64;
    static final int BATCH = 8;
    static final int EPOCHS = 3;

    @RegisterExtension
    static final LocalSpark spark = new LocalSpark("local[2]");

    @Test
    void oneLocalStepOfPlainSgdOnTwoPartitionsIsSingleProcessFitWithTheDoubleBatch() {
        List<Sample> samples = Fixtures.blobs(2 * PER_PARTITION);
        try (Model distributed = Fixtures.model(() -> new SGD(0.1), null);
                Model single = Fixtures.model(() -> new SGD(0.1), distributed)) {
            List<float[]> initial = distributed.getWeights();

            SparkHistory averaged = new SparkTrainer(spark.context(), distributed)
                    .batchSize(BATCH)
                    .localSteps(1)
                    .epochs(EPOCHS)
                    .shuffle(false)
                    .verbose(0)
                    .fit(spark.context().parallelize(samples, 2)); // partition 0: samples 0–63, partition 1: 64–127

            // the same samples in the order of the global batches: 8 of partition 0, then 8 of partition 1
            List<Sample> globalOrder = new ArrayList<>();
            for (int step = 0; step < PER_PARTITION / BATCH; step++) {
                for (int partition = 0; partition < 2; partition++) {
                    int from = partition * PER_PARTITION + step * BATCH;
                    globalOrder.addAll(samples.subList(from, from + BATCH));
                }
            }
            History reference = single.fit(
                    Fixtures.dataset(globalOrder),
                    new FitOptions()
                            .batchSize(2 * BATCH)
                            .epochs(EPOCHS)
                            .shuffle(false)
                            .verbose(0));

            assertEquals(EPOCHS * PER_PARTITION / BATCH, averaged.rounds().size(), "one round per global step");
            double moved = Fixtures.maxDifference(initial, distributed.getWeights());
            assertTrue(
                    moved > 0.05,
                    "training moved the weights by " + moved + "; spark " + averaged + " reference " + reference);
            double difference = Fixtures.maxDifference(single.getWeights(), distributed.getWeights());
            assertTrue(difference < 1e-5, "distributed and single-process weights differ by " + difference);
            assertEquals(
                    single.optimizer().iterations(), distributed.optimizer().iterations());
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                assertEquals(
                        reference.get("loss").get(epoch),
                        averaged.history().get("loss").get(epoch),
                        1e-5,
                        "epoch " + epoch + "'s training loss");
            }
        }
    }
}
