package dev.nabla.callbacks;

import dev.nabla.io.CheckpointWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the model at the end of each epoch, or only when the monitored value improves
 * ({@code saveBestOnly}), as Keras' {@code ModelCheckpoint} (defaults: monitor "val_loss", mode
 * auto). The path may contain {@code {epoch}} or {@code {epoch:02d}} (1-based, as Keras) and
 * {@code {<key>}} / {@code {<key>:.4f}} for any logged value.
 *
 * <pre>{@code
 * new ModelCheckpoint(Path.of("best.nabla"), "val_accuracy", true);
 * new ModelCheckpoint(Path.of("ckpt-{epoch:02d}-{val_loss:.3f}.nabla"));
 * }</pre>
 *
 * <p>Each save is atomic (written to a temporary file, then renamed), so a crash leaves the
 * previous checkpoint intact.
 *
 * <p>The model is copied to the host at the end of the epoch and written on a background thread
 * ({@link CheckpointWriter}) while the next epoch trains; {@code fit} returns only once the last
 * write is complete, so the file can be loaded as soon as {@code fit} returns. At most one write
 * is in flight (a save waits for the previous one); a failed write makes the next save, or the
 * end of {@code fit}, throw. {@code background(false)} writes on the training thread instead:
 *
 * <pre>{@code
 * new ModelCheckpoint(Path.of("ckpt.nabla")).background(false);   // write before the next epoch
 * }</pre>
 */
public final class ModelCheckpoint extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    private final String filepath;
    private final String monitor;
    private final boolean saveBestOnly;
    private Mode mode = Mode.AUTO;
    private Mode resolved;
    private double best;
    private int saves;
    private boolean background = true;
    private CheckpointWriter writer;

    public ModelCheckpoint(Path filepath) {
        this(filepath, "val_loss", false);
    }

    public ModelCheckpoint(Path filepath, String monitor, boolean saveBestOnly) {
        this.filepath = filepath.toString();
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    public ModelCheckpoint mode(Mode value) {
        this.mode = java.util.Objects.requireNonNull(value, "mode");
        return this;
    }

    /** Whether to write on a background thread (default true) or on the training thread. */
    public ModelCheckpoint background(boolean value) {
        this.background = value;
        return this;
    }

    /** Waits for the write in flight, if any (fit's end does); rethrows its failure. */
    public void await() {
        if (writer != null) {
            writer.await();
        }
    }

    /** How many times it saved (asked for a write; with {@link #background} it may still be in flight). */
    public int saves() {
        return saves;
    }

    /** The best monitored value seen (with saveBestOnly). */
    public double best() {
        return best;
    }

    @Override
    public void onTrainBegin(Logs logs) {
        resolved = mode.resolve(monitor);
        best = resolved.worst();
        if (writer != null) { // a fit that failed left it: report what its last write did
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.warn("ModelCheckpoint: the last write of the previous fit failed: {}", e.getMessage());
            }
        }
        writer = background ? new CheckpointWriter() : null;
    }

    @Override
    public void onTrainEnd(Logs logs) {
        if (writer != null) {
            try {
                writer.close(); // the file is complete when fit returns
            } finally {
                writer = null;
            }
        }
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null) {
                LOG.warn(
                        "ModelCheckpoint can save the best model only with '{}' logged; logged values are {}",
                        monitor,
                        logs.asMap().keySet());
                return;
            }
            if (!resolved.improved(current, best, 0)) {
                return;
            }
            best = current;
        }
        Path path = Path.of(format(filepath, epoch, logs));
        if (writer != null) {
            writer.save(path, model().snapshot(Map.of()), "model '" + model().name() + "'");
        } else {
            model().save(path);
        }
        saves++;
        LOG.debug("Epoch {}: saved the model to {}", epoch + 1, path);
    }

    /** The path with {epoch…} and {key…} fields filled in. */
    static String format(String template, int epoch, Logs logs) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            String text;
            if (key.equals("epoch")) {
                text = spec == null ? String.valueOf(epoch + 1) : String.format("%" + spec, epoch + 1);
            } else {
                Double value = logs.get(key);
                if (value == null) {
                    throw new IllegalArgumentException("ModelCheckpoint: the path '" + template + "' names '" + key
                            + "', which is not among the logged values "
                            + logs.asMap().keySet());
                }
                text = spec == null ? String.valueOf(value) : String.format(java.util.Locale.ROOT, "%" + spec, value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
