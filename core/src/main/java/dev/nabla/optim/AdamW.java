package dev.nabla.optim;

/**
 * Adam with decoupled weight decay, as Keras 3's {@code AdamW} (defaults: learning rate 0.001,
 * weight decay 0.004, β₁ 0.9, β₂ 0.999, epsilon 1e−7): before the Adam update
 * {@code w −= w · weightDecay · lr}.
 *
 * <pre>{@code
 * new AdamW(1e-3, 0.01);
 * }</pre>
 */
public final class AdamW extends Adam {
    public AdamW() {
        this(0.001, 0.004);
    }

    public AdamW(double learningRate, double weightDecay) {
        this(LearningRateSchedule.constant(learningRate), weightDecay, 0.9, 0.999, 1e-7);
    }

    public AdamW(LearningRateSchedule learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        weightDecay(weightDecay);
    }
}
