package dev.nabla.data;

import dev.nabla.io.FileErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Loads comma-separated tables into a {@link Dataset}: one sample per line, every column but the label
 * column a feature, features of shape {columns − 1}.
 *
 * <pre>{@code
 * Dataset data = Csv.load(Path.of("pima.csv"), true, -1);          // last column: labels 0/1
 * Csv.Labelled iris = Csv.loadNamedClasses(Path.of("iris.csv"), true, 4);
 * iris.classes();                                                   // [setosa, versicolor, virginica]
 * }</pre>
 *
 * <p>The format is plain: fields separated by commas, surrounding spaces and double quotes dropped,
 * blank lines skipped, no commas inside fields. Column numbers count from 0; a negative label column counts
 * from the end (−1 is the last). Every row must have as many fields as the first; a field that is not a
 * number is an {@link IOException} naming the file, line and column (both counted from 1 in messages, as
 * editors show them); so is a file that cannot be opened, saying why ("permission denied", …).
 */
public final class Csv {
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Infinity|NaN");

    private Csv() {}

    /**
     * A table whose label column holds text class names, with the names in label order.
     *
     * @param data    features and integer labels (target shape {})
     * @param classes the class names, sorted; label i is {@code classes.get(i)}
     */
    public record Labelled(Dataset data, List<String> classes) {
        public Labelled {
            classes = List.copyOf(classes);
        }
    }

    /**
     * Loads numeric features and integer class labels (stored as floats, target shape {}).
     *
     * @param header      whether the first non-blank line holds column names (skipped)
     * @param labelColumn the column of the labels, from 0; negative counts from the end
     * @throws IOException when a field is not a number, a label is not an integer, or rows differ in length
     */
    public static Dataset load(Path file, boolean header, int labelColumn) throws IOException {
        Table table = Table.read(file, header, labelColumn);
        float[] labels = new float[table.rows()];
        for (int r = 0; r < table.rows(); r++) {
            float v = table.number(r, table.labelColumn);
            if (v != Math.rint(v) || Float.isInfinite(v)) {
                throw new IOException(
                        table.where(r, table.labelColumn) + ": label '" + table.field(r, table.labelColumn)
                                + "' is not an integer; expected an integer class label (Csv.loadNamedClasses reads text "
                                + "labels, Csv.loadRegression real-valued targets)");
            }
            labels[r] = v;
        }
        return Dataset.of(table.features(), new int[] {table.columns - 1}, labels, new int[] {});
    }

    /**
     * Loads numeric features and a text label column (e.g. iris' "Iris-setosa"): the distinct names, sorted,
     * become labels 0, 1, ….
     */
    public static Labelled loadNamedClasses(Path file, boolean header, int labelColumn) throws IOException {
        Table table = Table.read(file, header, labelColumn);
        TreeMap<String, Integer> index = new TreeMap<>();
        for (int r = 0; r < table.rows(); r++) {
            index.put(table.field(r, table.labelColumn), 0);
        }
        List<String> classes = new ArrayList<>(index.keySet());
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        float[] labels = new float[table.rows()];
        for (int r = 0; r < table.rows(); r++) {
            labels[r] = index.get(table.field(r, table.labelColumn));
        }
        Dataset data = Dataset.of(table.features(), new int[] {table.columns - 1}, labels, new int[] {});
        return new Labelled(data, classes);
    }

    /** Loads numeric features and a real-valued target column (target shape {1}). */
    public static Dataset loadRegression(Path file, boolean header, int targetColumn) throws IOException {
        Table table = Table.read(file, header, targetColumn);
        float[] targets = new float[table.rows()];
        for (int r = 0; r < table.rows(); r++) {
            targets[r] = table.number(r, table.labelColumn);
        }
        return Dataset.of(table.features(), new int[] {table.columns - 1}, targets, new int[] {1});
    }

    /** The fields of a file's data rows, with their line numbers for messages. */
    private static final class Table {
        final Path file;
        final int columns;
        final int labelColumn;
        final List<String[]> fields;
        final List<Integer> lines;

        private Table(Path file, int columns, int labelColumn, List<String[]> fields, List<Integer> lines) {
            this.file = file;
            this.columns = columns;
            this.labelColumn = labelColumn;
            this.fields = fields;
            this.lines = lines;
        }

        private static BufferedReader open(Path file) throws IOException {
            try {
                return Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw FileErrors.explain(e, file, "a readable CSV file");
            }
        }

        static Table read(Path file, boolean header, int labelColumn) throws IOException {
            List<String[]> rows = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            int columns = -1;
            int columnsLine = 0;
            boolean headerPending = header;
            int number = 0;
            try (BufferedReader in = open(file)) {
                String line;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (number == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1); // byte-order mark
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] split = split(line);
                    if (columns < 0) {
                        columns = split.length;
                        columnsLine = number;
                    } else if (split.length != columns) {
                        throw new IOException(file + " line " + number + ": " + split.length + " fields; expected "
                                + columns + " like line " + columnsLine);
                    }
                    if (headerPending) {
                        headerPending = false;
                        continue;
                    }
                    rows.add(split);
                    lines.add(number);
                }
            } catch (CharacterCodingException e) { // found by fuzzing: the JDK's message names neither file nor line
                throw new IOException(
                        file + ": not UTF-8 text after line " + number + " (" + e + "); expected a CSV file "
                                + "in UTF-8 or ASCII",
                        e);
            }
            if (rows.isEmpty()) {
                throw new IOException(file + ": no data rows" + (header ? " after the header" : "")
                        + "; expected at least one line of comma-separated values");
            }
            if (columns < 2) {
                throw new IOException(file + ": rows have " + columns + " field; expected at least one feature "
                        + "column and a label column");
            }
            if (labelColumn < -columns || labelColumn >= columns) {
                throw new IllegalArgumentException("label column " + labelColumn + " of " + file + ": rows have "
                        + columns + " fields; expected a column in [" + -columns + ", " + (columns - 1) + "]");
            }
            int resolved = labelColumn < 0 ? columns + labelColumn : labelColumn;
            return new Table(file, columns, resolved, rows, lines);
        }

        int rows() {
            return fields.size();
        }

        String field(int row, int column) {
            return fields.get(row)[column];
        }

        String where(int row, int column) {
            return file + " line " + lines.get(row) + ", column " + (column + 1);
        }

        float number(int row, int column) throws IOException {
            String text = field(row, column);
            // Float.parseFloat alone would also take Java's "1f", "2d" and hex forms, which are no CSV numbers.
            if (!NUMBER.matcher(text).matches()) {
                throw new IOException(where(row, column) + ": '" + text + "' is not a number; expected a decimal "
                        + "number like 5.1 or -3e-2");
            }
            return Float.parseFloat(text);
        }

        float[] features() throws IOException {
            int width = columns - 1;
            float[] out = new float[Math.multiplyExact(rows(), width)];
            for (int r = 0; r < rows(); r++) {
                int k = 0;
                for (int c = 0; c < columns; c++) {
                    if (c != labelColumn) {
                        out[r * width + k++] = number(r, c);
                    }
                }
            }
            return out;
        }

        private static String[] split(String line) {
            String[] parts = line.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                    p = p.substring(1, p.length() - 1).strip();
                }
                parts[i] = p;
            }
            return parts;
        }
    }
}
