package dev.nabla.optim;

import dev.nabla.backend.View;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, as Keras 3's {@code RMSprop} (defaults: learning rate 0.001, rho 0.9, epsilon 1e−7):
 * {@code ms = rho·ms + (1 − rho)·g²}, {@code w −= lr·g / √(ms + eps)}. Keras' {@code momentum}
 * and {@code centered} variants are not provided.
 *
 * <pre>{@code
 * new RMSprop(1e-3);
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private final double rho;
    private final double epsilon;

    public RMSprop() {
        this(0.001);
    }

    public RMSprop(double learningRate) {
        this(LearningRateSchedule.constant(learningRate), 0.9, 1e-7);
    }

    public RMSprop(LearningRateSchedule learningRate, double rho, double epsilon) {
        super(learningRate);
        if (!(rho >= 0 && rho < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException(
                    "RMSprop: expected 0 ≤ rho < 1 and epsilon > 0, got rho = " + rho + ", epsilon = " + epsilon);
        }
        this.rho = rho;
        this.epsilon = epsilon;
    }

    public RMSprop(double learningRate, double rho, double epsilon) {
        this(LearningRateSchedule.constant(learningRate), rho, epsilon);
    }

    public double rho() {
        return rho;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public List<String> slotNames() {
        return List.of("velocity");
    }

    @Override
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, double lr) {
        decayWeights(variable, lr);
        variable.backend().rmspropUpdate(variable.view(), grad.view(), slots[0].view(), lr, rho, epsilon);
    }

    @Override
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, View[] scalars) {
        decayWeights(variable, scalars[1]);
        variable.backend().rmspropUpdate(variable.view(), grad.view(), slots[0].view(), scalars[0], rho, epsilon);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("rho", rho);
        config.put("epsilon", epsilon);
        return config;
    }
}
