package dev.nabla.tensor;

import java.util.List;

/**
 * Thrown by {@link NanCheck} when an op's output holds NaN or ±Infinity: names the op and the
 * shapes of its inputs.
 *
 * <pre>{@code
 * catch (NonFiniteValueException e) {
 *     e.op();            // "log"
 *     e.inputShapes();   // [[4, 1]]
 * }
 * }</pre>
 */
public final class NonFiniteValueException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final String op;
    private final transient List<int[]> inputShapes;

    NonFiniteValueException(String op, List<int[]> inputShapes, String message) {
        super(message);
        this.op = op;
        this.inputShapes = List.copyOf(inputShapes);
    }

    /** The op whose output held the first non-finite value ("log", "matmul", "Adam update" …). */
    public String op() {
        return op;
    }

    /** The shapes of the op's tensor inputs, in order. */
    public List<int[]> inputShapes() {
        return inputShapes;
    }
}
