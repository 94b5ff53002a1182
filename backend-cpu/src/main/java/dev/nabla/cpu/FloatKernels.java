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
    private FloatKernels() {
    }

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

    static void unary(UnaryOp op, float[] x, int xo, float[] o, int oo, int n, double a, double b) {
        int d = oo - xo; // o[i + d] = f(x[i]): one index, so the loop has one induction variable
        int end = xo + n;
        float af = (float) a;
        boolean aIsFloat = af == a;
        switch (op) {
            case NEG -> { for (int i = xo; i < end; i++) o[i + d] = -x[i]; }
            case EXP -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.exp(x[i]); }
            case LOG -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.log(x[i]); }
            case ABS -> { for (int i = xo; i < end; i++) o[i + d] = Math.abs(x[i]); }
            case SQRT -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.sqrt(x[i]); }
            case SQUARE -> { for (int i = xo; i < end; i++) o[i + d] = x[i] * x[i]; }
            case RECIPROCAL -> { for (int i = xo; i < end; i++) o[i + d] = 1f / x[i]; }
            case SIGN -> { for (int i = xo; i < end; i++) o[i + d] = Math.signum(x[i]); }
            case ADD_SCALAR -> {
                if (aIsFloat) {
                    for (int i = xo; i < end; i++) o[i + d] = x[i] + af;
                } else {
                    for (int i = xo; i < end; i++) o[i + d] = (float) (x[i] + a);
                }
            }
            case MUL_SCALAR -> {
                if (aIsFloat) {
                    for (int i = xo; i < end; i++) o[i + d] = x[i] * af;
                } else {
                    for (int i = xo; i < end; i++) o[i + d] = (float) (x[i] * a);
                }
            }
            case RSUB_SCALAR -> {
                if (aIsFloat) {
                    for (int i = xo; i < end; i++) o[i + d] = af - x[i];
                } else {
                    for (int i = xo; i < end; i++) o[i + d] = (float) (a - x[i]);
                }
            }
            case RDIV_SCALAR -> {
                if (aIsFloat) {
                    for (int i = xo; i < end; i++) o[i + d] = af / x[i];
                } else {
                    for (int i = xo; i < end; i++) o[i + d] = (float) (a / x[i]);
                }
            }
            case POW_SCALAR -> {
                if (a == 2) {
                    for (int i = xo; i < end; i++) o[i + d] = x[i] * x[i];
                } else {
                    for (int i = xo; i < end; i++) o[i + d] = (float) Math.pow(x[i], a);
                }
            }
            case MAX_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.max(x[i], a); }
            case MIN_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.min(x[i], a); }
            case CLIP -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.min(Math.max(x[i], a), b); }
            case GT_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = x[i] > a ? 1f : 0f; }
            case GE_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = x[i] >= a ? 1f : 0f; }
            case LT_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = x[i] < a ? 1f : 0f; }
            case LE_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = x[i] <= a ? 1f : 0f; }
            case EQ_SCALAR -> { for (int i = xo; i < end; i++) o[i + d] = x[i] == a ? 1f : 0f; }
            case STEP -> { for (int i = xo; i < end; i++) o[i + d] = x[i] > 0f ? 1f : 0f; }
            case BIPOLAR_STEP -> { for (int i = xo; i < end; i++) o[i + d] = x[i] > 0f ? 1f : -1f; }
            case RELU -> relu(x, xo, o, oo, n);
            case LEAKY_RELU -> { for (int i = xo; i < end; i++) o[i + d] = x[i] > 0f ? x[i] : (float) (a * x[i]); }
            case SIGMOID -> { for (int i = xo; i < end; i++) o[i + d] = (float) (1.0 / (1.0 + Math.exp(-a * x[i]))); }
            case TANH -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.tanh(x[i]); }
            case SOFTPLUS -> {
                for (int i = xo; i < end; i++) {
                    double z = a * x[i];
                    o[i + d] = (float) ((Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / a);
                }
            }
            case SWISH -> { for (int i = xo; i < end; i++) o[i + d] = (float) (x[i] / (1.0 + Math.exp(-a * x[i]))); }
        }
    }

    static void relu(float[] x, int xo, float[] o, int oo, int n) {
        int d = oo - xo;
        for (int i = xo, end = xo + n; i < end; i++) {
            float v = x[i];
            o[i + d] = v > 0f ? v : 0f;
        }
    }

    static void binary(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n, double a) {
        int dy = yo - xo, d = oo - xo, end = xo + n;
        switch (op) {
            case ADD -> { for (int i = xo; i < end; i++) o[i + d] = x[i] + y[i + dy]; }
            case SUB -> { for (int i = xo; i < end; i++) o[i + d] = x[i] - y[i + dy]; }
            case MUL -> { for (int i = xo; i < end; i++) o[i + d] = x[i] * y[i + dy]; }
            case DIV -> { for (int i = xo; i < end; i++) o[i + d] = x[i] / y[i + dy]; }
            case POW -> { for (int i = xo; i < end; i++) o[i + d] = (float) Math.pow(x[i], y[i + dy]); }
            case MAXIMUM -> { for (int i = xo; i < end; i++) o[i + d] = Math.max(x[i], y[i + dy]); }
            case MINIMUM -> { for (int i = xo; i < end; i++) o[i + d] = Math.min(x[i], y[i + dy]); }
            case EQ -> { for (int i = xo; i < end; i++) o[i + d] = x[i] == y[i + dy] ? 1f : 0f; }
            case NE -> { for (int i = xo; i < end; i++) o[i + d] = x[i] != y[i + dy] ? 1f : 0f; }
            case LT -> { for (int i = xo; i < end; i++) o[i + d] = x[i] < y[i + dy] ? 1f : 0f; }
            case LE -> { for (int i = xo; i < end; i++) o[i + d] = x[i] <= y[i + dy] ? 1f : 0f; }
            case GT -> { for (int i = xo; i < end; i++) o[i + d] = x[i] > y[i + dy] ? 1f : 0f; }
            case GE -> { for (int i = xo; i < end; i++) o[i + d] = x[i] >= y[i + dy] ? 1f : 0f; }
            case RELU_BACKWARD -> { for (int i = xo; i < end; i++) o[i + d] = x[i] > 0f ? y[i + dy] : 0f; }
            case LEAKY_RELU_BACKWARD -> {
                for (int i = xo; i < end; i++) o[i + d] = x[i] > 0f ? y[i + dy] : (float) (a * y[i + dy]);
            }
            case SIGMOID_BACKWARD -> {
                for (int i = xo; i < end; i++) o[i + d] = (float) (a * y[i + dy] * x[i] * (1 - (double) x[i]));
            }
            case TANH_BACKWARD -> {
                for (int i = xo; i < end; i++) o[i + d] = (float) (y[i + dy] * (1 - (double) x[i] * x[i]));
            }
        }
    }
}
