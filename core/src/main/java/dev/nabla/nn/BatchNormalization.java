package dev.nabla.nn;

import dev.nabla.nn.initializers.Ones;
import dev.nabla.nn.initializers.Zeros;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * Batch normalization over the last axis, as Keras' {@code keras.layers.BatchNormalization}
 * (momentum 0.99, epsilon 1e-3, center and scale by default).
 *
 * <p>In training it normalizes with the batch's mean and (biased) variance over every axis but
 * the last, and moves the moving statistics towards them:
 * {@code moving = moving·momentum + batch·(1 − momentum)}. In inference it normalizes with the
 * moving statistics. Gamma and beta are trained; the moving mean and variance are not.
 *
 * <pre>{@code
 * new Sequential(new Dense(64).inputShape(20), new BatchNormalization(), new Activation("relu"));
 * }</pre>
 */
public final class BatchNormalization extends Layer {
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Parameter gamma;
    private Parameter beta;
    private Parameter movingMean;
    private Parameter movingVariance;

    public BatchNormalization() {}

    public BatchNormalization(double momentum, double epsilon) {
        momentum(momentum);
        epsilon(epsilon);
    }

    public BatchNormalization momentum(double value) {
        requireUnbuilt("momentum");
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: momentum must be in [0, 1], got " + value);
        }
        this.momentum = value;
        return this;
    }

    public BatchNormalization epsilon(double value) {
        requireUnbuilt("epsilon");
        if (!(value > 0)) {
            throw new IllegalArgumentException("BatchNormalization: epsilon must be positive, got " + value);
        }
        this.epsilon = value;
        return this;
    }

    /** Whether to add the learned offset beta. */
    public BatchNormalization center(boolean value) {
        requireUnbuilt("center");
        this.center = value;
        return this;
    }

    /** Whether to multiply by the learned scale gamma. */
    public BatchNormalization scale(boolean value) {
        requireUnbuilt("scale");
        this.scale = value;
        return this;
    }

    public double momentum() {
        return momentum;
    }

    public double epsilon() {
        return epsilon;
    }

    public Parameter movingMean() {
        requireBuilt("movingMean");
        return movingMean;
    }

    public Parameter movingVariance() {
        requireBuilt("movingVariance");
        return movingVariance;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException(
                    name() + " (BatchNormalization) needs a feature axis; got per-sample shape []");
        }
        return inputShape.clone();
    }

    @Override
    protected void build(int[] inputShape) {
        int[] features = {inputShape[inputShape.length - 1]};
        if (scale) {
            gamma = addWeight("gamma", features, new Ones(), true, null);
        }
        if (center) {
            beta = addWeight("beta", features, new Zeros(), true, null);
        }
        movingMean = addWeight("moving_mean", features, new Zeros(), false, null);
        movingVariance = addWeight("moving_variance", features, new Ones(), false, null);
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return training ? normalizeBatch(input) : normalizeMoving(input);
    }

    private Tensor normalizeBatch(Tensor x) {
        int[] axes = new int[x.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        Tensor mean = x.mean(axes);
        Tensor variance = x.variance(axes);
        Tensor normalized = x.sub(mean).div(variance.add(epsilon).sqrt());
        Tensor scaled = scale ? normalized.mul(gamma.value()) : normalized;
        Tensor out = center ? scaled.add(beta.value()) : scaled;
        try (NoGrad off = NoGrad.enter()) {
            moveTowards(movingMean.value(), mean);
            moveTowards(movingVariance.value(), variance);
        }
        return out;
    }

    private void moveTowards(Tensor moving, Tensor batch) {
        Tensor kept = moving.mul(momentum);
        Tensor added = batch.mul(1 - momentum);
        Tensor sum = kept.add(added);
        kept.close();
        added.close();
        if (StepUpdates.assign(moving, sum)) { // inside fit: applied once the whole step has succeeded
            sum.close();
        }
    }

    private Tensor normalizeMoving(Tensor x) {
        Tensor inverse = movingVariance.value().add(epsilon).sqrt().reciprocal();
        Tensor factor = scale ? inverse.mul(gamma.value()) : inverse;
        Tensor shifted = movingMean.value().mul(factor);
        Tensor offset = center ? beta.value().sub(shifted) : shifted.neg();
        Tensor product = x.mul(factor);
        Tensor out = product.add(offset);
        for (Tensor t : new Tensor[] {inverse, factor, shifted, offset, product}) {
            Dense.closeIfUntracked(t, out);
        }
        return out;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        config.put("center", center);
        config.put("scale", scale);
        return config;
    }

    public static BatchNormalization fromConfig(Map<String, Object> config) {
        BatchNormalization layer = new BatchNormalization(
                ((Number) config.get("momentum")).doubleValue(), ((Number) config.get("epsilon")).doubleValue());
        layer.applyBaseConfig(config);
        layer.center(Boolean.TRUE.equals(config.get("center")));
        layer.scale(Boolean.TRUE.equals(config.get("scale")));
        return layer;
    }
}
