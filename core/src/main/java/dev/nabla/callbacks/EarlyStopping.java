package dev.nabla.callbacks;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a monitored value has stopped improving, as Keras' {@code EarlyStopping}
 * (defaults: monitor "val_loss", minDelta 0, patience 0, mode auto, no baseline,
 * restoreBestWeights false).
 *
 * <p>After each epoch it compares the value with the best so far; after {@code patience} epochs
 * without an improvement greater than {@code minDelta} it stops, and with
 * {@code restoreBestWeights} it puts back the weights of the best epoch.
 *
 * <pre>{@code
 * new EarlyStopping("val_loss", 3, true);
 * new EarlyStopping().monitor("val_accuracy").patience(5).minDelta(1e-3).restoreBestWeights(true);
 * }</pre>
 */
public final class EarlyStopping extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);
    private String monitor = "val_loss";
    private double minDelta;
    private int patience;
    private Mode mode = Mode.AUTO;
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;

    private Mode resolved;
    private double best;
    private int wait;
    private int bestEpoch;
    private int stoppedEpoch = -1;
    private List<float[]> bestWeights;

    public EarlyStopping() {}

    public EarlyStopping(String monitor, int patience, boolean restoreBestWeights) {
        monitor(monitor);
        patience(patience);
        restoreBestWeights(restoreBestWeights);
    }

    public EarlyStopping monitor(String value) {
        this.monitor = java.util.Objects.requireNonNull(value, "monitor");
        return this;
    }

    public EarlyStopping minDelta(double value) {
        this.minDelta = Math.abs(value);
        return this;
    }

    public EarlyStopping patience(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be ≥ 0, got " + value);
        }
        this.patience = value;
        return this;
    }

    public EarlyStopping mode(Mode value) {
        this.mode = java.util.Objects.requireNonNull(value, "mode");
        return this;
    }

    /** A value the monitored quantity must beat; training stops if it does not within patience. */
    public EarlyStopping baseline(double value) {
        this.baseline = value;
        return this;
    }

    public EarlyStopping restoreBestWeights(boolean value) {
        this.restoreBestWeights = value;
        return this;
    }

    /** Epochs to wait before watching (warm-up). */
    public EarlyStopping startFromEpoch(int value) {
        this.startFromEpoch = value;
        return this;
    }

    /** The epoch at which training was stopped (0-based), or −1. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch with the best value (0-based). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best value seen. */
    public double best() {
        return best;
    }

    @Override
    public void onTrainBegin(Logs logs) {
        resolved = mode.resolve(monitor);
        best = resolved.worst();
        wait = 0;
        bestEpoch = 0;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            LOG.warn(
                    "EarlyStopping is watching '{}', which is not among the logged values {}",
                    monitor,
                    logs.asMap().keySet());
            return;
        }
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = model().getWeights(); // so that there is always something to restore
        }
        wait++;
        if (resolved.improved(current, best, minDelta)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model().getWeights();
            }
            if (baseline == null || resolved.improved(current, baseline, minDelta)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model().stopTraining(true);
            if (restoreBestWeights && bestWeights != null) {
                LOG.info("EarlyStopping: restoring the weights of epoch {} ({} = {})", bestEpoch + 1, monitor, best);
                model().setWeights(bestWeights);
            }
        }
    }

    @Override
    public void onTrainEnd(Logs logs) {
        if (stoppedEpoch >= 0) {
            LOG.info("Epoch {}: early stopping", stoppedEpoch + 1);
        }
    }
}
