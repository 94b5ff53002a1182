package dev.nabla.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one CSV row per epoch: {@code epoch} (0-based, as Keras) then every logged value, as
 * Keras' {@code CSVLogger}. With {@code append} an existing file is continued (no second header).
 *
 * <pre>{@code
 * new CSVLogger(Path.of("training.csv"));
 * }</pre>
 */
public final class CSVLogger extends Callback {
    private final Path path;
    private final String separator;
    private final boolean append;
    private List<String> keys;
    private boolean skipHeader;
    private BufferedWriter writer;

    public CSVLogger(Path path) {
        this(path, ",", false);
    }

    public CSVLogger(Path path, String separator, boolean append) {
        this.path = path;
        this.separator = separator;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Logs logs) {
        try {
            boolean continuing = append && Files.exists(path) && Files.size(path) > 0;
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            writer = Files.newBufferedWriter(
                    path,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    continuing ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            keys = null;
            skipHeader = continuing;
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + path, e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        Map<String, Double> values = logs.asMap();
        try {
            if (keys == null) {
                keys = new ArrayList<>(values.keySet());
                if (!skipHeader) {
                    writer.write("epoch" + separator + String.join(separator, keys));
                    writer.newLine();
                }
            }
            StringBuilder row = new StringBuilder().append(epoch);
            for (String key : keys) {
                Double v = values.get(key);
                row.append(separator).append(v == null ? "" : String.format(Locale.ROOT, "%s", v));
            }
            writer.write(row.toString());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + path, e);
        }
    }

    @Override
    public void onTrainEnd(Logs logs) {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("CSVLogger: cannot close " + path, e);
            } finally {
                writer = null;
            }
        }
    }
}
