package dev.nabla.cuda;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/**
 * The integer codes the kernels switch on, as {@code #define NB_UNARY_<NAME>} etc. in
 * kernels/src/main/cuda/nabla_common.cuh. Explicit switches rather than ordinals, so a new enum
 * constant fails to compile here instead of silently running another op; {@code OpCodesTest}
 * checks every code against the header.
 */
final class OpCodes {
    /** biasActivation without an activation. */
    static final int IDENTITY = -1;

    private OpCodes() {
    }

    static int unary(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case ABS -> 3;
            case SQRT -> 4;
            case SQUARE -> 5;
            case RECIPROCAL -> 6;
            case SIGN -> 7;
            case ADD_SCALAR -> 8;
            case MUL_SCALAR -> 9;
            case RSUB_SCALAR -> 10;
            case RDIV_SCALAR -> 11;
            case POW_SCALAR -> 12;
            case MAX_SCALAR -> 13;
            case MIN_SCALAR -> 14;
            case CLIP -> 15;
            case GT_SCALAR -> 16;
            case GE_SCALAR -> 17;
            case LT_SCALAR -> 18;
            case LE_SCALAR -> 19;
            case EQ_SCALAR -> 20;
            case STEP -> 21;
            case BIPOLAR_STEP -> 22;
            case RELU -> 23;
            case LEAKY_RELU -> 24;
            case SIGMOID -> 25;
            case TANH -> 26;
            case SOFTPLUS -> 27;
            case SWISH -> 28;
        };
    }

    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case MAXIMUM -> 5;
            case MINIMUM -> 6;
            case EQ -> 7;
            case NE -> 8;
            case LT -> 9;
            case LE -> 10;
            case GT -> 11;
            case GE -> 12;
            case RELU_BACKWARD -> 13;
            case LEAKY_RELU_BACKWARD -> 14;
            case SIGMOID_BACKWARD -> 15;
            case TANH_BACKWARD -> 16;
        };
    }

    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case MIN -> 2;
            case ARGMAX -> 3;
            case ARGMIN -> 4;
        };
    }

    static int random(RandomKind kind) {
        return switch (kind) {
            case UNIFORM -> 0;
            case NORMAL -> 1;
            case DROPOUT_MASK -> 2;
        };
    }
}
