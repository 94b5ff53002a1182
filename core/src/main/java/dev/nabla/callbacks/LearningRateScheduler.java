package dev.nabla.callbacks;

import dev.nabla.optim.Optimizer;

/**
 * Sets the learning rate at the start of each epoch from a function of the epoch (0-based) and
 * the current rate, as Keras' {@code LearningRateScheduler}. The rate becomes a constant, replacing
 * any schedule.
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * }</pre>
 */
public final class LearningRateScheduler extends Callback {
    /** The new rate from the epoch and the current rate. */
    @FunctionalInterface
    public interface Schedule {
        double apply(int epoch, double learningRate);
    }

    private final Schedule schedule;

    public LearningRateScheduler(Schedule schedule) {
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
        Optimizer optimizer = model().optimizer();
        double rate = schedule.apply(epoch, optimizer.learningRate());
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("LearningRateScheduler: the schedule gave " + rate + " for epoch "
                    + epoch + "; expected a finite number ≥ 0");
        }
        optimizer.learningRate(rate);
    }
}
