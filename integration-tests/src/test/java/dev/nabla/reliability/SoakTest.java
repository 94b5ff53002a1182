package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.MemoryStats;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.BatchNormalization;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.LiveBuffers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long run of small training steps leaks nothing: the backend's live buffers are the same at
 * every sample, nothing new is allocated from the device after the first epoch, the heap after a
 * collection shows no upward trend, and the Cleaner backstop releases nothing.
 *
 * <p>100,000 steps by default (20 to 80 s on two cores, depending on their load); {@code -Dnabla.soak.steps=N} changes the
 * count, e.g. for a quick local run or an overnight one.
 */
class SoakTest {
    private static final int STEPS = Integer.getInteger("nabla.soak.steps", 100_000);
    private static final int BATCH = 4;
    private static final int STEPS_PER_EPOCH = 50;
    private static final int SAMPLES = 16;

    @Test
    void manySmallStepsLeaveBuffersHeapAndCleanerFlat() throws Exception {
        Backend device = CpuBackendProvider.createIsolated();
        Dataset data = Fixture.blobs(BATCH * STEPS_PER_EPOCH, 3);
        int epochs = Math.max(2, STEPS / STEPS_PER_EPOCH);
        int every = Math.max(1, epochs / SAMPLES);
        List<long[]> samples = new ArrayList<>(); // {epoch, live buffers, driver allocations, heap bytes}
        LiveBuffers.settle();
        long cleanerBefore = Tensor.cleanerReleases();
        long start = System.nanoTime();
        RandomSeed.set(2);
        try (Sequential model =
                new Sequential(new Dense(8, "relu").inputShape(4), new BatchNormalization(), new Dense(3, "softmax"))) {
            model.backend(device);
            model.compile(new Adam(0.01).clipnorm(1.0), new SparseCategoricalCrossentropy(), "accuracy");
            Callback sampler = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Logs logs) {
                    if (epoch % every == 0 || epoch == epochs - 1) {
                        MemoryStats stats = device.memoryStats();
                        samples.add(
                                new long[] {epoch, stats.liveBuffers(), stats.driverAllocations(), heapAfterCollection()
                                });
                    }
                }
            };
            model.fit(
                    data,
                    new FitOptions()
                            .batchSize(BATCH)
                            .epochs(epochs)
                            .seed(1)
                            .verbose(0)
                            .callbacks(sampler));
            assertEquals((long) epochs * STEPS_PER_EPOCH, model.optimizer().iterations());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LiveBuffers.settle();
        long cleanerAfter = Tensor.cleanerReleases();
        MemoryStats end = device.memoryStats();
        device.close();

        StringBuilder table = new StringBuilder();
        for (long[] s : samples) {
            table.append(String.format(
                    "%n  step %7d: %3d live buffers, %4d device allocations, heap %6.1f MB",
                    (s[0] + 1) * STEPS_PER_EPOCH, s[1], s[2], s[3] / 1e6));
        }
        System.out.printf(
                "[reliability] soak: %d steps in %.1f s (%.0f steps/s)%s%n",
                (long) epochs * STEPS_PER_EPOCH, seconds, epochs * STEPS_PER_EPOCH / seconds, table);

        long[] first = samples.get(0);
        for (long[] s : samples) {
            assertEquals(first[1], s[1], "live buffers at step " + (s[0] + 1) * STEPS_PER_EPOCH + table);
            assertEquals(first[2], s[2], "allocations from the device after the first epoch" + table);
        }
        assertEquals(0, end.liveBuffers(), "everything released when the model is closed");
        assertEquals(cleanerBefore, cleanerAfter, "buffers the Cleaner backstop had to release");
        // heap: the later half of the samples may not sit above the earlier half by more than noise
        int half = samples.size() / 2;
        double early =
                samples.subList(1, half).stream().mapToLong(s -> s[3]).average().orElseThrow();
        double late = samples.subList(half, samples.size()).stream()
                .mapToLong(s -> s[3])
                .average()
                .orElseThrow();
        assertTrue(
                late - early < 8e6,
                String.format("heap grew from %.1f MB to %.1f MB on average%s", early / 1e6, late / 1e6, table));
    }

    private static long heapAfterCollection() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
