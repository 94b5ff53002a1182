package dev.nabla.optim;

import java.util.Map;

/**
 * A learning rate that depends on the optimizer's step (the number of updates applied so far),
 * as Keras' {@code keras.optimizers.schedules.LearningRateSchedule}. Every optimizer takes one
 * wherever it takes a learning rate.
 *
 * <pre>{@code
 * Optimizer sgd = new SGD(new ExponentialDecay(0.1, 500, 0.5, true), 0.9, false);
 * }</pre>
 */
public interface LearningRateSchedule {
    /** The learning rate at {@code step} (0 for the first update). */
    double at(long step);

    /** The Keras class name, e.g. "ExponentialDecay". */
    String name();

    /** The constructor arguments, for saving. */
    Map<String, Object> config();

    /** A schedule that is always {@code value}. */
    static LearningRateSchedule constant(double value) {
        return new ConstantLearningRate(value);
    }
}
