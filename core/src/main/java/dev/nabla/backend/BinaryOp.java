package dev.nabla.backend;

/**
 * Elementwise functions of two operands x and y (already broadcast to the output's shape by
 * core) and one scalar parameter {@code a}. Comparisons give 1 or 0 in the operands' type.
 *
 * <p>The {@code *_BACKWARD} ops fuse an activation's derivative with the incoming gradient:
 * x is the activation's output (or, for ReLU, its input: the sign is the same) and y the
 * gradient flowing back.
 *
 * <p>{@link #apply} is the reference semantics every backend must reproduce.
 */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    DIV,
    /** xʸ */
    POW,
    MAXIMUM,
    MINIMUM,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    /** y if x &gt; 0 else 0 */
    RELU_BACKWARD,
    /** y if x &gt; 0 else a·y */
    LEAKY_RELU_BACKWARD,
    /** a·y·x·(1 − x), x = sigmoid output, a = β */
    SIGMOID_BACKWARD,
    /** y·(1 − x²), x = tanh output */
    TANH_BACKWARD;

    /**
     * The backward op of an activation whose derivative is a function of its output (x above):
     * RELU_BACKWARD, SIGMOID_BACKWARD or TANH_BACKWARD for RELU, SIGMOID or TANH; null for any
     * other activation, which needs its input to differentiate.
     */
    public static BinaryOp outputDerivativeOf(UnaryOp activation) {
        if (activation == null) {
            return null;
        }
        return switch (activation) {
            case RELU -> RELU_BACKWARD;
            case SIGMOID -> SIGMOID_BACKWARD;
            case TANH -> TANH_BACKWARD;
            default -> null;
        };
    }

    /** The reference value of this function. */
    public double apply(double x, double y, double a) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case RELU_BACKWARD -> x > 0 ? y : 0;
            case LEAKY_RELU_BACKWARD -> x > 0 ? y : a * y;
            case SIGMOID_BACKWARD -> a * y * x * (1 - x);
            case TANH_BACKWARD -> y * (1 - x * x);
        };
    }
}
