package dev.nabla.optim;

import dev.nabla.backend.View;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent, as Keras 3's {@code SGD} (defaults: learning rate 0.01, no
 * momentum). Without momentum {@code w −= lr·g}; with momentum
 * {@code v = momentum·v − lr·g}, then {@code w += v}, or with Nesterov
 * {@code w += momentum·v − lr·g}.
 *
 * <pre>{@code
 * new SGD(0.1, 0.9, false);      // SGD(0.1, momentum = 0.9)
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        this(LearningRateSchedule.constant(learningRate), 0.0, false);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        this(LearningRateSchedule.constant(learningRate), momentum, nesterov);
    }

    public SGD(LearningRateSchedule learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1], got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    public double momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public List<String> slotNames() {
        return momentum > 0 ? List.of("momentum") : List.of();
    }

    @Override
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, double lr) {
        decayWeights(variable, lr);
        variable.backend()
                .sgdUpdate(variable.view(), grad.view(), momentum > 0 ? slots[0].view() : null, lr, momentum, nesterov);
    }

    @Override
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, View[] scalars) {
        decayWeights(variable, scalars[1]);
        variable.backend()
                .sgdUpdate(
                        variable.view(),
                        grad.view(),
                        momentum > 0 ? slots[0].view() : null,
                        scalars[0],
                        momentum,
                        nesterov);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("momentum", momentum);
        config.put("nesterov", nesterov);
        return config;
    }
}
