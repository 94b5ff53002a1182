package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The trainer on a real multi-process cluster on this machine: Spark's {@code local-cluster[2,1,1024]}
 * runs a standalone master and two workers in this JVM, and each worker starts an executor JVM of its
 * own, so weights, data and updates cross process boundaries as on a cluster. The executors take this
 * test's class path ({@code spark.executor.extraClassPath}); their worker needs a Spark home to start
 * them from, for which an empty folder serves (SPARK_HOME, set by this module's surefire configuration).
 * Synchronous SGD there gives the single-process weights, as in {@link SynchronousSgdEquivalenceTest}.
 */
class LocalClusterTest {
    @Test
    void trainsOnTwoExecutorProcessesAndMatchesSingleProcessSgd() throws Exception {
        sparkHome();
        JavaSparkContext sc = new JavaSparkContext(Fixtures.conf("local-cluster[2,1,1024]")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.memory", "768m")
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .set("spark.executor.extraJavaOptions", "-Dnabla.cpu.threads=1"));
        try {
            awaitExecutors(sc, 2);
            Set<Long> pids = new TreeSet<>(sc.parallelize(List.of(1, 2, 3, 4), 2)
                    .map(i -> ProcessHandle.current().pid())
                    .collect());
            assertFalse(pids.contains(ProcessHandle.current().pid()), "tasks ran outside the driver: " + pids);

            int perPartition = 32;
            int batch = 8;
            List<Sample> samples = Fixtures.blobs(2 * perPartition);
            try (Model distributed = Fixtures.model(() -> new SGD(0.1), null);
                    Model single = Fixtures.model(() -> new SGD(0.1), distributed)) {
                SparkHistory h = new SparkTrainer(sc, distributed)
                        .batchSize(batch)
                        .epochs(2)
                        .shuffle(false)
                        .verbose(0)
                        .fit(sc.parallelize(samples, 2));
                List<Sample> globalOrder = new ArrayList<>();
                for (int step = 0; step < perPartition / batch; step++) {
                    for (int partition = 0; partition < 2; partition++) {
                        int from = partition * perPartition + step * batch;
                        globalOrder.addAll(samples.subList(from, from + batch));
                    }
                }
                single.fit(
                        Fixtures.dataset(globalOrder),
                        new FitOptions()
                                .batchSize(2 * batch)
                                .epochs(2)
                                .shuffle(false)
                                .verbose(0));
                assertEquals(8, h.rounds().size());
                double difference = Fixtures.maxDifference(single.getWeights(), distributed.getWeights());
                assertTrue(difference < 1e-5, "local-cluster and single-process weights differ by " + difference);
            }
        } finally {
            sc.stop();
        }
    }

    /** The Spark home the in-process worker launches executors from: an empty folder with jars/ will do. */
    private static void sparkHome() throws IOException {
        String home = System.getenv("SPARK_HOME");
        assertNotNull(
                home,
                "SPARK_HOME is not set: run this test through Maven (the spark module's surefire configuration sets "
                        + "it to target/spark-home), or set it to an empty folder");
        Files.createDirectories(Path.of(home, "jars"));
    }

    private static void awaitExecutors(JavaSparkContext sc, int executors) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (sc.sc().getExecutorMemoryStatus().size() < executors + 1) { // the driver counts as one
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the executors did not register within 90 s; "
                        + sc.sc().getExecutorMemoryStatus().size() + " block managers (driver included)");
            }
            Thread.sleep(200);
        }
    }
}
