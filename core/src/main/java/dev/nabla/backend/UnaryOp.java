package dev.nabla.backend;

/**
 * Elementwise functions of one operand, with up to two scalar parameters {@code a} and {@code b}.
 *
 * <p>{@link #apply} is the reference semantics that every backend's kernel must reproduce
 * (within the conformance kit's tolerances); it is not meant for hot loops.
 */
public enum UnaryOp {
    /** −x */
    NEG,
    /** eˣ */
    EXP,
    /** ln x */
    LOG,
    /** |x| */
    ABS,
    /** √x */
    SQRT,
    /** x² */
    SQUARE,
    /** 1 / x */
    RECIPROCAL,
    /** −1, 0 or 1 */
    SIGN,
    /** x + a */
    ADD_SCALAR,
    /** x · a */
    MUL_SCALAR,
    /** a − x */
    RSUB_SCALAR,
    /** a / x */
    RDIV_SCALAR,
    /** xᵃ */
    POW_SCALAR,
    /** max(x, a) */
    MAX_SCALAR,
    /** min(x, a) */
    MIN_SCALAR,
    /** min(max(x, a), b) */
    CLIP,
    /** 1 if x &gt; a else 0 */
    GT_SCALAR,
    /** 1 if x ≥ a else 0 */
    GE_SCALAR,
    /** 1 if x &lt; a else 0 */
    LT_SCALAR,
    /** 1 if x ≤ a else 0 */
    LE_SCALAR,
    /** 1 if x = a else 0 */
    EQ_SCALAR,
    /** Heaviside step h(x): 1 if x &gt; 0 else 0. */
    STEP,
    /** The perceptron's step τ(x): 1 if x &gt; 0 else −1. */
    BIPOLAR_STEP,
    /** max(0, x) */
    RELU,
    /** x if x &gt; 0 else a·x (a = 0.01 by convention) */
    LEAKY_RELU,
    /** Logistic sigmoid with slope a = β: 1 / (1 + e^(−βx)). */
    SIGMOID,
    /** tanh x */
    TANH,
    /** Softplus with a = β: ln(1 + e^(βx)) / β, computed without overflow. */
    SOFTPLUS,
    /** Swish with a = β: x / (1 + e^(−βx)). */
    SWISH;

    /** The reference value of this function at {@code x}. */
    public double apply(double x, double a, double b) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case ABS -> Math.abs(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case SIGN -> Math.signum(x);
            case ADD_SCALAR -> x + a;
            case MUL_SCALAR -> x * a;
            case RSUB_SCALAR -> a - x;
            case RDIV_SCALAR -> a / x;
            case POW_SCALAR -> Math.pow(x, a);
            case MAX_SCALAR -> Math.max(x, a);
            case MIN_SCALAR -> Math.min(x, a);
            case CLIP -> Math.min(Math.max(x, a), b);
            case GT_SCALAR -> x > a ? 1 : 0;
            case GE_SCALAR -> x >= a ? 1 : 0;
            case LT_SCALAR -> x < a ? 1 : 0;
            case LE_SCALAR -> x <= a ? 1 : 0;
            case EQ_SCALAR -> x == a ? 1 : 0;
            case STEP -> x > 0 ? 1 : 0;
            case BIPOLAR_STEP -> x > 0 ? 1 : -1;
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : a * x;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-a * x));
            case TANH -> Math.tanh(x);
            case SOFTPLUS -> (Math.max(a * x, 0) + Math.log1p(Math.exp(-Math.abs(a * x)))) / a;
            case SWISH -> x / (1.0 + Math.exp(-a * x));
        };
    }
}
