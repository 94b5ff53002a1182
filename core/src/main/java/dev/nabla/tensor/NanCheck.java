package dev.nabla.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A debugging mode that finds the first operation whose output holds NaN or ±Infinity and throws
 * a {@link NonFiniteValueException} naming it, its input shapes, and whether it made the value
 * itself or received it.
 *
 * <pre>{@code
 * NanCheck.enable();                     // or run with -Dnabla.debug.nan=true
 * try {
 *     model.fit(x, y, options);
 * } catch (NonFiniteValueException e) {
 *     System.err.println(e.getMessage()); // "log produced NaN ... from inputs [32, 10] FLOAT32 that hold only finite values"
 * } finally {
 *     NanCheck.disable();
 * }
 * }</pre>
 *
 * <p><b>For debugging only.</b> While it is on, every op's output (forward and backward, and every
 * optimizer update) is read back to the host and scanned: one device synchronisation and one
 * transfer per op. Training runs many times slower, on GPUs above all. While it is off, the cost is
 * one volatile read per op.
 *
 * <p>It also checks host data uploaded with {@code Tensor.of(…)} (data set batches included), so
 * a NaN in the input data is named as such rather than blamed on the first op that read it.
 * The switch is global (all threads). {@link dev.nabla.callbacks.TerminateOnNaN} is the cheap
 * alternative for production runs: it stops training when the loss goes bad, without saying where.
 */
public final class NanCheck {
    /** The system property that turns the check on at start-up: {@code -Dnabla.debug.nan=true}. */
    public static final String PROPERTY = "nabla.debug.nan";

    private static volatile boolean enabled = Boolean.getBoolean(PROPERTY);
    /** The op whose backward is running on this thread, for messages. */
    private static final ThreadLocal<String> BACKWARD_OF = new ThreadLocal<>();

    private NanCheck() {}

    /** Turns the check on for every thread (slow: see the class comment). */
    public static void enable() {
        enabled = true;
    }

    /** Turns the check off. */
    public static void disable() {
        enabled = false;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /**
     * Checks the output of one op, when the check is on (a no-op otherwise). Core's ops call it;
     * extensions that write their own ops through the SPI may call it too.
     *
     * @param op     the op's name, as messages should show it ("log", "matmul", "Adam update" …)
     * @param out    the op's output
     * @param inputs the op's tensor inputs (nulls are skipped)
     * @throws NonFiniteValueException when {@code out} holds NaN or ±Infinity
     */
    public static void check(String op, Tensor out, Tensor... inputs) {
        if (enabled) {
            verify(op, out, inputs);
        }
    }

    /** Checks host data about to be uploaded (Tensor.of), when the check is on. */
    static void checkHost(String op, Object data, int length, int[] shape) {
        if (!enabled) {
            return;
        }
        int bad = -1;
        double value = 0;
        if (data instanceof float[] f) {
            for (int i = 0; i < length && bad < 0; i++) {
                if (!Float.isFinite(f[i])) {
                    bad = i;
                    value = f[i];
                }
            }
        } else if (data instanceof double[] d) {
            for (int i = 0; i < length && bad < 0; i++) {
                if (!Double.isFinite(d[i])) {
                    bad = i;
                    value = d[i];
                }
            }
        }
        if (bad >= 0) {
            throw new NonFiniteValueException(
                    op,
                    List.of(),
                    "NanCheck: " + op + " was given host data of shape "
                            + Shapes.str(shape) + " that holds " + kind(value) + " at element " + bad
                            + "; expected finite values (clean the input data, or turn NanCheck off). " + COST);
        }
    }

    /** Runs {@code body} (a node's backward) with the node's op named in messages. */
    static Tensor[] duringBackwardOf(String op, Node.Backward backward, Tensor gradient) {
        if (!enabled) {
            return backward.apply(gradient);
        }
        String outer = BACKWARD_OF.get();
        BACKWARD_OF.set(op);
        try {
            return backward.apply(gradient);
        } finally {
            BACKWARD_OF.set(outer);
        }
    }

    private static final String COST = "(NanCheck reads every op's output back to the host: a debugging aid; "
            + "disable it with NanCheck.disable() or without -D" + PROPERTY + "=true)";

    private static void verify(String op, Tensor out, Tensor[] inputs) {
        if (out == null || out.isClosed() || !out.dtype().isFloating() || out.size() == 0) {
            return;
        }
        double[] values = out.toDoubleArray();
        int bad = firstNonFinite(values);
        if (bad < 0) {
            return;
        }
        List<int[]> shapes = new ArrayList<>();
        StringBuilder described = new StringBuilder();
        String poisoned = null;
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in == null) {
                continue;
            }
            shapes.add(in.shape());
            if (described.length() > 0) {
                described.append(", ");
            }
            described.append(in.isClosed() ? "(closed) " + Shapes.str(in.view.shape()) : in.describe());
            if (poisoned == null && !in.isClosed() && in.dtype().isFloating() && in.size() > 0) {
                int k = firstNonFinite(in.toDoubleArray());
                if (k >= 0) {
                    poisoned = "input " + i + " (" + in.describe() + ") already holds " + kind(in.toDoubleArray()[k])
                            + " at element " + k;
                }
            }
        }
        String kind = kind(values[bad]);
        String backward = BACKWARD_OF.get();
        String where = backward == null ? "" : " (in the backward pass of '" + backward + "')";
        String message;
        if (poisoned == null) {
            message = "NanCheck: '" + op + "'" + where + " produced " + kind + " at element " + bad + " of its "
                    + out.describe() + " output from inputs [" + described + "] that hold only finite values; "
                    + "expected a finite result (look for log of ≤ 0, 0/0, sqrt of < 0, or overflow such as exp of a large "
                    + "value, or lower the learning rate). " + COST;
        } else {
            message = "NanCheck: '" + op + "'" + where + " received " + poisoned
                    + ", which no checked op produced: it came from host data, assign(), or a tensor made before NanCheck "
                    + "was enabled; its output " + out.describe() + " holds " + kind + " at element " + bad + ". "
                    + COST;
        }
        throw new NonFiniteValueException(op, shapes, message);
    }

    private static int firstNonFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String kind(double value) {
        return Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
}
