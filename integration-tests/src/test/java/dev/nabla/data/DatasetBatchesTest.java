package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.backend.DType;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.LiveBuffers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Dataset's tensor side (uploading batches, reading tensors), on the CPU backend. */
class DatasetBatchesTest {
    private final Backend cpu = Backends.get("cpu", 0);

    /** n samples with features {2, 1} = (i, −i) and one-hot targets {3} of class i mod 3. */
    private static Dataset numbered(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return Dataset.of(x, new int[] {2, 1}, y, new int[] {}).toCategorical(3);
    }

    @Test
    void aBatchKeepsItsValuesWhenTheNextOneIsServed() {
        Dataset data = numbered(12);
        Iterator<Batch> batches = data.batches(4, true, 5, cpu).iterator();
        try (Batch first = batches.next()) {
            float[] before = first.x().toFloatArray();
            try (Batch second = batches.next()) {
                assertNotEquals(before[0], second.x().toFloatArray()[0]);
                assertArrayEquals(
                        before, first.x().toFloatArray(), "the first batch's tensor is a copy of the gathered rows");
            }
        }
    }

    @Test
    void servingABatchAllocatesNoHostArraysOfItsSize() {
        int n = 2048, features = 784;
        Dataset data = Dataset.of(new float[n * features], new int[] {features}, new float[n], new int[] {})
                .toCategorical(10);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean counting)) {
            return; // not HotSpot: nothing counts allocations
        }
        for (int warm = 0; warm < 3; warm++) {
            for (Batch batch : data.batches(128, true, warm, cpu)) {
                batch.close();
            }
        }
        long thread = Thread.currentThread().getId();
        Iterator<Batch> epoch =
                data.batches(128, true, 9, cpu).iterator(); // its order and its two host arrays: once an epoch
        long before = counting.getThreadAllocatedBytes(thread);
        while (epoch.hasNext()) {
            epoch.next().close();
        }
        long perBatch = (counting.getThreadAllocatedBytes(thread) - before) / (n / 128);
        // one batch's features alone are 128 × 784 × 4 = 401,408 bytes; what remains is tensor objects
        assertTrue(perBatch < 8_192, perBatch + " bytes allocated per batch");
    }

    @Test
    void batchesHaveTheSampleAxisFirstAndTheLastOneIsSmaller() {
        Dataset data = numbered(10);
        List<int[]> xShapes = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Float> firstIds = new ArrayList<>();
        for (Batch batch : data.batches(4, false, 0, cpu)) {
            try (batch) {
                xShapes.add(batch.x().shape());
                sizes.add(batch.size());
                assertEquals(DType.FLOAT32, batch.x().dtype());
                assertEquals(DType.FLOAT32, batch.y().dtype());
                assertEquals(cpu, batch.x().backend());
                assertArrayEquals(new int[] {batch.size(), 3}, batch.y().shape());
                firstIds.add(batch.x().toFloatArray()[0]);
            }
        }
        assertEquals(List.of(4, 4, 2), sizes);
        assertArrayEquals(new int[] {4, 2, 1}, xShapes.get(0));
        assertArrayEquals(new int[] {2, 2, 1}, xShapes.get(2));
        assertEquals(List.of(0f, 4f, 8f), firstIds, "unshuffled batches keep the order");
        assertEquals(3, data.batchCount(4));
    }

    @Test
    void valuesArriveWithTheirTargets() {
        Dataset data = numbered(7);
        for (Batch batch : data.batches(3, true, 5, cpu)) {
            try (batch) {
                float[] x = batch.x().toFloatArray();
                float[] y = batch.y().toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    int id = (int) x[2 * i];
                    assertEquals(-id, x[2 * i + 1]);
                    float[] oneHot = new float[3];
                    oneHot[id % 3] = 1;
                    assertArrayEquals(oneHot, Arrays.copyOfRange(y, 3 * i, 3 * i + 3), "targets of sample " + id);
                }
            }
        }
    }

    @Test
    void aShuffledEpochServesEverySampleOnceInAnOrderFixedByTheSeed() {
        Dataset data = numbered(50);
        List<Integer> epoch0 = order(data, 0);
        List<Integer> sorted = new ArrayList<>(epoch0);
        sorted.sort(null);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted.get(i));
        }
        assertEquals(epoch0, order(data, 0), "same seed, same order");
        assertNotEquals(epoch0, order(data, 1), "seed + epoch gives a new order");
        assertEquals(ids(data.shuffled(0)), epoch0, "the same permutation as shuffled(seed)");
    }

    @Test
    void theIterableCanBeWalkedAgainAndEndsCleanly() {
        Iterable<Batch> batches = numbered(3).batches(2, true, 9, cpu);
        for (int pass = 0; pass < 2; pass++) {
            Iterator<Batch> it = batches.iterator();
            it.next().close();
            it.next().close();
            assertEquals(false, it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void closingABatchReleasesBothTensors() {
        long before = LiveBuffers.settled(cpu);
        Batch batch = numbered(5).batches(5, false, 0, cpu).iterator().next();
        assertEquals(before + 2, cpu.memoryStats().liveBuffers());
        batch.close();
        assertTrue(batch.x().isClosed() && batch.y().isClosed());
        assertEquals(before, cpu.memoryStats().liveBuffers());
        batch.close(); // idempotent
    }

    @Test
    void aResidentDataSetServesTheHostBatchesValueForValueShuffledOrNotTheLastOneShort() {
        Dataset data = numbered(11);
        try (ResidentDataset resident = data.resident(cpu)) {
            assertEquals(11, resident.size());
            for (boolean shuffle : new boolean[] {true, false}) {
                for (long seed : new long[] {3, 4}) { // a second pass writes its own order
                    List<Batch> host = new ArrayList<>(), device = new ArrayList<>();
                    data.batches(4, shuffle, seed, cpu).forEach(host::add);
                    resident.batches(4, shuffle, seed).forEach(device::add);
                    assertEquals(3, device.size(), "4 + 4 + 3 samples");
                    for (int i = 0; i < host.size(); i++) {
                        try (Batch h = host.get(i);
                                Batch d = device.get(i)) {
                            assertEquals(h.size(), d.size());
                            assertArrayEquals(h.x().shape(), d.x().shape());
                            assertArrayEquals(h.y().shape(), d.y().shape());
                            assertArrayEquals(h.x().toFloatArray(), d.x().toFloatArray());
                            assertArrayEquals(h.y().toFloatArray(), d.y().toFloatArray());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aResidentDataSetHoldsThreeBuffersUntilClosed() {
        long before = LiveBuffers.settled(cpu);
        ResidentDataset resident = numbered(9).resident(cpu);
        assertEquals(before + 3, cpu.memoryStats().liveBuffers(), "features, targets and the order");
        try (Batch batch = resident.batches(9, true, 1).iterator().next()) {
            assertEquals(before + 5, cpu.memoryStats().liveBuffers());
        }
        resident.close();
        assertEquals(before, cpu.memoryStats().liveBuffers());
        assertThrows(IllegalArgumentException.class, () -> numbered(3).resident(null));
        try (ResidentDataset again = numbered(3).resident(cpu)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> again.batches(0, false, 0));
            assertTrue(e.getMessage().contains("expected a positive number of samples"), e.getMessage());
        }
    }

    @Test
    void labelTargetsUploadAsAVector() {
        Dataset labels = Dataset.of(new float[6], new int[] {2}, new float[] {2, 0, 1}, new int[] {});
        try (Batch batch = labels.batches(8, false, 0, cpu).iterator().next()) {
            assertArrayEquals(new int[] {3}, batch.y().shape());
            assertArrayEquals(new float[] {2, 0, 1}, batch.y().toFloatArray());
        }
    }

    @Test
    void ofTensorsTakesTheFirstAxisAsTheSampleAxis() {
        try (Tensor x = Tensor.on(cpu).of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 2, 2);
                Tensor y = Tensor.on(cpu).of(new int[] {4, 0, 9}, 3)) {
            Dataset data = Dataset.of(x, y);
            assertEquals(3, data.size());
            assertArrayEquals(new int[] {2, 2}, data.featureShape());
            assertArrayEquals(new int[] {}, data.targetShape());
            assertArrayEquals(new float[] {4, 0, 9}, data.targets());
            assertArrayEquals(new int[] {4, 0, 9}, data.labels());
        }
        try (Tensor x = Tensor.on(cpu).of(new float[] {1, 2, 3, 4}, 2, 2);
                Tensor y = Tensor.on(cpu).of(new float[] {1, 0, 0, 1}, 2, 2)) {
            Dataset data = Dataset.of(x.t(), y); // a non-contiguous view reads in logical order
            assertArrayEquals(new float[] {1, 3, 2, 4}, data.features());
            assertArrayEquals(new int[] {2}, data.targetShape());
        }
    }

    @Test
    void ofTensorsRejectsDifferentFirstAxes() {
        try (Tensor x = Tensor.on(cpu).zeros(4, 3);
                Tensor y = Tensor.on(cpu).zeros(5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(x, y));
            assertTrue(
                    e.getMessage().contains("x has 4 samples") && e.getMessage().contains("y has 5"), e.getMessage());
        }
        try (Tensor x = Tensor.on(cpu).scalar(1);
                Tensor y = Tensor.on(cpu).zeros(1)) {
            assertThrows(IllegalArgumentException.class, () -> Dataset.of(x, y));
        }
    }

    @Test
    void batchesNeedABackendAndAPositiveSize() {
        Dataset data = numbered(3);
        assertThrows(IllegalArgumentException.class, () -> data.batches(0, false, 0, cpu));
        assertThrows(IllegalArgumentException.class, () -> data.batches(2, false, 0, null));
    }

    private List<Integer> order(Dataset data, long seed) {
        List<Integer> out = new ArrayList<>();
        for (Batch batch : data.batches(8, true, seed, cpu)) {
            try (batch) {
                float[] x = batch.x().toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    out.add((int) x[2 * i]);
                }
            }
        }
        return out;
    }

    private static List<Integer> ids(Dataset data) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            out.add((int) data.features()[2 * i]);
        }
        return out;
    }
}
