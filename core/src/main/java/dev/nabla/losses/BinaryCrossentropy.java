package dev.nabla.losses;

import dev.nabla.activations.Activations;
import dev.nabla.tensor.Tensor;
import java.util.Map;

/**
 * Binary cross-entropy L(a, y) = −(y·log a + (1 − y)·log(1 − a)), averaged over each sample's
 * values, then over the batch (Keras' {@code BinaryCrossentropy}).
 *
 * <p>From probabilities, a is clipped to [1e−7, 1 − 1e−7] as in Keras. With
 * {@code fromLogits = true} (or when the model ends in a sigmoid, which is then fused), the loss
 * is computed from z as softplus(z) − y·z: exact for any z, with gradient σ(z) − y.
 *
 * <pre>{@code
 * model.compile(new Adam(), new BinaryCrossentropy(), "accuracy");
 * }</pre>
 */
public final class BinaryCrossentropy extends Loss {
    static final double EPSILON = 1e-7;
    private final boolean fromLogits;

    public BinaryCrossentropy() {
        this(false);
    }

    public BinaryCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public Tensor perSample(Tensor yTrue, Tensor yPred) {
        if (fromLogits) {
            return perSampleFromLogits(yTrue, yPred);
        }
        Tensor y = aligned(name(), yTrue, yPred);
        Tensor a = yPred.clip(EPSILON, 1 - EPSILON);
        Tensor positive = y.mul(a.log());
        Tensor negative = y.rsub(1).mul(a.rsub(1).log());
        return meanPerSample(positive.add(negative).neg());
    }

    @Override
    public Activations fusesWith() {
        return fromLogits ? null : Activations.SIGMOID;
    }

    @Override
    public Tensor perSampleFromLogits(Tensor yTrue, Tensor logits) {
        Tensor y = aligned(name(), yTrue, logits);
        return meanPerSample(logits.softplus().sub(logits.mul(y)));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("from_logits", fromLogits);
        return config;
    }
}
