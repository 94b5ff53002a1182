package dev.nabla.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Releases every tensor made inside it, except those it is asked to keep.
 *
 * <pre>{@code
 * Tensor loss;
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor h = x.matmul(w).relu();          // released when the scope closes
 *     loss = scope.keep(h.mean());            // survives: handed to the enclosing scope
 * }
 * }</pre>
 *
 * <p>Scopes nest per thread. A kept tensor moves to the enclosing scope, or becomes the
 * caller's to close when there is none. Tensors made outside every scope are the caller's to
 * close (model parameters and optimizer state belong to their model).
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<TensorScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final Set<Tensor> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private TensorScope() {}

    /** Opens a scope on this thread; close it with try-with-resources. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope();
        STACK.get().push(scope);
        return scope;
    }

    /** Keeps {@code tensor} alive past this scope (it moves to the enclosing scope, if any). */
    public <T extends Tensor> T keep(T tensor) {
        if (tracked.remove(tensor)) {
            TensorScope parent = parentOf(this);
            if (parent != null) {
                parent.tracked.add(tensor);
            }
        }
        return tensor;
    }

    /** Keeps every tensor of a list. */
    public List<Tensor> keepAll(List<Tensor> tensors) {
        for (Tensor t : tensors) {
            keep(t);
        }
        return tensors;
    }

    /** Number of tensors this scope will release. */
    public int size() {
        return tracked.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a TensorScope must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        closed = true;
        ArrayDeque<TensorScope> stack = STACK.get();
        stack.remove(this);
        List<Tensor> toClose = new ArrayList<>(tracked);
        tracked.clear();
        for (Tensor tensor : toClose) {
            tensor.close();
        }
    }

    private static TensorScope parentOf(TensorScope scope) {
        boolean found = false;
        for (TensorScope s : STACK.get()) { // innermost first
            if (found) {
                return s;
            }
            found = s == scope;
        }
        return null;
    }

    /** Registers a new tensor with the innermost scope of this thread, if any. */
    static void track(Tensor tensor) {
        TensorScope scope = STACK.get().peek();
        if (scope != null) {
            scope.tracked.add(tensor);
        }
    }

    /**
     * Takes a tensor out of whatever scope of this thread tracks it: it becomes its owner's to close
     * (a parameter's gradient; model weights, optimizer state and metric accumulators created while
     * a caller's scope is open).
     */
    public static void untrack(Tensor tensor) {
        for (TensorScope scope : STACK.get()) {
            if (scope.tracked.remove(tensor)) {
                return;
            }
        }
    }

    /** Forgets a tensor closed by hand, so the scope does not hold it. */
    static void forget(Tensor tensor) {
        ArrayDeque<TensorScope> stack = STACK.get();
        if (!stack.isEmpty()) {
            for (TensorScope scope : stack) {
                if (scope.tracked.remove(tensor)) {
                    return;
                }
            }
        }
    }
}
