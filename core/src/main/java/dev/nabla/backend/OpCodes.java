package dev.nabla.backend;

/**
 * The integer codes that kernels switch on for {@link UnaryOp}, {@link BinaryOp}, {@link ReduceOp}
 * and {@link RandomKind}: one numbering, the constant's ordinal, shared by every backend that
 * compiles kernels. The OpenCL backend writes the {@code #define}s into each program at run time;
 * the CUDA kernels include a header generated from the same numbering (kernels/src/main/cuda/
 * nabla_opcodes.cuh, checked by backend-cuda's OpCodesHeaderTest).
 *
 * <p>A new op needs no edit here: add the enum constant (at the end, so the other codes stay as
 * they are), then regenerate the CUDA header and rebuild the PTX (see docs/cuda.md).
 */
public final class OpCodes {
    /** The unary code meaning "no activation" (biasActivation without one); never an op's code. */
    public static final int IDENTITY = -1;

    private OpCodes() {}

    /** The code of {@code op}. */
    public static int of(UnaryOp op) {
        return op.ordinal();
    }

    /** The code of {@code op}. */
    public static int of(BinaryOp op) {
        return op.ordinal();
    }

    /** The code of {@code op}. */
    public static int of(ReduceOp op) {
        return op.ordinal();
    }

    /** The code of {@code kind}. */
    public static int of(RandomKind kind) {
        return kind.ordinal();
    }

    /**
     * One C preprocessor line {@code #define <prefix><NAME> <code>} per constant of {@code type}, in
     * code order; for instance {@code defines("NB_UNARY_", UnaryOp.class)}.
     */
    public static String defines(String prefix, Class<? extends Enum<?>> type) {
        StringBuilder s = new StringBuilder();
        for (Enum<?> constant : type.getEnumConstants()) {
            s.append("#define ")
                    .append(prefix)
                    .append(constant.name())
                    .append(' ')
                    .append(constant.ordinal())
                    .append('\n');
        }
        return s.toString();
    }
}
