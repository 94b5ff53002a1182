package dev.nabla.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research): 60,000 training and 10,000 test greyscale images of 28×28 pixels in
 * ten clothing classes, in MNIST's file format. Debian and Ubuntu ship it as the package
 * {@code dataset-fashion-mnist}, installed in {@value #DEBIAN_DIR}.
 *
 * <pre>{@code
 * // apt-get install dataset-fashion-mnist
 * TrainTest fashion = FashionMnist.load();                  // features {28, 28} in [0, 1], labels 0–9
 * Dataset train = fashion.train().flatten().toCategorical(10);
 * String name = FashionMnist.CLASS_NAMES.get(9);            // "Ankle boot"
 * }</pre>
 */
public final class FashionMnist {
    /** Where the Debian package {@code dataset-fashion-mnist} puts the four gzip IDX files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    /** The ten class names, by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Loads the set from the Debian package's folder. */
    public static TrainTest load() throws IOException {
        return load(Path.of(DEBIAN_DIR));
    }

    /** Loads the set from a folder holding the four MNIST-named files (see {@link Mnist#load(Path)}). */
    public static TrainTest load(Path dir) throws IOException {
        return Mnist.load(dir);
    }

    /** Whether the Debian package's files are present. */
    public static boolean isInstalled() {
        Path dir = Path.of(DEBIAN_DIR);
        return Files.isRegularFile(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"))
                && Files.isRegularFile(dir.resolve(Mnist.TRAIN_LABELS + ".gz"))
                && Files.isRegularFile(dir.resolve(Mnist.TEST_IMAGES + ".gz"))
                && Files.isRegularFile(dir.resolve(Mnist.TEST_LABELS + ".gz"));
    }
}
