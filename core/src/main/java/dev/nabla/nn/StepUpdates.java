package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * State changes a layer makes during a training step's forward pass (BatchNormalization's moving
 * statistics), held back until the step has succeeded, so that a step that fails later — in the
 * backward pass, or for lack of memory — changes no weight at all. Outside {@code fit} (a
 * custom loop calling {@code model.apply(x, true)}) they apply at once.
 */
final class StepUpdates {
    private static final ThreadLocal<List<Tensor[]>> PENDING = new ThreadLocal<>();

    private StepUpdates() {}

    /** Starts holding updates on this thread. */
    static void begin() {
        PENDING.set(new ArrayList<>());
    }

    /**
     * Sets {@code target} to {@code value} now, or at {@link #commit()} inside a step. Returns
     * whether it was applied now (the caller may then release {@code value}; otherwise the step's
     * scope does).
     */
    static boolean assign(Tensor target, Tensor value) {
        List<Tensor[]> pending = PENDING.get();
        if (pending == null) {
            target.assign(value);
            return true;
        }
        pending.add(new Tensor[] {target, value});
        return false;
    }

    /** Applies what was held (copies only: allocates nothing). */
    static void commit() {
        List<Tensor[]> pending = PENDING.get();
        if (pending != null) {
            for (Tensor[] update : pending) {
                update[0].assign(update[1]);
            }
            pending.clear();
        }
    }

    /** Stops holding; anything not committed is dropped. */
    static void end() {
        PENDING.remove();
    }
}
