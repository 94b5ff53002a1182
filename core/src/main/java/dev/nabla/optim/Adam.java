package dev.nabla.optim;

import dev.nabla.backend.View;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam, as Keras 3's {@code Adam} (defaults: learning rate 0.001, β₁ 0.9, β₂ 0.999,
 * epsilon 1e−7). At step t (1 for the first update):
 * {@code m += (g − m)(1 − β₁)}, {@code v += (g² − v)(1 − β₂)},
 * {@code w −= α·m / (√v + eps)} with {@code α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)}.
 *
 * <pre>{@code
 * model.compile(new Adam(1e-4), new CategoricalCrossentropy(), "accuracy");
 * }</pre>
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        this(LearningRateSchedule.constant(learningRate), 0.9, 0.999, 1e-7);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(LearningRateSchedule.constant(learningRate), beta1, beta2, epsilon);
    }

    public Adam(LearningRateSchedule learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    public Adam(LearningRateSchedule learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException(name() + ": expected 0 ≤ beta1, beta2 < 1 and epsilon > 0, got beta1 = "
                    + beta1 + ", beta2 = " + beta2 + ", epsilon = " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public List<String> slotNames() {
        return List.of("momentum", "velocity");
    }

    @Override
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, double lr) {
        double[] scalars = stepScalars(lr);
        variable.backend()
                .adamUpdate(
                        variable.view(),
                        grad.view(),
                        slots[0].view(),
                        slots[1].view(),
                        scalars[0],
                        beta1,
                        beta2,
                        epsilon,
                        scalars[1]);
    }

    @Override
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, View[] scalars) {
        variable.backend()
                .adamUpdate(
                        variable.view(),
                        grad.view(),
                        slots[0].view(),
                        slots[1].view(),
                        scalars[0],
                        scalars[1],
                        beta1,
                        beta2,
                        epsilon);
    }

    /** {@code [alpha, weightDecay·lr]}: the bias-corrected step size at step t = iterations + 1, and the decay. */
    @Override
    protected double[] stepScalars(double lr) {
        long t = iterations() + 1;
        double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        return new double[] {alpha, weightDecay() * lr};
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
        return config;
    }
}
