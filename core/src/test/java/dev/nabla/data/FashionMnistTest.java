package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Runs where the Debian package dataset-fashion-mnist is installed; skipped elsewhere (CI stays light). */
class FashionMnistTest {
    @Test
    void theDebianPackageLoadsAs60000TrainAnd10000TestImages() throws IOException {
        assumeTrue(FashionMnist.isInstalled(), "dataset-fashion-mnist is not installed in " + FashionMnist.DEBIAN_DIR);

        TrainTest set = FashionMnist.load();

        assertEquals(60000, set.train().size());
        assertEquals(10000, set.test().size());
        assertArrayEquals(new int[] {28, 28}, set.train().featureShape());
        for (Dataset part : new Dataset[] {set.train(), set.test()}) {
            int[] perClass = new int[10];
            for (int label : part.labels()) {
                perClass[label]++;
            }
            for (int count : perClass) {
                assertEquals(part.size() / 10, count, "Fashion-MNIST is balanced");
            }
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : part.features()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
        }
        assertTrue(FashionMnist.CLASS_NAMES.get(9).contains("boot"));
    }
}
