package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Dataset;
import dev.nabla.samples.data.EmbeddedDigits;
import dev.nabla.samples.web.DigitPreprocessor.Mode;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DigitPreprocessorTest {
    static Dataset test;

    @BeforeAll
    static void load() {
        test = EmbeddedDigits.test().flatten();
    }

    static float[] testImage(int i) {
        return Arrays.copyOfRange(test.features(), i * 784, (i + 1) * 784);
    }

    @Test
    void aWhiteBoxBecomesAllZerosAndCountsAsEmpty() {
        for (Mode mode : Mode.values()) {
            float[] input = new DigitPreprocessor(mode).toInput(Boxes.white(280, 280));
            assertArrayEquals(new float[784], input, mode.name());
            assertTrue(DigitPreprocessor.isEmpty(input));
        }
    }

    @Test
    void transparentPixelsArePaperAndOpaqueBlackIsFullInk() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00000000); // transparent black: paper
        image.setRGB(1, 0, 0xff000000); // opaque black: ink
        assertArrayEquals(new float[] {0, 1}, DigitPreprocessor.ink(image));
    }

    @Test
    void greyIsInvertedToItsComplement() {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x404040); // luminance 64/255
        assertEquals(1 - 64 / 255f, DigitPreprocessor.ink(image)[0], 1e-6);
    }

    @Test
    void resizeAveragesTheAreaSoAThinLineBecomesGrey() {
        float[] ink = new float[280 * 280];
        for (int y = 0; y < 280; y++) {
            ink[y * 280 + 143] = 1; // one pixel wide, inside target column 14 (140..149)
        }
        float[] input = new DigitPreprocessor(Mode.RESIZE).toInput(ink, 280, 280);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(x == 14 ? 0.1f : 0f, input[y * 28 + x], 1e-6, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void resizeKeepsThePositionInTheBox() {
        float[] ink = new float[56 * 56];
        for (int y = 0; y < 28; y++) {
            Arrays.fill(ink, y * 56, y * 56 + 28, 1); // the top-left quarter
        }
        float[] input = new DigitPreprocessor(Mode.RESIZE).toInput(ink, 56, 56);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(x < 14 && y < 14 ? 1f : 0f, input[y * 28 + x], 1e-6);
            }
        }
    }

    @Test
    void centeringFitsTheInkInto20By20KeepingItsShapeAndPutsTheMassInTheMiddle() {
        float[] ink = new float[280 * 280];
        for (int y = 10; y < 90; y++) { // an 20×80 bar in the top-left corner
            Arrays.fill(ink, y * 280 + 5, y * 280 + 25, 1);
        }
        float[] input = new DigitPreprocessor().toInput(ink, 280, 280);
        int left = 28, right = -1, top = 28, bottom = -1;
        double mass = 0, x0 = 0, y0 = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = input[y * 28 + x];
                if (v > 0) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    mass += v;
                    x0 += v * (x + 0.5);
                    y0 += v * (y + 0.5);
                }
            }
        }
        assertEquals(20, bottom - top + 1, "the long side becomes 20 pixels");
        assertEquals(5, right - left + 1, "the aspect ratio is kept (1:4)");
        assertEquals(14.5, x0 / mass, 0.5, "center of mass, x");
        assertEquals(14.5, y0 / mass, 0.5, "center of mass, y");
    }

    @Test
    void centeringLeavesMnistDigitsAsTheyAre() {
        // MNIST's own placement: every non-zero pixel inside 20×20, center of mass in pixel 14.
        DigitPreprocessor centered = new DigitPreprocessor();
        int unchanged = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] image = testImage(i);
            unchanged += Arrays.equals(image, centered.toInput(image, 28, 28)) ? 1 : 0;
        }
        assertTrue(unchanged >= 1980, unchanged + " of 2000 test digits unchanged; expected nearly all (1991)");
    }

    @Test
    void aDigitDrawnSmallInACornerComesOutAsIfDrawnFullSize() {
        DigitPreprocessor centered = new DigitPreprocessor();
        DigitPreprocessor resized = new DigitPreprocessor(Mode.RESIZE);
        float[] image = testImage(0);
        float[] fullSize = centered.toInput(Boxes.ofDigit(image, 10, 280, 0, 0));
        float[] small = centered.toInput(Boxes.ofDigit(image, 4, 280, 8, 8)); // 112 px in the top-left
        assertArrayEquals(image, fullSize, 0.02f, "drawn full size: the test image itself");
        assertTrue(
                meanAbsoluteDifference(image, small) < 0.01,
                "drawn small: the same 28×28 input, within " + "resampling: " + meanAbsoluteDifference(image, small));
        assertTrue(
                meanAbsoluteDifference(image, resized.toInput(Boxes.ofDigit(image, 4, 280, 8, 8))) > 0.1,
                "only resized, the small digit stays small and off-center");
    }

    @Test
    void centeringIsWhatMakesSmallOffCenterDigitsReadable() {
        try (DigitRecognizer recognizer = TestModels.small()) {
            int n = 300;
            int[] labels = test.labels();
            double centered = accuracy(recognizer, new DigitPreprocessor(), n, labels);
            double resized = accuracy(recognizer, new DigitPreprocessor(Mode.RESIZE), n, labels);
            assertTrue(centered > 0.85, "centered: " + centered);
            assertTrue(resized < 0.3, "only resized: " + resized);
        }
    }

    /** Accuracy on the first n test digits drawn at 40 % size in the top-left corner of a 280-pixel box. */
    private static double accuracy(DigitRecognizer recognizer, DigitPreprocessor preprocessor, int n, int[] labels) {
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = preprocessor.toInput(Boxes.ofDigit(testImage(i), 4, 280, 8, 8));
        }
        Prediction[] predictions = recognizer.predict(inputs);
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += predictions[i].digit() == labels[i] ? 1 : 0;
        }
        return (double) right / n;
    }

    @Test
    void anInkImageOfTheWrongLengthIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new DigitPreprocessor().toInput(new float[10], 28, 28));
        assertTrue(e.getMessage().contains("10 values for 28×28"), e.getMessage());
    }

    @Test
    void emptinessIgnoresFaintSpecks() {
        float[] speck = new float[784];
        speck[100] = 0.05f;
        assertTrue(DigitPreprocessor.isEmpty(speck));
        speck[100] = 0.5f;
        assertFalse(DigitPreprocessor.isEmpty(speck));
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
