package dev.nabla.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of a {@code fit}: every logged value per epoch (Keras' {@code History}, which
 * {@code fit} returns). Added to every {@code fit} by default.
 *
 * <pre>{@code
 * History history = model.fit(x, y, options);
 * List<Double> valAccuracy = history.get("val_accuracy");
 * }</pre>
 */
public final class History extends Callback {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.asMap().entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /** Every key ("loss", "accuracy", "val_loss" …) with its value per epoch (Keras' {@code history.history}). */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        history.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        return Collections.unmodifiableMap(copy);
    }

    /** The values of {@code key} per epoch. */
    public List<Double> get(String key) {
        List<Double> values = history.get(key);
        if (values == null) {
            throw new IllegalArgumentException("History has no '" + key + "'; it has " + history.keySet());
        }
        return Collections.unmodifiableList(values);
    }

    /** The epochs that ran (0-based). */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The value of {@code key} at the last epoch. */
    public double last(String key) {
        List<Double> values = get(key);
        return values.get(values.size() - 1);
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
