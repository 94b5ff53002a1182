package dev.nabla.optim;

import dev.nabla.backend.Backend;
import dev.nabla.backend.CaptureUnsupportedException;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.tensor.NanCheck;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Updates variables from their gradients, as Keras' {@code keras.optimizers.Optimizer}. Each
 * subclass implements only its update step, with the backend's fused kernel.
 *
 * <p>Common options, as Keras: {@code clipnorm} (each gradient's norm at most this),
 * {@code clipvalue} (each element in [−v, v]), {@code globalClipnorm} (the norm of all gradients
 * together at most this) — at most one of them; and a learning rate that may be a
 * {@link LearningRateSchedule}, evaluated at {@link #iterations()} (the updates made so far).
 *
 * <pre>{@code
 * Optimizer adam = new Adam(1e-3).clipnorm(1.0);
 * loss.backward();
 * adam.step(List.of(w, b));      // updates w and b in place and clears their gradients
 * }</pre>
 *
 * <p>Everything runs on the device: clipping norms are computed there and no value is read back.
 * Slots (momenta, moving averages) belong to the optimizer and are released by {@link #close()}.
 */
public abstract class Optimizer implements AutoCloseable {
    private LearningRateSchedule learningRate;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private double weightDecay;
    private long iterations;
    private final Map<Tensor, Tensor[]> slots = new IdentityHashMap<>();
    /** The per-step scalars of a captured step ({@link #writeStepScalars}); null until then. */
    private Tensor deviceScalars;

    protected Optimizer(LearningRateSchedule learningRate) {
        this.learningRate = Objects.requireNonNull(learningRate, "learningRate");
    }

    // ------------------------------------------------------------------ options

    /** Clips each gradient to norm ≤ {@code value} (Keras' {@code clipnorm}). */
    public Optimizer clipnorm(double value) {
        positive("clipnorm", value);
        exclusive("clipnorm", clipvalue, globalClipnorm);
        this.clipnorm = value;
        return this;
    }

    /** Clips each gradient element to [−value, value] (Keras' {@code clipvalue}). */
    public Optimizer clipvalue(double value) {
        positive("clipvalue", value);
        exclusive("clipvalue", clipnorm, globalClipnorm);
        this.clipvalue = value;
        return this;
    }

    /** Scales all gradients together so that their joint norm is ≤ {@code value} (Keras' {@code global_clipnorm}). */
    public Optimizer globalClipnorm(double value) {
        positive("globalClipnorm", value);
        exclusive("globalClipnorm", clipnorm, clipvalue);
        this.globalClipnorm = value;
        return this;
    }

    /**
     * Decoupled weight decay, as Keras' {@code weight_decay}: before each update
     * {@code w −= w · weightDecay · lr}.
     */
    public Optimizer weightDecay(double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name() + ": weightDecay must be ≥ 0, got " + value);
        }
        this.weightDecay = value;
        return this;
    }

    public Double clipnorm() {
        return clipnorm;
    }

    public Double clipvalue() {
        return clipvalue;
    }

    public Double globalClipnorm() {
        return globalClipnorm;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** The learning rate of the next update. */
    public double learningRate() {
        return learningRate.at(iterations);
    }

    /** The schedule (a {@link ConstantLearningRate} for a plain number). */
    public LearningRateSchedule learningRateSchedule() {
        return learningRate;
    }

    /** Replaces the learning rate (and any schedule) by a constant (used by LearningRateScheduler). */
    public void learningRate(double value) {
        this.learningRate = new ConstantLearningRate(value);
    }

    public void learningRate(LearningRateSchedule schedule) {
        this.learningRate = Objects.requireNonNull(schedule, "schedule");
    }

    /** Updates applied so far (Keras' {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    /** Sets the update counter (when restoring a saved optimizer). */
    public void iterations(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("iterations must be ≥ 0, got " + value);
        }
        this.iterations = value;
    }

    // ------------------------------------------------------------------ updating

    /**
     * One update of every variable that has a gradient ({@link Tensor#grad()}), in place; then
     * clears those gradients and counts the step. Variables without a gradient are left alone.
     */
    public void step(List<Tensor> variables) {
        double lr = learningRate();
        apply(variables, (variable, grad, state) -> update(variable, grad, state, lr), true);
        iterations++;
    }

    /**
     * The device work of {@link #step}, with the per-step scalars (the learning rate, Adam's step
     * size) read from the device tensor that {@link #writeStepScalars} filled, so that a captured
     * training step ({@link dev.nabla.backend.Backend#capture}) stays right when it is replayed at
     * later steps. It gives exactly what {@link #step} gives at the same {@link #iterations()}; it
     * does not count the step (the caller does, with {@link #iterations(long)}, once per replay).
     *
     * @throws dev.nabla.backend.CaptureUnsupportedException when this optimizer has no device form
     *     (a subclass that does not override {@link #update(Tensor, Tensor, Tensor[], View[])}), or a
     *     variable has no state yet (its first update must run eagerly: a captured zero fill would be
     *     replayed at every step)
     * @throws IllegalStateException when {@link #writeStepScalars} was not called first
     */
    public void stepWithDeviceScalars(List<Tensor> variables) {
        if (deviceScalars == null) {
            throw new IllegalStateException(name() + ": writeStepScalars must come before stepWithDeviceScalars");
        }
        View[] scalars = new View[(int) deviceScalars.size()];
        for (int i = 0; i < scalars.length; i++) {
            scalars[i] = new View(deviceScalars.view().buffer(), deviceScalars.dtype(), i, new int[0], new long[0]);
        }
        apply(variables, (variable, grad, state) -> update(variable, grad, state, scalars), false);
    }

    /**
     * Writes the per-step scalars of the next update ({@link #stepScalars} at the current
     * {@link #iterations()} and learning rate) into a small device tensor on {@code backend}: FLOAT64
     * where the backend has it (the very doubles {@link #step} would use), else FLOAT32. A host write,
     * made before each replay of a captured step, outside the capture.
     */
    public void writeStepScalars(Backend backend) {
        double[] values = stepScalars(learningRate());
        if (deviceScalars == null || deviceScalars.backend() != backend || deviceScalars.size() != values.length) {
            if (deviceScalars != null) {
                deviceScalars.close();
            }
            DType dtype = backend.supports(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
            deviceScalars = Tensor.on(backend).empty(dtype, values.length);
            TensorScope.untrack(deviceScalars);
        }
        View view = deviceScalars.view();
        if (view.dtype() == DType.FLOAT64) {
            backend.write(view.buffer(), view.offset(), values, 0, values.length);
        } else {
            float[] rounded = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                rounded[i] = (float) values[i];
            }
            backend.write(view.buffer(), view.offset(), rounded, 0, values.length);
        }
    }

    /**
     * The per-step scalars of the update {@link #update(Tensor, Tensor, Tensor[], View[])} reads, for
     * learning rate {@code lr} at the current {@link #iterations()}, computed exactly as
     * {@link #update(Tensor, Tensor, Tensor[], double)} computes them. By default {@code [lr, 1 −
     * weightDecay·lr]} (the factor of {@link #decayWeights}).
     */
    protected double[] stepScalars(double lr) {
        return new double[] {lr, 1 - weightDecay * lr};
    }

    private interface Update {
        void apply(Tensor variable, Tensor grad, Tensor[] slots);
    }

    /**
     * The common part of both steps. {@code createSlots} false refuses to create state: in a captured step
     * the zero fill of a new slot would be replayed at every step.
     */
    private void apply(List<Tensor> variables, Update update, boolean createSlots) {
        List<Tensor> active = new ArrayList<>();
        for (Tensor v : variables) {
            if (v.grad() != null) {
                active.add(v);
            }
        }
        try (NoGrad off = NoGrad.enter();
                TensorScope scope = TensorScope.open()) {
            // Everything that can fail (checks, clipping, allocating state) happens before the first
            // variable changes, so a failed step leaves every variable as it was.
            List<Tensor> grads = clipped(active);
            List<Tensor[]> state = new ArrayList<>(active.size());
            for (int i = 0; i < active.size(); i++) {
                Tensor variable = active.get(i);
                Tensor grad = grads.get(i);
                if (!variable.isContiguous() || !Arrays.equals(variable.shape(), grad.shape())) {
                    throw new IllegalArgumentException(name() + ": variable " + Arrays.toString(variable.shape())
                            + " must be contiguous and match its gradient " + Arrays.toString(grad.shape()));
                }
                grads.set(i, grad.isContiguous() ? grad : grad.contiguous());
                if (!createSlots && !slotNames().isEmpty() && !slots.containsKey(variable)) {
                    throw new CaptureUnsupportedException(name() + " would create its state for a variable of shape "
                            + Arrays.toString(variable.shape()) + " in this step (its first gradient)");
                }
                state.add(slotsOf(variable));
            }
            for (int i = 0; i < active.size(); i++) {
                update.apply(active.get(i), grads.get(i), state.get(i));
                NanCheck.check(name() + " update", active.get(i), grads.get(i));
            }
        }
        for (Tensor v : active) {
            v.zeroGrad();
        }
    }

    /**
     * Applies one update in place. {@code grad} is contiguous and of the variable's shape;
     * {@code slots} are this optimizer's state for the variable (created by {@link #slotNames()}).
     * Runs with autograd off, inside a scope that closes temporaries.
     */
    protected abstract void update(Tensor variable, Tensor grad, Tensor[] slots, double lr);

    /**
     * {@link #update(Tensor, Tensor, Tensor[], double)} with its per-step scalars read from the device:
     * {@code scalars[i]} is a rank-0 view holding {@code stepScalars(lr)[i]}. It must give exactly what
     * the double form gives; the optimizers of this package use the per-step-scalar forms of the backend's
     * updates ({@link Backend#sgdUpdate(View, View, View, View, double, boolean)} and its kin). The default
     * refuses, which turns graph capture off for a custom optimizer.
     */
    protected void update(Tensor variable, Tensor grad, Tensor[] slots, View[] scalars) {
        throw new CaptureUnsupportedException(
                name() + " has no device form of its update (override update(Tensor, Tensor, Tensor[], View[]))");
    }

    /** Names of the per-variable state tensors, e.g. ["momentum", "velocity"] (Keras' slot names). */
    public abstract List<String> slotNames();

    /** The Keras class name, e.g. "Adam". */
    public String name() {
        return getClass().getSimpleName();
    }

    /** {@link #decayWeights(Tensor, double)} with the factor {@code 1 − weightDecay · lr} read from the device. */
    protected final void decayWeights(Tensor variable, View factor) {
        if (weightDecay > 0) {
            variable.backend().unary(UnaryOp.MUL_SCALAR, variable.view(), variable.view(), factor, 0);
        }
    }

    /** Applies {@code w −= w · weightDecay · lr} (for optimizers whose kernel does not fuse it). */
    protected final void decayWeights(Tensor variable, double lr) {
        if (weightDecay > 0) {
            // in place (the SPI allows an elementwise output to be its input): allocates nothing mid-step
            variable.backend().unary(UnaryOp.MUL_SCALAR, variable.view(), variable.view(), 1 - weightDecay * lr, 0);
        }
    }

    private List<Tensor> clipped(List<Tensor> variables) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor v : variables) {
            grads.add(v.grad());
        }
        if (clipvalue != null) {
            grads.replaceAll(g -> g.clip(-clipvalue, clipvalue));
        } else if (clipnorm != null) {
            grads.replaceAll(
                    g -> g.mul(g.square().sum().sqrt().maximum(clipnorm).rdiv(clipnorm)));
        } else if (globalClipnorm != null && !grads.isEmpty()) {
            Tensor total = null;
            for (Tensor g : grads) {
                Tensor s = g.square().sum();
                total = total == null ? s : total.add(s);
            }
            Tensor scale = total.sqrt().maximum(globalClipnorm).rdiv(globalClipnorm);
            grads.replaceAll(g -> g.mul(scale));
        }
        return grads;
    }

    private Tensor[] slotsOf(Tensor variable) {
        Tensor[] s = slots.get(variable);
        if (s == null) {
            List<String> names = slotNames();
            s = new Tensor[names.size()];
            try {
                for (int i = 0; i < s.length; i++) {
                    s[i] = Tensor.on(variable.backend()).zeros(variable.shape());
                    TensorScope.untrack(s[i]);
                }
            } catch (RuntimeException e) {
                for (Tensor t : s) {
                    if (t != null) {
                        t.close();
                    }
                }
                throw e;
            }
            slots.put(variable, s);
        }
        return s;
    }

    // ------------------------------------------------------------------ state (saving and restoring)

    /** The state tensors of {@code variable} in {@link #slotNames()} order, or null before its first update. */
    public List<Tensor> slots(Tensor variable) {
        Tensor[] s = slots.get(variable);
        return s == null ? null : List.of(s);
    }

    /** Replaces the state of {@code variable} (host values in {@link #slotNames()} order). */
    public void setSlots(Tensor variable, List<float[]> values) {
        if (values.size() != slotNames().size()) {
            throw new IllegalArgumentException(name() + " keeps " + slotNames().size() + " state tensors per variable "
                    + slotNames() + "; got " + values.size());
        }
        Tensor[] fresh = new Tensor[values.size()];
        try {
            for (int i = 0; i < fresh.length; i++) {
                if (values.get(i).length != variable.size()) {
                    throw new IllegalArgumentException(name() + ": state '"
                            + slotNames().get(i) + "' has " + values.get(i).length + " values; the variable "
                            + Arrays.toString(variable.shape()) + " has " + variable.size());
                }
                fresh[i] = Tensor.on(variable.backend()).of(values.get(i), variable.shape());
                TensorScope.untrack(fresh[i]);
            }
        } catch (RuntimeException e) {
            for (Tensor t : fresh) {
                if (t != null) {
                    t.close();
                }
            }
            throw e;
        }
        Tensor[] old = slots.put(variable, fresh);
        if (old != null) {
            for (Tensor t : old) {
                t.close();
            }
        }
    }

    /** Drops the state of every variable and the step count (a fresh start). */
    public void reset() {
        slots.values().forEach(s -> Arrays.stream(s).forEach(Tensor::close));
        slots.clear();
        iterations = 0;
    }

    /** The constructor arguments, for saving (Keras' {@code get_config}); subclasses add theirs. */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (learningRate instanceof ConstantLearningRate c) {
            config.put("learning_rate", c.value());
        } else {
            Map<String, Object> schedule = new LinkedHashMap<>();
            schedule.put("class_name", learningRate.name());
            schedule.put("config", learningRate.config());
            config.put("learning_rate", schedule);
        }
        config.put("clipnorm", clipnorm);
        config.put("clipvalue", clipvalue);
        config.put("global_clipnorm", globalClipnorm);
        config.put("weight_decay", weightDecay);
        return config;
    }

    /** Releases all state (and the device tensor of {@link #writeStepScalars}). */
    @Override
    public void close() {
        reset();
        if (deviceScalars != null) {
            deviceScalars.close();
            deviceScalars = null;
        }
    }

    @Override
    public String toString() {
        return name() + config();
    }

    private void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name() + ": " + option + " must be a positive number, got " + value);
        }
    }

    private void exclusive(String option, Double... others) {
        for (Double other : others) {
            if (other != null) {
                throw new IllegalArgumentException(
                        name() + ": only one of clipnorm, clipvalue and globalClipnorm can be set" + " (as in Keras); "
                                + option + " was asked for after another");
            }
        }
    }
}
