package dev.nabla.samples.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A 28×28 MNIST digit as pen strokes, the way a test can draw it in a box: one horizontal
 * stroke through each run of bright pixels (above one half) in each row. Drawn with a pen about
 * two pixels wide, the strokes cover the digit's bright pixels.
 */
record TracedDigit(int label, float[] pixels, List<Stroke> strokes) {
    /** A stroke along row {@code row} from column {@code from} to column {@code to} (inclusive). */
    record Stroke(int row, int from, int to) {}

    static TracedDigit of(int label, float[] pixels) {
        List<Stroke> strokes = new ArrayList<>();
        for (int y = 0; y < 28; y++) {
            int start = -1;
            for (int x = 0; x <= 28; x++) {
                boolean bright = x < 28 && pixels[y * 28 + x] > 0.5f;
                if (bright && start < 0) {
                    start = x;
                } else if (!bright && start >= 0) {
                    strokes.add(new Stroke(y, start, x - 1));
                    start = -1;
                }
            }
        }
        return new TracedDigit(label, pixels.clone(), List.copyOf(strokes));
    }
}
