package dev.nabla.nn;

import dev.nabla.backend.DType;
import dev.nabla.nn.regularizers.Regularizer;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.Arrays;

/**
 * A weight owned by a layer (Keras' "variable"): a named tensor that lives as long as its model,
 * trainable (it collects gradients and the optimizer updates it) or not (BatchNormalization's
 * moving statistics).
 *
 * <pre>{@code
 * Parameter kernel = dense.weights().get(0);
 * float[] values = kernel.get();          // a host copy
 * kernel.set(values);                     // writes back
 * }</pre>
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Tensor value;
    private final boolean trainable;
    private final Regularizer regularizer;

    /** Takes ownership of {@code value}: it leaves every {@link TensorScope} and is closed by {@link #close()}. */
    public Parameter(String name, Tensor value, boolean trainable, Regularizer regularizer) {
        this.name = name;
        if (value.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("parameter '" + name + "' must be FLOAT32, got " + value.dtype());
        }
        TensorScope.untrack(value);
        this.value = trainable ? value.requiresGrad(true) : value;
        this.trainable = trainable;
        this.regularizer = regularizer;
    }

    /** "layer/weight", e.g. "dense/kernel". */
    public String name() {
        return name;
    }

    /** The live tensor (do not close it; the model does). */
    public Tensor value() {
        return value;
    }

    public boolean trainable() {
        return trainable;
    }

    /** The penalty added to the loss for this weight, or null. */
    public Regularizer regularizer() {
        return regularizer;
    }

    public int[] shape() {
        return value.shape();
    }

    public long size() {
        return value.size();
    }

    /** The values, row-major, copied to the host. */
    public float[] get() {
        return value.toFloatArray();
    }

    /** Overwrites the values from the host; {@code values} must have {@link #size()} elements. */
    public void set(float[] values) {
        if (values.length != value.size()) {
            throw new IllegalArgumentException("parameter '" + name + "' of shape " + Arrays.toString(value.shape())
                    + " holds " + value.size() + " values; got " + values.length);
        }
        try (TensorScope scope = TensorScope.open()) {
            value.assign(Tensor.on(value.backend()).of(values, value.shape()));
        }
    }

    /** Overwrites the values from another tensor of the same shape (on this parameter's backend). */
    public void assign(Tensor source) {
        value.assign(source);
    }

    @Override
    public void close() {
        value.close();
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + Arrays.toString(value.shape()) + (trainable ? "" : ", non-trainable") + ")";
    }
}
