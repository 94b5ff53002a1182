package dev.nabla.data;

import static dev.nabla.data.IdxTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Host-side behaviour of Dataset; uploading batches is tested with the CPU backend (backend-cpu). */
class DatasetTest {
    /** n samples: features {2} = (i, 10 i), label i mod 3. */
    static Dataset numbered(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i % 3;
        }
        return Dataset.of(x, new int[] {2}, y, new int[] {});
    }

    /** The sample numbers (first feature) of a numbered data set, in order. */
    static int[] ids(Dataset data) {
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) data.features()[i * data.featureSize()];
            assertEquals(10f * out[i], data.features()[i * data.featureSize() + 1], "features stay together");
            assertEquals(out[i] % 3, data.targets()[i], "targets follow their features");
        }
        return out;
    }

    @Test
    void ofCountsSamplesFromTheShapes() {
        Dataset data = Dataset.of(new float[12], new int[] {2, 3}, new float[2], new int[] {});
        assertEquals(2, data.size());
        assertArrayEquals(new int[] {2, 3}, data.featureShape());
        assertArrayEquals(new int[] {}, data.targetShape());
        assertEquals(6, data.featureSize());
        assertEquals(1, data.targetSize());
    }

    @Test
    void ofRejectsDifferentSampleCountsNamingBoth() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Dataset.of(new float[12], new int[] {4}, new float[20], new int[] {10}));
        assertContains(e, "3 samples", "2 samples", "[4]", "[10]");
        assertContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Dataset.of(new float[10], new int[] {4}, new float[2], new int[] {})),
                "10 values",
                "[4]");
        assertContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Dataset.of(new float[10], new int[] {0}, new float[2], new int[] {})),
                "extent ≤ 0");
    }

    @Test
    void rowsMakeSmallDataSets() {
        Dataset xor = Dataset.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new float[][] {{0}, {1}, {1}, {0}});
        assertEquals(4, xor.size());
        assertArrayEquals(new int[] {1}, xor.targetShape());
        assertArrayEquals(new float[] {0, 1, 1, 0}, xor.targets());
        assertContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Dataset.of(new float[][] {{0, 0}, {1}}, new float[][] {{0}, {1}})),
                "row 1",
                "expected 2");
    }

    @Test
    void theArraysAreSharedNotCopied() {
        float[] x = new float[4];
        float[] y = new float[2];
        Dataset data = Dataset.of(x, new int[] {2}, y, new int[] {});
        assertSame(x, data.features());
        assertSame(y, data.targets());
        assertSame(x, data.flatten().features());
    }

    @Test
    void subsetAndSlicePickSamplesWithTheirTargets() {
        Dataset data = numbered(6);
        assertArrayEquals(new int[] {5, 0, 5}, ids(data.subset(new int[] {5, 0, 5})));
        assertArrayEquals(new int[] {2, 3, 4}, ids(data.slice(2, 5)));
        assertEquals(0, data.slice(3, 3).size());
        assertContains(
                assertThrows(IndexOutOfBoundsException.class, () -> data.subset(new int[] {1, 6})),
                "index 1",
                "is 6",
                "[0, 6)");
        assertThrows(IndexOutOfBoundsException.class, () -> data.slice(4, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> data.slice(4, 3));
    }

    @Test
    void shuffledIsAPermutationFixedByTheSeed() {
        Dataset data = numbered(50);
        int[] a = ids(data.shuffled(7));
        assertArrayEquals(a, ids(data.shuffled(7)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(ids(data.shuffled(8))));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(ids(data), sorted);
    }

    @Test
    void trainTestSplitShufflesThenCutsByRatio() {
        Dataset data = numbered(10);
        Dataset[] parts = data.trainTestSplit(0.6, 3);
        assertEquals(6, parts[0].size());
        assertEquals(4, parts[1].size());
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : parts) {
            for (int id : ids(part)) {
                assertEquals(true, seen.add(id), "sample " + id + " appears twice");
            }
        }
        assertEquals(10, seen.size());
        assertArrayEquals(ids(parts[0]), ids(data.trainTestSplit(0.6, 3)[0]));
        assertArrayEquals(ids(data.shuffled(3).slice(0, 6)), ids(parts[0]), "first part of the same shuffle");
    }

    @Test
    void trainTestSplitRejectsRatiosOutsideTheOpenUnitInterval() {
        Dataset data = numbered(10);
        for (double ratio : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            assertContains(
                    assertThrows(IllegalArgumentException.class, () -> data.trainTestSplit(ratio, 1)),
                    "strictly between 0 and 1");
        }
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> numbered(3).trainTestSplit(0.9, 1)),
                "test part empty");
    }

    @Test
    void toCategoricalMakesOneHotTargets() {
        Dataset oneHot = numbered(4).toCategorical(3);
        assertArrayEquals(new int[] {3}, oneHot.targetShape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, oneHot.targets());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, Dataset.toCategorical(new int[] {2, 0}, 3));
    }

    @Test
    void toCategoricalNamesALabelOutOfRange() {
        Dataset data = Dataset.of(new float[3], new int[] {1}, new float[] {1, 4, 0}, new int[] {});
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> data.toCategorical(3)),
                "sample 1",
                "label 4.0",
                "[0, 3)");
        Dataset fractional = Dataset.of(new float[1], new int[] {1}, new float[] {0.5f}, new int[] {1});
        assertContains(assertThrows(IllegalArgumentException.class, () -> fractional.toCategorical(3)), "0.5");
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> Dataset.toCategorical(new int[] {0, -1}, 3)),
                "label 1 is -1");
        assertContains(
                assertThrows(
                        IllegalStateException.class,
                        () -> numbered(3).toCategorical(3).toCategorical(3)),
                "target shape [] or [1]",
                "[3]");
    }

    @Test
    void labelsReadIntegerTargetsBack() {
        assertArrayEquals(new int[] {0, 1, 2, 0}, numbered(4).labels());
        assertThrows(
                IllegalStateException.class, () -> numbered(4).toCategorical(3).labels());
    }

    @Test
    void featuresCanBeReshapedOrFlattened() {
        Dataset images = Dataset.of(new float[24], new int[] {2, 3, 2}, new float[2], new int[] {});
        assertArrayEquals(new int[] {12}, images.flatten().featureShape());
        assertArrayEquals(new int[] {4, 3}, images.reshapeFeatures(4, 3).featureShape());
        assertContains(assertThrows(IllegalArgumentException.class, () -> images.reshapeFeatures(5)), "12");
    }

    @Test
    void batchSizeMustBePositive() {
        Dataset data = numbered(5);
        for (int size : new int[] {0, -3}) {
            assertContains(
                    assertThrows(IllegalArgumentException.class, () -> data.batches(size, false, 0, null)),
                    "batch size is " + size);
        }
        assertEquals(3, data.batchCount(2));
        assertEquals(1, data.batchCount(5));
        assertEquals(1, data.batchCount(Integer.MAX_VALUE));
    }
}
