package dev.nabla.samples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedDigitsTest {
    static TrainTest digits;

    @BeforeAll
    static void load() {
        digits = EmbeddedDigits.load();
    }

    @Test
    void thereAre8000TrainingAnd2000TestDigitsOf28By28() {
        assertEquals(8000, digits.train().size());
        assertEquals(2000, digits.test().size());
        assertArrayEquals(new int[] {28, 28}, digits.train().featureShape());
        assertArrayEquals(new int[] {}, digits.test().targetShape());
    }

    @Test
    void pixelsAreGreyLevelsInTheUnitRange() {
        for (Dataset part : new Dataset[] {digits.train(), digits.test()}) {
            float min = 1;
            float max = 0;
            for (float v : part.features()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                assertEquals(Math.round(v * 255) / 255f, v, "pixels are k/255");
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
        }
    }

    @Test
    void bothSetsHoldEveryDigitInTheSameProportions() {
        int[] train = counts(digits.train());
        int[] test = counts(digits.test());
        for (int d = 0; d < 10; d++) {
            assertTrue(
                    train[d] > 600 && test[d] > 150, "digit " + d + ": " + train[d] + " train, " + test[d] + " test");
            assertEquals(0.8, train[d] / (double) (train[d] + test[d]), 0.001, "stratified split for digit " + d);
        }
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, train, "as PROVENANCE.md says");
    }

    @Test
    void filesAreNotSortedByClass() {
        int[] labels = digits.train().labels();
        int changes = 0;
        for (int i = 1; i < 100; i++) {
            changes += labels[i] != labels[i - 1] ? 1 : 0;
        }
        assertTrue(changes > 50, "the first 100 training labels change " + changes + " times");
    }

    @Test
    void loadingIsDeterministic() {
        TrainTest again = EmbeddedDigits.load();
        assertArrayEquals(digits.train().features(), again.train().features());
        assertArrayEquals(digits.train().targets(), again.train().targets());
        assertArrayEquals(digits.test().targets(), again.test().targets());
        assertArrayEquals(new int[] {784}, again.flatten().train().featureShape());
    }

    private static int[] counts(Dataset part) {
        int[] out = new int[10];
        for (int label : part.labels()) {
            out[label]++;
        }
        return out;
    }
}
