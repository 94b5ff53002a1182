package dev.nabla.samples.cli;

import dev.nabla.data.Dataset;
import dev.nabla.data.Mnist;
import dev.nabla.data.TrainTest;
import dev.nabla.io.FileErrors;
import dev.nabla.samples.data.EmbeddedDigits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class DigitData {
    private DigitData() {
    }

    /**
     * Loads, flattens and cuts the digits, printing one line about what was loaded.
     *
     * @throws DataException when the folder is missing or its files are not MNIST-style IDX files
     */
    public static TrainTest load(Options options) {
        TrainTest digits = read(options.data());
        int limit = options.samples();
        Dataset train = digits.train().flatten();
        Dataset test = digits.test().flatten();
        if (limit > 0) {
            train = train.slice(0, Math.min(train.size(), limit));
            test = test.slice(0, Math.min(test.size(), Math.max(1, limit / 4)));
        }
        System.out.printf(Locale.ROOT, "%,d training and %,d test digits (%s)%n", train.size(), test.size(),
                options.data() == null ? "embedded MNIST digits" : options.data());
        return new TrainTest(train, test);
    }

    /** The embedded digits for null, else the MNIST-style folder. */
    public static TrainTest read(Path dir) {
        if (dir == null) {
            return EmbeddedDigits.load();
        }
        if (!Files.isDirectory(dir)) {
            String why = FileErrors.inaccessible(dir);
            throw new DataException("--data " + dir + (why != null && why.equals("permission denied") ? ": " + why
                    : " is not a folder") + "; expected a folder holding "
                    + Mnist.TRAIN_IMAGES + "[.gz], " + Mnist.TRAIN_LABELS + "[.gz], " + Mnist.TEST_IMAGES + "[.gz] and "
                    + Mnist.TEST_LABELS + "[.gz]", null);
        }
        try {
            return Mnist.load(dir);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new DataException(e.getMessage(), e);
        }
    }
}
