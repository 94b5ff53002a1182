package dev.nabla.metrics;

import dev.nabla.backend.DType;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * A quantity accumulated over batches, as Keras' {@code keras.metrics.Metric}:
 * {@link #update} after each batch, {@link #result()} at the end, {@link #reset()} between epochs.
 *
 * <p>The running sums live on the device in a small state vector, so updating reads nothing
 * back; only {@link #result()} (or {@link #resultsOf}, which reads every metric of a model in
 * one transfer) waits for the device.
 *
 * <pre>{@code
 * Metric accuracy = new CategoricalAccuracy();
 * for (Batch b : data.batches(128, false, 0, backend)) {
 *     try (b) { accuracy.update(b.y(), model.predict(b.x())); }
 * }
 * double value = accuracy.result();
 * }</pre>
 */
public abstract class Metric implements AutoCloseable {
    private final String name;
    private Tensor state;
    private double count;

    protected Metric(String name) {
        this.name = name;
    }

    /** The name in logs and History, e.g. "accuracy". */
    public final String name() {
        return name;
    }

    /** How many running sums the state vector holds. */
    protected abstract int stateSize();

    /**
     * The contribution of one batch to the state vector: a FLOAT32 tensor of shape
     * [{@link #stateSize()}] (computed on the device, never read back here).
     */
    protected abstract Tensor contribution(Tensor yTrue, Tensor yPred);

    /** How much the host-side counter grows for this batch (e.g. the number of samples). */
    protected abstract double countOf(Tensor yTrue, Tensor yPred);

    /** The metric's value from the state vector's values and the host counter. */
    protected abstract double result(double[] state, double count);

    /** Adds one batch. */
    public final void update(Tensor yTrue, Tensor yPred) {
        if (yTrue.shape(0) != yPred.shape(0)) {
            throw new IllegalArgumentException(name + ": targets of shape " + java.util.Arrays.toString(yTrue.shape())
                    + " and predictions of shape " + java.util.Arrays.toString(yPred.shape())
                    + " differ in batch size");
        }
        try (NoGrad off = NoGrad.enter();
                TensorScope scope = TensorScope.open()) {
            Tensor c = contribution(yTrue, yPred);
            if (state == null) {
                state = Tensor.on(yPred.backend()).zeros(stateSize());
                TensorScope.untrack(state);
            }
            state.assign(state.add(c));
        }
        count += countOf(yTrue, yPred);
    }

    /** Adds {@code scale · c} (a contribution computed elsewhere, e.g. a loss) and {@code n} to the counter. */
    protected final void accumulate(Tensor c, double scale, double n) {
        try (NoGrad off = NoGrad.enter();
                TensorScope scope = TensorScope.open()) {
            if (state == null) {
                state = Tensor.on(c.backend()).zeros(stateSize());
                TensorScope.untrack(state);
            }
            Tensor flat = c.reshape(stateSize());
            state.assign(state.add(scale == 1 ? flat : flat.mul(scale)));
        }
        count += n;
    }

    /** The host-side counter: what the updates so far have counted (e.g. samples). */
    public final double count() {
        return count;
    }

    /**
     * Adds {@code n} to the host-side counter only: for a training loop that replays a captured
     * step ({@code fit} with graph capture), whose device work updates the state without the
     * host code of {@link #update} running again; also sets it back when a capture is abandoned.
     */
    public final void addCount(double n) {
        count += n;
    }

    /** The value so far (reads the state from the device); NaN before any update. */
    public final double result() {
        return resultsOf(List.of(this))[0];
    }

    /** Starts over. */
    public final void reset() {
        if (state != null) {
            try (TensorScope scope = TensorScope.open()) {
                state.assign(Tensor.on(state.backend()).scalar(0));
            }
        }
        count = 0;
    }

    /**
     * The results of several metrics with a single read from the device (their states are
     * gathered into one tensor first). NaN for a metric without updates.
     */
    public static double[] resultsOf(List<? extends Metric> metrics) {
        double[] out = new double[metrics.size()];
        List<Tensor> states = new ArrayList<>();
        for (Metric m : metrics) {
            if (m.state != null) {
                states.add(m.state);
            }
        }
        double[] values;
        if (states.isEmpty()) {
            values = new double[0];
        } else {
            try (NoGrad off = NoGrad.enter();
                    TensorScope scope = TensorScope.open()) {
                Tensor all = states.size() == 1 ? states.get(0) : Tensor.concat(states, 0);
                values = all.toDoubleArray();
            }
        }
        int offset = 0;
        for (int i = 0; i < out.length; i++) {
            Metric m = metrics.get(i);
            if (m.state == null) {
                out[i] = Double.NaN;
                continue;
            }
            double[] own = java.util.Arrays.copyOfRange(values, offset, offset + m.stateSize());
            offset += m.stateSize();
            out[i] = m.result(own, m.count);
        }
        return out;
    }

    /** A scalar as a vector of one element. */
    protected static Tensor vector(Tensor scalar) {
        return scalar.reshape(1);
    }

    /** Index of the largest value along the last axis, as FLOAT32 (comparable with float labels). */
    protected static Tensor argmaxAsFloat(Tensor t) {
        return t.argmax(-1).to(DType.FLOAT32);
    }

    /** Releases the device state. */
    @Override
    public void close() {
        if (state != null) {
            state.close();
            state = null;
        }
        count = 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
