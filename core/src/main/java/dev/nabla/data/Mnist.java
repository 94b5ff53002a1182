package dev.nabla.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads MNIST-style image sets: an IDX file of ubyte images [n, rows, cols] and an IDX file of ubyte
 * labels [n], plain or gzip. Pixels are scaled to [0, 1] (k / 255); labels become integer-valued float
 * targets (target shape {}), features keep the image shape {rows, cols} like Keras' {@code load_data}
 * ({@link Dataset#flatten()} gives {rows × cols}).
 *
 * <pre>{@code
 * TrainTest digits = Mnist.load(Path.of("data/mnist"));          // train-images-idx3-ubyte.gz …
 * Dataset train = digits.train().flatten().toCategorical(10);      // [60000, 784] → [60000, 10]
 * }</pre>
 *
 * <p>A label file whose count differs from its image file's, or files of the wrong type or rank,
 * are errors that name both files.
 */
public final class Mnist {
    /** The file names of the original MNIST distribution (Fashion-MNIST uses the same); ".gz" is optional. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private Mnist() {}

    /**
     * Loads the four standard files from {@code dir}: train-images-idx3-ubyte, train-labels-idx1-ubyte,
     * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each with or without ".gz" (also accepted:
     * the ".idx3-ubyte" spelling of some mirrors).
     */
    public static TrainTest load(Path dir) throws IOException {
        Dataset train = load(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS));
        Dataset test = load(find(dir, TEST_IMAGES), find(dir, TEST_LABELS));
        return new TrainTest(train, test);
    }

    /** Loads one pair of files: images [n, rows, cols] and labels [n]. */
    public static Dataset load(Path images, Path labels) throws IOException {
        return of(Idx.read(images), images.toString(), Idx.read(labels), labels.toString());
    }

    /** Loads one pair from streams (e.g. class-path resources); the names are for messages only. Closes neither. */
    public static Dataset load(InputStream images, String imagesName, InputStream labels, String labelsName)
            throws IOException {
        return of(Idx.read(images, imagesName), imagesName, Idx.read(labels, labelsName), labelsName);
    }

    /** A data set from already-read IDX arrays: images ubyte [n, rows, cols], labels ubyte [n]. */
    public static Dataset of(IdxArray images, String imagesName, IdxArray labels, String labelsName) {
        if (images.type() != IdxType.UBYTE || images.rank() != 3) {
            throw new IllegalArgumentException(imagesName + ": holds " + images.type() + " of dims "
                    + Arrays.toString(images.dims()) + "; expected ubyte images of rank 3 [n, rows, cols]");
        }
        if (labels.type() != IdxType.UBYTE || labels.rank() != 1) {
            throw new IllegalArgumentException(labelsName + ": holds " + labels.type() + " of dims "
                    + Arrays.toString(labels.dims()) + "; expected ubyte labels of rank 1 [n]");
        }
        int[] dims = images.dims();
        int n = dims[0];
        if (labels.dims()[0] != n) {
            throw new IllegalArgumentException(labelsName + " holds " + labels.dims()[0] + " labels but " + imagesName
                    + " holds " + n + " images; expected one label per image");
        }
        if (dims[1] == 0 || dims[2] == 0) {
            throw new IllegalArgumentException(
                    imagesName + ": images of " + dims[1] + "×" + dims[2] + " pixels; expected at least one pixel");
        }
        byte[] pixels = images.rawBytes();
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = (pixels[i] & 0xFF) / 255f;
        }
        byte[] raw = labels.rawBytes();
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            targets[i] = raw[i] & 0xFF;
        }
        return Dataset.of(features, new int[] {dims[1], dims[2]}, targets, new int[] {});
    }

    /**
     * The file of an MNIST-style folder named {@code stem} (e.g. {@link #TRAIN_IMAGES}), as {@link #load(Path)}
     * looks for it: with or without ".gz", "-idx" or ".idx".
     *
     * @throws NoSuchFileException naming the names tried, when none is there
     * @throws AccessDeniedException when the folder cannot be opened
     */
    public static Path find(Path dir, String stem) throws IOException {
        if (Files.isDirectory(dir) && !Files.isExecutable(dir)) { // its files cannot even be looked at
            throw new AccessDeniedException(
                    dir.toString(),
                    null,
                    "permission denied; expected a folder this user " + "can open, holding " + stem + "[.gz]");
        }
        List<Path> tried = new ArrayList<>();
        String dotted = stem.replace("-idx", ".idx");
        for (String name : List.of(stem + ".gz", stem, dotted + ".gz", dotted)) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate.getFileName());
        }
        throw new NoSuchFileException(
                dir.resolve(stem).toString(),
                null,
                "no MNIST-style file in " + dir + " (looked for "
                        + tried.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")) + ")");
    }
}
