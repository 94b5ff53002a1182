package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;

/**
 * The elementwise functions over {@code double[]} chunks: one switch per chunk, one tight loop
 * per op, so the JIT can vectorize. Semantics are those of {@link UnaryOp#apply} and
 * {@link BinaryOp#apply}.
 */
final class ChunkKernels {
    private ChunkKernels() {}

    static void unary(UnaryOp op, double[] x, double[] o, int n, double a, double b) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) o[i] = -x[i];
            }
            case EXP -> {
                for (int i = 0; i < n; i++) o[i] = Math.exp(x[i]);
            }
            case LOG -> {
                for (int i = 0; i < n; i++) o[i] = Math.log(x[i]);
            }
            case ABS -> {
                for (int i = 0; i < n; i++) o[i] = Math.abs(x[i]);
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) o[i] = Math.sqrt(x[i]);
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) o[i] = x[i] * x[i];
            }
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) o[i] = 1.0 / x[i];
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) o[i] = Math.signum(x[i]);
            }
            case ADD_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] + a;
            }
            case MUL_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] * a;
            }
            case RSUB_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = a - x[i];
            }
            case RDIV_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = a / x[i];
            }
            case POW_SCALAR -> {
                if (a == 2) {
                    for (int i = 0; i < n; i++) o[i] = x[i] * x[i];
                } else {
                    for (int i = 0; i < n; i++) o[i] = Math.pow(x[i], a);
                }
            }
            case MAX_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = Math.max(x[i], a);
            }
            case MIN_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = Math.min(x[i], a);
            }
            case CLIP -> {
                for (int i = 0; i < n; i++) o[i] = Math.min(Math.max(x[i], a), b);
            }
            case GT_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > a ? 1 : 0;
            }
            case GE_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] >= a ? 1 : 0;
            }
            case LT_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] < a ? 1 : 0;
            }
            case LE_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] <= a ? 1 : 0;
            }
            case EQ_SCALAR -> {
                for (int i = 0; i < n; i++) o[i] = x[i] == a ? 1 : 0;
            }
            case STEP -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? 1 : 0;
            }
            case BIPOLAR_STEP -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? 1 : -1;
            }
            case RELU -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? x[i] : 0;
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? x[i] : a * x[i];
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) o[i] = 1.0 / (1.0 + Math.exp(-a * x[i]));
            }
            case TANH -> {
                for (int i = 0; i < n; i++) o[i] = Math.tanh(x[i]);
            }
            case SOFTPLUS -> {
                for (int i = 0; i < n; i++) {
                    double z = a * x[i];
                    o[i] = (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / a;
                }
            }
            case SWISH -> {
                for (int i = 0; i < n; i++) o[i] = x[i] / (1.0 + Math.exp(-a * x[i]));
            }
        }
    }

    static void binary(BinaryOp op, double[] x, double[] y, double[] o, int n, double a) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) o[i] = x[i] + y[i];
            }
            case SUB -> {
                for (int i = 0; i < n; i++) o[i] = x[i] - y[i];
            }
            case MUL -> {
                for (int i = 0; i < n; i++) o[i] = x[i] * y[i];
            }
            case DIV -> {
                for (int i = 0; i < n; i++) o[i] = x[i] / y[i];
            }
            case POW -> {
                for (int i = 0; i < n; i++) o[i] = Math.pow(x[i], y[i]);
            }
            case MAXIMUM -> {
                for (int i = 0; i < n; i++) o[i] = Math.max(x[i], y[i]);
            }
            case MINIMUM -> {
                for (int i = 0; i < n; i++) o[i] = Math.min(x[i], y[i]);
            }
            case EQ -> {
                for (int i = 0; i < n; i++) o[i] = x[i] == y[i] ? 1 : 0;
            }
            case NE -> {
                for (int i = 0; i < n; i++) o[i] = x[i] != y[i] ? 1 : 0;
            }
            case LT -> {
                for (int i = 0; i < n; i++) o[i] = x[i] < y[i] ? 1 : 0;
            }
            case LE -> {
                for (int i = 0; i < n; i++) o[i] = x[i] <= y[i] ? 1 : 0;
            }
            case GT -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > y[i] ? 1 : 0;
            }
            case GE -> {
                for (int i = 0; i < n; i++) o[i] = x[i] >= y[i] ? 1 : 0;
            }
            case RELU_BACKWARD -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? y[i] : 0;
            }
            case LEAKY_RELU_BACKWARD -> {
                for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? y[i] : a * y[i];
            }
            case SIGMOID_BACKWARD -> {
                for (int i = 0; i < n; i++) o[i] = a * y[i] * x[i] * (1 - x[i]);
            }
            case TANH_BACKWARD -> {
                for (int i = 0; i < n; i++) o[i] = y[i] * (1 - x[i] * x[i]);
            }
        }
    }
}
