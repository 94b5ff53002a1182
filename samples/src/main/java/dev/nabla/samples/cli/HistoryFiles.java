package dev.nabla.samples.cli;

import dev.nabla.io.AtomicFiles;
import dev.nabla.io.FileErrors;
import dev.nabla.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a training history (loss and metrics per epoch, as {@code History.history()} holds them) as CSV and
 * as JSON, epochs counted from 1. Non-finite values (a diverged loss) are written as {@code NaN} in the CSV and
 * {@code null} in the JSON.
 *
 * <pre>
 * epoch,loss,accuracy,val_loss,val_accuracy
 * 1,0.5421,0.8526,0.3012,0.9105
 * </pre>
 * <pre>{"epoch":[1],"loss":[0.5421],"accuracy":[0.8526],"val_loss":[0.3012],"val_accuracy":[0.9105]}</pre>
 *
 * <p>Both files are replaced atomically (written beside, then renamed), so a reader never sees half a file.
 */
public final class HistoryFiles {
    private HistoryFiles() {}

    /** The CSV text of {@code history}. */
    public static String csv(Map<String, List<Double>> history) {
        StringBuilder s = new StringBuilder("epoch");
        history.keySet().forEach(k -> s.append(',').append(k));
        s.append('\n');
        int epochs = epochs(history);
        for (int e = 0; e < epochs; e++) {
            s.append(e + 1);
            for (List<Double> values : history.values()) {
                s.append(',');
                if (e < values.size()) {
                    double v = values.get(e);
                    s.append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "NaN");
                }
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The JSON text of {@code history}. */
    public static String json(Map<String, List<Double>> history) {
        Map<String, Object> tree = new LinkedHashMap<>();
        List<Object> epochs = new ArrayList<>();
        for (int e = 1; e <= epochs(history); e++) {
            epochs.add((long) e);
        }
        tree.put("epoch", epochs);
        history.forEach((k, values) -> {
            List<Object> column = new ArrayList<>();
            for (double v : values) {
                column.add(Double.isFinite(v) ? (Object) v : null);
            }
            tree.put(k, column);
        });
        return Json.write(tree) + "\n";
    }

    /** Writes {@code <stem>.csv} and {@code <stem>.json} into the output folder and records them. */
    public static void write(Map<String, List<Double>> history, Output output, String stem) {
        output.wrote(writeAtomically(output.file(stem + ".csv"), csv(history)));
        output.wrote(writeAtomically(output.file(stem + ".json"), json(history)));
    }

    /** Replaces {@code target} with {@code text} atomically ({@link AtomicFiles}). */
    public static Path writeAtomically(Path target, String text) {
        try {
            AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + FileErrors.reason(e), e);
        }
        return target;
    }

    private static int epochs(Map<String, List<Double>> history) {
        return history.values().stream().mapToInt(List::size).max().orElse(0);
    }
}
