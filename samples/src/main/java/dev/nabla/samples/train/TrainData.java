package dev.nabla.samples.train;

import dev.nabla.data.Csv;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.io.FileErrors;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.DigitData;
import dev.nabla.samples.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The training and validation sets of a {@code nabla-train} job, shaped for its network and loss:
 * <ul>
 * <li>{@code embedded}: the 8,000 + 2,000 embedded MNIST digits;
 * <li>a folder: MNIST-style IDX files (train-images-idx3-ubyte[.gz] …), validated on its t10k files;
 * <li>a {@code .csv} file: numeric features and an integer label column, validated on {@code --test FILE}
 *     or on a shuffled {@code --validation-split} of the file.
 * </ul>
 * Targets become one-hot vectors for categorical losses and MSE, stay integer labels for sparse
 * categorical cross-entropy, and become {1}-shaped 0/1 values for a one-unit output.
 *
 * @param train       the training set
 * @param validation  the validation set (null when none)
 * @param description what was loaded, for the console
 */
public record TrainData(Dataset train, Dataset validation, String description) {

    /** Where the data comes from and how to read it. */
    public record Source(String data, String test, boolean csvHeader, int labelColumn, double validationSplit,
            int samples, long seed) {
    }

    /**
     * Loads and shapes the data.
     *
     * @throws DataException  when a file or folder is missing or unreadable
     * @throws UsageException when the data does not fit the network or the loss
     */
    public static TrainData load(Source source, NetworkSpec network, String loss) {
        Dataset train;
        Dataset validation;
        String description;
        String data = source.data() == null ? "embedded" : source.data();
        if (data.equals("embedded")) {
            TrainTest digits = DigitData.read(null);
            train = digits.train();
            validation = digits.test();
            description = "embedded MNIST digits";
        } else {
            Path path = Path.of(data);
            if (Files.isDirectory(path)) {
                TrainTest digits = DigitData.read(path);
                train = digits.train();
                validation = digits.test();
                description = "IDX files in " + path;
            } else if (Files.isRegularFile(path)) {
                train = csv(path, source);
                if (source.test() != null) {
                    validation = csv(Path.of(source.test()), source);
                    description = "CSV " + path + ", validated on " + source.test();
                } else if (source.validationSplit() > 0) {
                    Dataset[] parts = train.trainTestSplit(1 - source.validationSplit(), source.seed());
                    train = parts[0];
                    validation = parts[1];
                    description = String.format(Locale.ROOT, "CSV %s, %.0f%% held out for validation", path,
                            100 * source.validationSplit());
                } else {
                    validation = null;
                    description = "CSV " + path + ", no validation";
                }
            } else {
                String why = FileErrors.inaccessible(path);
                throw new DataException("--data " + data + (why == null || why.equals("no such file") ? " does not exist"
                        : ": " + why) + "; expected 'embedded', an IDX folder or a CSV file", null);
            }
        }
        train = train.flatten();
        validation = validation == null ? null : validation.flatten();
        if (source.samples() > 0) {
            train = train.slice(0, Math.min(train.size(), source.samples()));
            if (validation != null) {
                validation = validation.slice(0, Math.min(validation.size(), Math.max(1, source.samples() / 4)));
            }
        }
        if (train.featureSize() != network.inputs()) {
            throw new UsageException("the network takes " + network.inputs() + " inputs but the data has "
                    + train.featureSize() + " features per sample; expected a spec starting with "
                    + train.featureSize() + "-, e.g. --model " + train.featureSize() + "-64:relu-"
                    + Math.max(2, network.outputs()) + ":softmax");
        }
        return new TrainData(targets(train, network, loss), validation == null ? null : targets(validation, network, loss),
                description);
    }

    private static Dataset csv(Path file, Source source) {
        if (!Files.isRegularFile(file)) {
            String why = FileErrors.inaccessible(file);
            throw new DataException(file + (why == null || why.equals("no such file") ? " does not exist or is not a file"
                    : ": " + why) + "; expected a CSV file", null);
        }
        try {
            return Csv.load(file, source.csvHeader(), source.labelColumn());
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Integer labels shaped as the loss and the output layer want them. */
    static Dataset targets(Dataset data, NetworkSpec network, String loss) {
        int[] labels;
        try {
            labels = data.labels();
        } catch (IllegalStateException e) {
            throw new DataException(e.getMessage(), e);
        }
        int outputs = network.outputs();
        int classes = outputs == 1 ? 2 : outputs;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new UsageException("sample " + i + " has label " + labels[i] + " but the network's output has "
                        + outputs + " unit" + (outputs == 1 ? " (labels 0 and 1)" : "s (labels 0 to " + (outputs - 1) + ")")
                        + "; expected an output layer as wide as the number of classes");
            }
        }
        if (loss.equals("sparse_categorical_crossentropy")) {
            return data;
        }
        if (outputs == 1) {
            return Dataset.of(data.features(), data.featureShape(), data.targets(), new int[] {1});
        }
        return data.toCategorical(outputs);
    }
}
