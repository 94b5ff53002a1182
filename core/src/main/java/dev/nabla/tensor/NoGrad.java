package dev.nabla.tensor;

/**
 * Turns autograd recording off on this thread while open (evaluation, optimizer updates).
 *
 * <pre>{@code
 * try (NoGrad off = NoGrad.enter()) {
 *     Tensor prediction = model.apply(x);   // records no graph
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Whether operations on this thread record a graph now. */
    public static boolean isRecording() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
