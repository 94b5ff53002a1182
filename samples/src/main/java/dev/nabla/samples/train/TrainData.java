package dev.nabla.samples.train;

import dev.nabla.data.Csv;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.io.FileErrors;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.DigitData;
import dev.nabla.samples.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The training and validation sets of a {@code nabla-train} job, shaped for its network and loss:
 * <ul>
 * <li>{@code embedded}: the 8,000 + 2,000 embedded MNIST digits;
 * <li>a folder: MNIST-style IDX files (train-images-idx3-ubyte[.gz] …), validated on its t10k files;
 * <li>a {@code .csv} file: numeric features and a label column, validated on {@code --test FILE} or on a shuffled
 *     {@code --validation-split} of the file. Labels are integer classes, or text class names (iris' "setosa" …),
 *     which become classes 0, 1, … in sorted order and are kept as the data's class names.
 * </ul>
 * Targets become one-hot vectors for categorical losses and MSE, stay integer labels for sparse
 * categorical cross-entropy, and become {1}-shaped 0/1 values for a one-unit output.
 *
 * <p>A CSV feature that is not finite in float (NaN, Infinity, or a value such as 1e40 beyond float's range), a file
 * too short to hold out a validation share, or a {@code --test} file whose columns differ from the data's, is a
 * {@link DataException} naming the file (and line, column and value).
 *
 * @param train       the training set
 * @param validation  the validation set (null when none)
 * @param description what was loaded, for the console
 * @param classNames  the class names by label, for text labels (empty when the labels are numbers)
 */
public record TrainData(Dataset train, Dataset validation, String description, List<String> classNames) {

    public TrainData {
        classNames = List.copyOf(classNames);
    }

    public TrainData(Dataset train, Dataset validation, String description) {
        this(train, validation, description, List.of());
    }

    /** Where the data comes from and how to read it. */
    public record Source(
            String data,
            String test,
            boolean csvHeader,
            int labelColumn,
            double validationSplit,
            int samples,
            long seed) {}

    /**
     * Loads and shapes the data.
     *
     * @throws DataException  when a file or folder is missing or unreadable, or holds values it cannot train on
     * @throws UsageException when the data does not fit the network or the loss
     */
    public static TrainData load(Source source, NetworkSpec network, String loss) {
        Dataset train;
        Dataset validation;
        String description;
        List<String> classNames = List.of();
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
                DigitData.Kind kind = DigitData.kindOf(path, train);
                description = (kind == DigitData.Kind.OTHER ? "IDX files" : kind.name()) + " in " + path;
            } else if (Files.isRegularFile(path)) {
                Table table = csv(path, source);
                train = table.data();
                classNames = table.classNames();
                if (source.test() != null) {
                    Path testFile = Path.of(source.test());
                    Table test = csv(testFile, source);
                    if (test.data().featureSize() != train.featureSize()) {
                        throw new DataException(
                                String.format(
                                        Locale.ROOT,
                                        "--test %s has %d columns per row but "
                                                + "--data %s has %d; expected the same columns in both (the same features and the "
                                                + "label)",
                                        testFile,
                                        test.data().featureSize() + 1,
                                        path,
                                        train.featureSize() + 1),
                                null);
                    }
                    validation = sameClasses(test, testFile, table, path);
                    description = "CSV " + path + ", validated on " + source.test();
                } else if (source.validationSplit() > 0) {
                    requireRowsToSplit(path, train.size(), source.validationSplit());
                    Dataset[] parts = train.trainTestSplit(1 - source.validationSplit(), source.seed());
                    train = parts[0];
                    validation = parts[1];
                    description = String.format(
                            Locale.ROOT,
                            "CSV %s, %.0f%% held out for validation",
                            path,
                            100 * source.validationSplit());
                } else {
                    validation = null;
                    description = "CSV " + path + ", no validation";
                }
            } else {
                String why = FileErrors.inaccessible(path);
                throw new DataException(
                        "--data " + data + (why == null || why.equals("no such file") ? " does not exist" : ": " + why)
                                + "; expected 'embedded', an IDX folder or a CSV file",
                        null);
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
        return new TrainData(
                targets(train, network, loss, classNames),
                validation == null ? null : targets(validation, network, loss, classNames),
                description,
                classNames);
    }

    /** A CSV file's samples and, for text labels, the class names (empty for integer labels). */
    private record Table(Dataset data, List<String> classNames) {}

    /**
     * Reads a CSV file: integer labels, else text class names; every feature checked to be finite in float.
     *
     * @throws DataException  when the file is missing, unreadable, or holds a value that is not a finite number
     * @throws UsageException when {@code --label-column} is outside the rows
     */
    private static Table csv(Path file, Source source) {
        if (!Files.isRegularFile(file)) {
            String why = FileErrors.inaccessible(file);
            throw new DataException(
                    file + (why == null || why.equals("no such file") ? " does not exist or is not a file" : ": " + why)
                            + "; expected a CSV file",
                    null);
        }
        Table table;
        try {
            table = new Table(Csv.load(file, source.csvHeader(), source.labelColumn()), List.of());
        } catch (IOException numericLabels) {
            table = namedClasses(file, source, numericLabels);
        } catch (UncheckedIOException e) {
            throw new DataException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        requireFinite(file, table.data(), source);
        return table;
    }

    /**
     * The table with text labels, when its label column holds names (iris' species): what {@link Csv#load} refused
     * for integer labels. When the labels are numbers that are not integers, or a feature is not a number, the
     * refusal stands (for the features, {@link Csv#loadNamedClasses}' own, since the labels were not the problem).
     */
    private static Table namedClasses(Path file, Source source, IOException numericLabels) {
        Csv.Labelled named;
        try {
            named = Csv.loadNamedClasses(file, source.csvHeader(), source.labelColumn());
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(e.getMessage(), e);
        }
        try {
            Csv.loadRegression(file, source.csvHeader(), source.labelColumn());
            // every label is a number, but not every one an integer: not class names
            throw new DataException(numericLabels.getMessage(), numericLabels);
        } catch (IOException | UncheckedIOException textLabels) {
            return new Table(named.data(), named.classes());
        }
    }

    /** The validation table's labels renumbered to the training table's classes (for text labels). */
    private static Dataset sameClasses(Table test, Path testFile, Table train, Path trainFile) {
        if (train.classNames().isEmpty() && test.classNames().isEmpty()) {
            return test.data();
        }
        if (train.classNames().isEmpty() || test.classNames().isEmpty()) {
            throw new DataException(
                    "--test " + testFile + " has " + (test.classNames().isEmpty() ? "integer" : "text")
                            + " labels but --data " + trainFile + " has "
                            + (train.classNames().isEmpty() ? "integer" : "text")
                            + " labels; expected labels of one kind in both",
                    null);
        }
        int[] labels = test.data().labels();
        float[] renumbered = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            String name = test.classNames().get(labels[i]);
            int index = train.classNames().indexOf(name);
            if (index < 0) {
                throw new DataException(
                        "--test " + testFile + " holds class '" + name + "', which --data " + trainFile
                                + " does not; expected only its classes: " + String.join(", ", train.classNames()),
                        null);
            }
            renumbered[i] = index;
        }
        Dataset data = test.data();
        return Dataset.of(data.features(), data.featureShape(), renumbered, data.targetShape());
    }

    /**
     * Refuses a feature that is NaN or infinite in float (a CSV "NaN", "Infinity", or a number such as 1e40 beyond
     * float's ±3.4e38), naming its line, column and text.
     */
    private static void requireFinite(Path file, Dataset data, Source source) {
        float[] x = data.features();
        int width = data.featureSize();
        for (int i = 0; i < x.length; i++) {
            if (Float.isFinite(x[i])) {
                continue;
            }
            int row = i / width;
            int feature = i % width;
            int columns = width + 1;
            int labelColumn = source.labelColumn() < 0 ? columns + source.labelColumn() : source.labelColumn();
            int column = feature < labelColumn ? feature : feature + 1;
            String[] where = locate(file, source.csvHeader(), row, column);
            String text = where[1];
            String why = Float.isNaN(x[i])
                    ? "is not a number"
                    : text.toLowerCase(Locale.ROOT).contains("infinity")
                            ? "is infinite"
                            : "overflows a 32-bit float (at most ±3.4e38)";
            throw new DataException(
                    file + " line " + where[0] + ", column " + (column + 1) + ": '" + text + "' " + why
                            + "; expected finite feature values (clean or rescale the data first)",
                    null);
        }
    }

    /** The line number and the field's text of data row {@code row} (0-based, as Csv counts: blank lines skipped). */
    private static String[] locate(Path file, boolean header, int row, int column) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            int dataRow = header ? -1 : 0;
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (dataRow++ == row) {
                    String field = line.split(",", -1)[column].strip();
                    if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                        field = field.substring(1, field.length() - 1).strip();
                    }
                    return new String[] {String.valueOf(number), field.replace("\uFEFF", "")};
                }
            }
        } catch (IOException | RuntimeException e) {
            // the file was read a moment ago; fall through to the row's number
        }
        return new String[] {"of data row " + (row + 1), "?"};
    }

    /**
     * Refuses a file too short to hold out {@code split} for validation: the split must leave a sample on each
     * side, as {@link Dataset#trainTestSplit} rounds.
     */
    static void requireRowsToSplit(Path file, int rows, double split) {
        if (splits(rows, split)) {
            return;
        }
        int needed = 2;
        while (!splits(needed, split)) {
            needed++;
        }
        throw new DataException(
                String.format(
                        Locale.ROOT,
                        "%s has %d data row%s; holding out %s%% for validation "
                                + "(--validation-split %s) needs at least %d, one or more to train on and one or more to validate on; "
                                + "add rows, give --test FILE, or --validation-split 0",
                        file,
                        rows,
                        rows == 1 ? "" : "s",
                        percent(split),
                        split,
                        needed),
                null);
    }

    private static boolean splits(int rows, double split) {
        long train = Math.round(rows * (1 - split));
        return train > 0 && train < rows;
    }

    private static String percent(double split) {
        double p = 100 * split;
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    /** Integer labels shaped as the loss and the output layer want them. */
    static Dataset targets(Dataset data, NetworkSpec network, String loss, List<String> classNames) {
        int[] labels;
        try {
            labels = data.labels();
        } catch (IllegalStateException e) {
            throw new DataException(e.getMessage(), e);
        }
        int outputs = network.outputs();
        int classes = outputs == 1 ? 2 : outputs;
        if (!classNames.isEmpty() && classNames.size() > classes) {
            throw new UsageException("the data has " + classNames.size() + " classes (" + String.join(", ", classNames)
                    + ") but the network's output has " + outputs + " unit" + (outputs == 1 ? "" : "s")
                    + "; expected an output layer of " + classNames.size() + " units, e.g. -"
                    + classNames.size() + ":softmax");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new UsageException("sample " + i + " has label " + labels[i] + " but the network's output has "
                        + outputs + " unit"
                        + (outputs == 1 ? " (labels 0 and 1)" : "s (labels 0 to " + (outputs - 1) + ")")
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
