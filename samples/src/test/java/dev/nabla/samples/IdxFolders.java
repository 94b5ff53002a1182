package dev.nabla.samples;

import dev.nabla.data.Idx;
import dev.nabla.data.IdxArray;
import dev.nabla.data.Mnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny MNIST-style IDX folders for tests: four files, images of any size, the labels given. */
public final class IdxFolders {
    private IdxFolders() {}

    /** A folder whose training and test sets both hold {@code labels.length} images of side × side pixels. */
    public static Path write(Path dir, int side, int... labels) throws IOException {
        return write(dir, side, side, labels, labels);
    }

    /** A folder with training images of trainSide² and test images of testSide² pixels. */
    public static Path write(Path dir, int trainSide, int testSide, int[] trainLabels, int[] testLabels)
            throws IOException {
        Files.createDirectories(dir);
        images(dir.resolve(Mnist.TRAIN_IMAGES), trainLabels.length, trainSide);
        labels(dir.resolve(Mnist.TRAIN_LABELS), trainLabels);
        images(dir.resolve(Mnist.TEST_IMAGES + ".gz"), testLabels.length, testSide);
        labels(dir.resolve(Mnist.TEST_LABELS + ".gz"), testLabels);
        return dir;
    }

    /** {@code n} images of side × side pixels, a bright square in the middle, plain or gzip by the file's name. */
    public static void images(Path file, int n, int side) throws IOException {
        byte[] pixels = new byte[n * side * side];
        for (int i = 0; i < n; i++) {
            for (int r = side / 4; r < side - side / 4; r++) {
                for (int c = side / 4 + i % 3; c < side - side / 4; c++) {
                    pixels[(i * side + r) * side + c] = (byte) 200;
                }
            }
        }
        Idx.write(file, IdxArray.ofUnsignedBytes(new int[] {n, side, side}, pixels));
    }

    /** A label file. */
    public static void labels(Path file, int... labels) throws IOException {
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            bytes[i] = (byte) labels[i];
        }
        Idx.write(file, IdxArray.ofUnsignedBytes(new int[] {labels.length}, bytes));
    }

    /** 0, 1, …, 9, 0, 1, … : {@code n} labels. */
    public static int[] cycle(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % 10;
        }
        return out;
    }
}
