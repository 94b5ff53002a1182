package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.optim.Adam;
import dev.nabla.optim.SGD;
import dev.nabla.samples.Captured;
import dev.nabla.samples.StderrLine;
import dev.nabla.samples.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network too large for the memory is refused before anything is allocated, in one line naming its parameters,
 * the memory it needs and has, and the remedy (exit 2), instead of failing in the middle of building it.
 */
class ModelMemoryTest {
    static final double GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void aModelLargerThanTheHeapIsRefusedBeforeItIsBuilt() {
        NetworkSpec huge = NetworkSpec.parse("784-100000-100000-10");
        assumeTrue(TrainCli.bytesNeeded(huge, 2, 128) > Runtime.getRuntime().maxMemory(), "a heap of 150 GiB");
        Path out = dir.resolve("out");
        Captured run = Captured.run(
                () -> TrainCli.run("--backend", "cpu", "--model", "784-100000-100000-10", "--out", out.toString()));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        String line = StderrLine.of(run);
        assertTrue(
                line.matches("nabla-train: --model 784-100000-100000-10 has 10,079,600,010 parameters: its "
                        + "weights, gradients and Adam state \\(2 values per parameter\\) need about 150\\.5 GiB, but the Java "
                        + "heap holds at most [0-9.]+ GiB; use a smaller --model or --batch-size, "
                        + "or give the JVM more memory, e.g. JAVA_OPTS=-Xmx[0-9]+g \\(try --help\\)"),
                line);
        assertFalse(Files.exists(out.resolve(Checkpoint.MODEL_FILE)), "nothing trained");
    }

    @Test
    void runningOutOfMemoryWhileTrainingIsOneLineToo() {
        Callback exhausted = new Callback() {
            @Override
            public void onBatchEnd(int batch, Logs logs) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        Captured run = Captured.run(() -> TrainCli.run(
                new String[] {
                    "--backend",
                    "cpu",
                    "--model",
                    "784-8-10",
                    "--samples",
                    "100",
                    "--verbose",
                    "0",
                    "--out",
                    dir.resolve("oom").toString()
                },
                new StopSignal(),
                exhausted));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-train: out of memory while training (Java heap space); lower --batch-size, use a smaller "
                        + "--model, or give the JVM more memory with JAVA_OPTS=-Xmx… (try --help)",
                StderrLine.of(run));
    }

    @Test
    void theRefusalCountsTheOptimizersState() {
        NetworkSpec spec = NetworkSpec.parse("784-20000-20000-10");
        assertEquals(415_920_010L, spec.parameterCount());
        try (SGD sgd = new SGD(0.01);
                Adam adam = new Adam(0.001)) {
            assertEquals(
                    "--model 784-20000-20000-10 has 415,920,010 parameters: its weights and gradients need about "
                            + "3.2 GiB, but the Java heap has 2.0 GiB available (of at most 4.0 GiB); use a smaller --model or "
                            + "--batch-size, or give the JVM more memory, e.g. JAVA_OPTS=-Xmx7g",
                    TrainCli.memoryRefusal(spec, "784-20000-20000-10", sgd, 128, 2L << 30, 4L << 30));
            assertNull(
                    TrainCli.memoryRefusal(spec, "784-20000-20000-10", sgd, 128, 4L << 30, 4L << 30),
                    "3.2 GiB fit in 4");
            assertTrue(TrainCli.memoryRefusal(spec, "784-20000-20000-10", adam, 128, 4L << 30, 4L << 30)
                    .contains("its weights, gradients and Adam state (2 values per parameter) need about 6.3 GiB"));
        }
    }

    @Test
    void aWeightMatrixLargerThanATensorIsNamed() {
        assertEquals(
                "layer 3 (50000 → 50000 units) has 2,500,000,000 weights",
                NetworkSpec.parse("784-50000-dropout0.5-50000-10").oversizedLayer(TrainCli.TENSOR_LIMIT),
                "layers count from the first after the input, dropout included");
        assertNull(NetworkSpec.parse("784-512-10").oversizedLayer(TrainCli.TENSOR_LIMIT));
    }
}
