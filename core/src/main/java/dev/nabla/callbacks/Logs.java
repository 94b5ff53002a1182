package dev.nabla.callbacks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The values a callback is given (Keras' {@code logs} dict): "loss", each metric, and with
 * validation "val_loss", "val_…".
 *
 * <p>Batch logs are <em>lazy</em>: the running values live on the device and are read back only
 * when a callback asks for them ({@link #get}, {@link #asMap}), so a training step that nobody
 * logs costs no transfer. Epoch logs are read once, at the end of the epoch.
 */
public final class Logs {
    private static final Logs EMPTY = new Logs(Map.of());
    private Supplier<Map<String, Double>> source;
    private Map<String, Double> values;

    private Logs(Map<String, Double> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private Logs(Supplier<Map<String, Double>> source) {
        this.source = source;
    }

    /** Logs with these values. */
    public static Logs of(Map<String, Double> values) {
        return new Logs(values);
    }

    /** Logs read from {@code source} on first access (at most once). */
    public static Logs lazy(Supplier<Map<String, Double>> source) {
        return new Logs(source);
    }

    public static Logs empty() {
        return EMPTY;
    }

    /** The value of {@code key} ("loss", "val_accuracy" …), or null if absent. Reads the device if needed. */
    public Double get(String key) {
        return asMap().get(key);
    }

    /** Whether {@code key} is present. */
    public boolean has(String key) {
        return asMap().containsKey(key);
    }

    /** All values, in logging order (loss first, then metrics, then validation). */
    public Map<String, Double> asMap() {
        if (values == null) {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(source.get()));
            source = null;
        }
        return values;
    }

    /** Whether the values were read already (for tests of the one-read-per-logged-step rule). */
    public boolean isRead() {
        return values != null;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
