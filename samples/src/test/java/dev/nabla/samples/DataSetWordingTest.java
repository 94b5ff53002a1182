package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.field.DeepMlp;
import dev.nabla.samples.train.TrainCli;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples word their output by the data set: digits on MNIST, images with Fashion-MNIST's class names on
 * Fashion-MNIST (told by its first training labels, or a folder named after it), and the course's MNIST accuracies
 * only on MNIST.
 */
class DataSetWordingTest {
    /** The first ten training and test labels of Fashion-MNIST (ankle boot, T-shirt, T-shirt, dress …). */
    static final int[] FASHION_TRAIN = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9, 5, 5, 7, 9, 1, 0, 6, 4};

    static final int[] FASHION_TEST = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1, 2, 4, 8, 0};

    @TempDir
    Path dir;

    @Test
    void deepMlpOnFashionMnistSpeaksOfImagesAndTheirClassNames() throws IOException {
        Path data = IdxFolders.write(dir.resolve("data"), 28, 28, FASHION_TRAIN, FASHION_TEST);
        Captured run = Captured.run(() -> DeepMlp.run(
                "--backend",
                "cpu",
                "--epochs",
                "1",
                "--verbose",
                "0",
                "--data",
                data.toString(),
                "--out",
                dir.resolve("out").toString()));
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("20 training and 20 test images (Fashion-MNIST in " + data + ")"), run.out());
        assertTrue(run.out().contains("loaded it again: 20 of 20 test images get the same class"), run.out());
        assertTrue(
                run.out()
                        .contains("first test images: labels [Ankle boot, Pullover, Trouser, Trouser, Shirt, "
                                + "Trouser, Coat, Shirt, Sandal, Sneaker], predicted ["),
                run.out());
        assertFalse(run.out().contains("digits"), "no digits on Fashion-MNIST: " + run.out());
        assertFalse(run.out().contains("98%"), "the course's MNIST accuracy is not a reference here");
    }

    @Test
    void aFolderNamedAfterFashionMnistIsFashionMnistWhateverItsLabels() throws IOException {
        Path data = IdxFolders.write(dir.resolve("fashion-mnist"), 28, IdxFolders.cycle(20));
        Captured run = Captured.run(() -> TrainCli.run(
                "--backend",
                "cpu",
                "--model",
                "deep-mlp",
                "--epochs",
                "1",
                "--verbose",
                "0",
                "--data",
                data.toString(),
                "--out",
                dir.resolve("train").toString()));
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("data: Fashion-MNIST in " + data + ": 20 training samples"), run.out());
    }

    @Test
    void theEmbeddedDigitsStayDigits() {
        Captured run = Captured.run(() -> DeepMlp.run(
                "--backend",
                "cpu",
                "--epochs",
                "1",
                "--verbose",
                "0",
                "--samples",
                "40",
                "--out",
                dir.resolve("digits").toString()));
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("40 training and 10 test digits (embedded MNIST digits)"), run.out());
        assertTrue(run.out().contains("loaded it again: 10 of 10 test digits get the same class"), run.out());
        assertTrue(run.out().contains("(the course, on the 60,000 MNIST digits: ≈ 98%)"), run.out());
    }
}
