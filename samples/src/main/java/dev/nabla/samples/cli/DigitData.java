package dev.nabla.samples.cli;

import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.data.Mnist;
import dev.nabla.data.TrainTest;
import dev.nabla.io.FileErrors;
import dev.nabla.samples.data.EmbeddedDigits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The digits a sample trains on: the 8,000 + 2,000 embedded MNIST digits by default, or an MNIST-style IDX
 * folder given with {@code --data DIR} (MNIST, Fashion-MNIST, …), cut to {@code --samples N} when asked.
 * Features come flat ({784}), targets as integer labels (target shape {}).
 *
 * <pre>{@code
 * TrainTest digits = DigitData.load(job.options());
 * Dataset train = digits.train().toCategorical(10);
 * }</pre>
 *
 * <p>The samples' networks take 28×28 images and have ten outputs, so a folder whose images have another size,
 * or whose labels are not 0 to 9, is refused ({@link DataException}) naming the file and what was expected.
 */
public final class DigitData {
    /** Rows and columns of an MNIST image. */
    public static final int SIDE = 28;
    /** The classes of MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;

    private static final List<String> DIGIT_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** The first ten training labels of the original distributions, to tell them apart whatever the folder's name. */
    private static final int[] MNIST_FIRST_LABELS = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};

    private static final int[] FASHION_FIRST_LABELS = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};

    private DigitData() {}

    /**
     * What a set of MNIST-style images holds, for the words of a sample's output: "8,000 training digits" on
     * MNIST, "60,000 training images" on Fashion-MNIST.
     *
     * @param name    the set's name, e.g. "Fashion-MNIST"
     * @param items   what one sample is, in the plural: "digits" or "images"
     * @param classes the class names by label ("0" … "9" for digits, "T-shirt/top" … for Fashion-MNIST)
     * @param digits  whether the set is MNIST's handwritten digits (where the course's accuracies apply)
     */
    public record Kind(String name, String items, List<String> classes, boolean digits) {
        public static final Kind MNIST = new Kind("MNIST digits", "digits", DIGIT_NAMES, true);
        public static final Kind FASHION_MNIST = new Kind("Fashion-MNIST", "images", FashionMnist.CLASS_NAMES, false);
        public static final Kind OTHER = new Kind("MNIST-style images", "images", DIGIT_NAMES, false);

        /** The name of class {@code label}. */
        public String className(int label) {
            return label >= 0 && label < classes.size() ? classes.get(label) : String.valueOf(label);
        }
    }

    /** A loaded set and what it holds. */
    public record Digits(TrainTest data, Kind kind) {}

    /**
     * Loads, flattens, checks and cuts the digits, printing one line about what was loaded.
     *
     * @throws DataException when the folder is missing, its files are not MNIST-style IDX files, its images are
     *                       not 28×28 or its labels not 0 to 9
     */
    public static TrainTest load(Options options) {
        return open(options).data();
    }

    /** {@link #load}, with what the set holds (for words such as "digits" or "images" and the class names). */
    public static Digits open(Options options) {
        Path dir = options.data();
        Kind kind;
        TrainTest digits;
        if (dir == null) {
            digits = EmbeddedDigits.load();
            kind = Kind.MNIST;
        } else {
            IdxFolder files = IdxFolder.in(dir);
            digits = files.read();
            files.requireMnistShape(digits);
            kind = kindOf(dir, digits.train());
        }
        int limit = options.samples();
        Dataset train = digits.train().flatten();
        Dataset test = digits.test().flatten();
        if (limit > 0) {
            train = train.slice(0, Math.min(train.size(), limit));
            test = test.slice(0, Math.min(test.size(), Math.max(1, limit / 4)));
        }
        System.out.printf(
                Locale.ROOT,
                "%,d training and %,d test %s (%s)%n",
                train.size(),
                test.size(),
                kind.items(),
                dir == null ? "embedded MNIST digits" : kind == Kind.OTHER ? dir : kind.name() + " in " + dir);
        return new Digits(new TrainTest(train, test), kind);
    }

    /**
     * The embedded digits for null, else the MNIST-style folder, its training and test images checked to have one
     * size (any size: a network of another input width may train on them).
     *
     * @throws DataException when the folder or a file is missing or unreadable, or the sets' image sizes differ
     */
    public static TrainTest read(Path dir) {
        return dir == null ? EmbeddedDigits.load() : IdxFolder.in(dir).read();
    }

    /** What the folder's set holds: told by its first training labels, else by the folder's name. */
    public static Kind kindOf(Path dir, Dataset train) {
        if (dir == null) {
            return Kind.MNIST;
        }
        if (train.size() >= MNIST_FIRST_LABELS.length) {
            int[] first =
                    Arrays.copyOf(train.slice(0, MNIST_FIRST_LABELS.length).labels(), MNIST_FIRST_LABELS.length);
            if (Arrays.equals(first, FASHION_FIRST_LABELS)) {
                return Kind.FASHION_MNIST;
            }
            if (Arrays.equals(first, MNIST_FIRST_LABELS)) {
                return Kind.MNIST;
            }
        }
        String name = dir.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT);
        return name.contains("fashion") ? Kind.FASHION_MNIST : Kind.OTHER;
    }

    /** The four files of an MNIST-style folder. */
    private record IdxFolder(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
        static IdxFolder in(Path dir) {
            if (!Files.isDirectory(dir)) {
                String why = FileErrors.inaccessible(dir);
                throw new DataException(
                        "--data " + dir
                                + (why != null && why.equals("permission denied") ? ": " + why : " is not a folder")
                                + "; expected a folder holding " + Mnist.TRAIN_IMAGES + "[.gz], "
                                + Mnist.TRAIN_LABELS + "[.gz], " + Mnist.TEST_IMAGES + "[.gz] and " + Mnist.TEST_LABELS
                                + "[.gz]",
                        null);
            }
            return new IdxFolder(
                    find(dir, Mnist.TRAIN_IMAGES),
                    find(dir, Mnist.TRAIN_LABELS),
                    find(dir, Mnist.TEST_IMAGES),
                    find(dir, Mnist.TEST_LABELS));
        }

        /** The file as Mnist.load looks for it: with or without ".gz", "-idx" or ".idx". */
        private static Path find(Path dir, String stem) {
            try {
                return Mnist.find(dir, stem);
            } catch (NoSuchFileException e) {
                String tried = e.getReason().replaceFirst(".*\\(looked for (.*)\\)$", "$1");
                throw new DataException(
                        "--data " + dir + ": no " + stem + "[.gz] in it (looked for " + tried
                                + "); expected an MNIST-style folder holding " + Mnist.TRAIN_IMAGES + ", "
                                + Mnist.TRAIN_LABELS
                                + ", " + Mnist.TEST_IMAGES + " and " + Mnist.TEST_LABELS,
                        e);
            } catch (IOException e) {
                throw new DataException(
                        "--data " + dir + ": " + FileErrors.reason(e) + "; expected a folder this user can open", e);
            }
        }

        TrainTest read() {
            Dataset train = pair(trainImages, trainLabels);
            Dataset test = pair(testImages, testLabels);
            if (!Arrays.equals(train.featureShape(), test.featureShape())) {
                throw new DataException(
                        testImages + " holds images of " + pixels(test) + " pixels but " + trainImages + " holds "
                                + pixels(train) + "; expected training and test images of one size",
                        null);
            }
            return new TrainTest(train, test);
        }

        private static Dataset pair(Path images, Path labels) {
            try {
                return Mnist.load(images, labels);
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                throw new DataException(e.getMessage(), e);
            }
        }

        /** 28×28 images, labels 0 to 9: what the samples' networks take and give. */
        void requireMnistShape(TrainTest digits) {
            requireMnistShape(digits.train(), trainImages, trainLabels);
            requireMnistShape(digits.test(), testImages, testLabels);
        }

        private static void requireMnistShape(Dataset set, Path images, Path labels) {
            if (!Arrays.equals(set.featureShape(), new int[] {SIDE, SIDE})) {
                throw new DataException(
                        images + " holds images of " + pixels(set) + " pixels; expected MNIST's " + SIDE + "×" + SIDE
                                + " (the sample's network takes " + SIDE * SIDE + " inputs)",
                        null);
            }
            int[] values = set.labels();
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 0 || values[i] >= CLASSES) {
                    throw new DataException(
                            labels + " holds label " + values[i] + " at index " + i + "; expected "
                                    + "class labels 0 to " + (CLASSES - 1) + " (the sample's network has " + CLASSES
                                    + " outputs)",
                            null);
                }
            }
        }

        private static String pixels(Dataset set) {
            int[] shape = set.featureShape();
            return shape.length == 2 ? shape[0] + "×" + shape[1] : Arrays.toString(shape);
        }
    }
}
