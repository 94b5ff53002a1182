package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;

/**
 * The elementwise functions over contiguous runs of {@code float[]}, with no conversion to a
 * double scratch: one switch per run, one tight loop per op that the JIT vectorizes. Results
 * equal {@link UnaryOp#apply} / {@link BinaryOp#apply} rounded to float: where float arithmetic
 * gives exactly that (+, −, ×, ÷, √, comparisons, min/max of two floats) it is used, elsewhere
 * (a double parameter, transcendental functions) the element is widened to double.
 */
final class FloatKernels {
    private FloatKernels() {}

    /** Relative cost of an op per element (1 = a load, an add and a store), to decide when to split across cores. */
    static int cost(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, POW_SCALAR, SIGMOID, TANH, SOFTPLUS, SWISH -> 16;
            case SQRT, RECIPROCAL, RDIV_SCALAR -> 2;
            default -> 1;
        };
    }

    static int cost(BinaryOp op) {
        return op == BinaryOp.POW ? 16 : op == BinaryOp.DIV ? 2 : 1;
    }

    /**
     * o[i] = op(x[i]) for i in [from, to). One index for both arrays: the JIT (JDK 17) vectorizes
     * a loop only when it can see that a store cannot feed a later load, which it cannot for
     * different offsets into possibly the same array.
     */
    static void unary(UnaryOp op, float[] x, float[] o, int from, int to, double a, double b) {
        float af = (float) a;
        boolean aIsFloat = af == a;
        switch (op) {
            case NEG -> {
                for (int i = from; i < to; i++) o[i] = -x[i];
            }
            case EXP -> LaneKernels.SELECTED.exp(x, o, from, to);
            case LOG -> {
                for (int i = from; i < to; i++) o[i] = (float) Math.log(x[i]);
            }
            case ABS -> {
                for (int i = from; i < to; i++) o[i] = Math.abs(x[i]);
            }
            case SQRT -> {
                for (int i = from; i < to; i++) o[i] = (float) Math.sqrt(x[i]);
            }
            case SQUARE -> {
                for (int i = from; i < to; i++) o[i] = x[i] * x[i];
            }
            case RECIPROCAL -> {
                for (int i = from; i < to; i++) o[i] = 1f / x[i];
            }
            case SIGN -> {
                for (int i = from; i < to; i++) o[i] = Math.signum(x[i]);
            }
            case ADD_SCALAR -> {
                if (aIsFloat) {
                    for (int i = from; i < to; i++) o[i] = x[i] + af;
                } else {
                    for (int i = from; i < to; i++) o[i] = (float) (x[i] + a);
                }
            }
            case MUL_SCALAR -> {
                if (aIsFloat) {
                    for (int i = from; i < to; i++) o[i] = x[i] * af;
                } else {
                    for (int i = from; i < to; i++) o[i] = (float) (x[i] * a);
                }
            }
            case RSUB_SCALAR -> {
                if (aIsFloat) {
                    for (int i = from; i < to; i++) o[i] = af - x[i];
                } else {
                    for (int i = from; i < to; i++) o[i] = (float) (a - x[i]);
                }
            }
            case RDIV_SCALAR -> {
                if (aIsFloat) {
                    for (int i = from; i < to; i++) o[i] = af / x[i];
                } else {
                    for (int i = from; i < to; i++) o[i] = (float) (a / x[i]);
                }
            }
            case POW_SCALAR -> {
                if (a == 2) {
                    for (int i = from; i < to; i++) o[i] = x[i] * x[i];
                } else {
                    for (int i = from; i < to; i++) o[i] = (float) Math.pow(x[i], a);
                }
            }
            case MAX_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = (float) Math.max(x[i], a);
            }
            case MIN_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = (float) Math.min(x[i], a);
            }
            case CLIP -> {
                for (int i = from; i < to; i++) o[i] = (float) Math.min(Math.max(x[i], a), b);
            }
            case GT_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = x[i] > a ? 1f : 0f;
            }
            case GE_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = x[i] >= a ? 1f : 0f;
            }
            case LT_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = x[i] < a ? 1f : 0f;
            }
            case LE_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = x[i] <= a ? 1f : 0f;
            }
            case EQ_SCALAR -> {
                for (int i = from; i < to; i++) o[i] = x[i] == a ? 1f : 0f;
            }
            case STEP -> {
                for (int i = from; i < to; i++) o[i] = x[i] > 0f ? 1f : 0f;
            }
            case BIPOLAR_STEP -> {
                for (int i = from; i < to; i++) o[i] = x[i] > 0f ? 1f : -1f;
            }
            case RELU -> LaneKernels.SELECTED.relu(x, o, from, to);
            case LEAKY_RELU -> {
                for (int i = from; i < to; i++) o[i] = x[i] > 0f ? x[i] : (float) (a * x[i]);
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) o[i] = (float) (1.0 / (1.0 + Math.exp(-a * x[i])));
            }
            case TANH -> LaneKernels.SELECTED.tanh(x, o, from, to);
            case SOFTPLUS -> {
                for (int i = from; i < to; i++) {
                    double z = a * x[i];
                    o[i] = (float) ((Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / a);
                }
            }
            case SWISH -> {
                for (int i = from; i < to; i++) o[i] = (float) (x[i] / (1.0 + Math.exp(-a * x[i])));
            }
        }
    }

    /** o[i] = op(x[i], y[i]) for i in [from, to), one index for all three arrays as in {@link #unary}. */
    static void binary(BinaryOp op, float[] x, float[] y, float[] o, int from, int to, double a) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) o[i] = x[i] + y[i];
            }
            case SUB -> {
                for (int i = from; i < to; i++) o[i] = x[i] - y[i];
            }
            case MUL -> {
                for (int i = from; i < to; i++) o[i] = x[i] * y[i];
            }
            case DIV -> {
                for (int i = from; i < to; i++) o[i] = x[i] / y[i];
            }
            case POW -> {
                for (int i = from; i < to; i++) o[i] = (float) Math.pow(x[i], y[i]);
            }
            case MAXIMUM -> {
                for (int i = from; i < to; i++) o[i] = Math.max(x[i], y[i]);
            }
            case MINIMUM -> {
                for (int i = from; i < to; i++) o[i] = Math.min(x[i], y[i]);
            }
            case EQ -> {
                for (int i = from; i < to; i++) o[i] = x[i] == y[i] ? 1f : 0f;
            }
            case NE -> {
                for (int i = from; i < to; i++) o[i] = x[i] != y[i] ? 1f : 0f;
            }
            case LT -> {
                for (int i = from; i < to; i++) o[i] = x[i] < y[i] ? 1f : 0f;
            }
            case LE -> {
                for (int i = from; i < to; i++) o[i] = x[i] <= y[i] ? 1f : 0f;
            }
            case GT -> {
                for (int i = from; i < to; i++) o[i] = x[i] > y[i] ? 1f : 0f;
            }
            case GE -> {
                for (int i = from; i < to; i++) o[i] = x[i] >= y[i] ? 1f : 0f;
            }
            case RELU_BACKWARD -> LaneKernels.SELECTED.reluBackward(x, y, o, from, to);
            case LEAKY_RELU_BACKWARD -> {
                for (int i = from; i < to; i++) o[i] = x[i] > 0f ? y[i] : (float) (a * y[i]);
            }
            case SIGMOID_BACKWARD -> {
                for (int i = from; i < to; i++) o[i] = (float) (a * y[i] * x[i] * (1 - (double) x[i]));
            }
            case TANH_BACKWARD -> {
                for (int i = from; i < to; i++) o[i] = (float) (y[i] * (1 - (double) x[i] * x[i]));
            }
        }
    }
}
