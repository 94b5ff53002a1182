package dev.nabla.callbacks;

import java.util.Locale;

/**
 * Whether a monitored value improves by going down or up. {@code AUTO} decides from the name, as
 * Keras: accuracy, precision, recall and AUC go up; everything else (losses, errors) goes down.
 */
public enum Mode {
    AUTO,
    MIN,
    MAX;

    /** MIN or MAX for {@code monitor}. */
    public Mode resolve(String monitor) {
        if (this != AUTO) {
            return this;
        }
        String name = monitor.toLowerCase(Locale.ROOT);
        for (String up : new String[] {"acc", "precision", "recall", "auc"}) {
            if (name.contains(up)) {
                return MAX;
            }
        }
        return MIN;
    }

    /** Whether {@code current} beats {@code best} by more than {@code minDelta}. */
    boolean improved(double current, double best, double minDelta) {
        return this == MAX ? current - minDelta > best : current + minDelta < best;
    }

    double worst() {
        return this == MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
}
