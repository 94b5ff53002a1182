package dev.nabla.cuda;

import static dev.nabla.cuda.Param.F64;
import static dev.nabla.cuda.Param.I32;
import static dev.nabla.cuda.Param.I64;
import static dev.nabla.cuda.Param.PTR;
import static dev.nabla.cuda.Param.SHAPE;
import static dev.nabla.cuda.Param.STRIDES;

import dev.nabla.backend.DType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every kernel entry point the CUDA backend launches, declared once with its parameters. The
 * declarations mirror kernels/src/main/cuda/*.cu; {@code PtxEntriesTest} checks each one against
 * the committed PTX.
 */
final class Kernels {
    private static final List<KernelSpec> ALL = new ArrayList<>();

    /** One entry per element type ({@code _f32}, {@code _f64}, {@code _i32}); null where a type has none. */
    static final class PerType {
        private final KernelSpec[] byType = new KernelSpec[DType.values().length];

        KernelSpec of(DType dtype) {
            KernelSpec spec = byType[dtype.ordinal()];
            if (spec == null) {
                throw new IllegalArgumentException("the CUDA backend has no " + dtype + " kernel for this operation");
            }
            return spec;
        }
    }

    private static final DType[] FLOATING = {DType.FLOAT32, DType.FLOAT64};
    private static final DType[] ALL_TYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32};

    // elementwise.cu
    static final PerType FILL = family("elementwise", "nabla_fill_strided", ALL_TYPES, PTR, SHAPE, STRIDES, I64, F64);
    static final KernelSpec[][] COPY = copies();
    static final PerType UNARY = family("elementwise", "nabla_unary", FLOATING, I32, PTR, PTR, I64, F64, F64);
    static final PerType UNARY_STRIDED = family(
            "elementwise", "nabla_unary_strided", FLOATING, I32, PTR, SHAPE, STRIDES, PTR, STRIDES, I64, F64, F64);
    static final PerType BINARY = family("elementwise", "nabla_binary", ALL_TYPES, I32, PTR, PTR, PTR, I64, F64);
    static final PerType BINARY_STRIDED = family(
            "elementwise",
            "nabla_binary_strided",
            ALL_TYPES,
            I32,
            PTR,
            PTR,
            PTR,
            SHAPE,
            STRIDES,
            STRIDES,
            STRIDES,
            I64,
            F64);
    static final PerType WHERE = family(
            "elementwise",
            "nabla_where_strided",
            ALL_TYPES,
            PTR,
            PTR,
            PTR,
            PTR,
            SHAPE,
            STRIDES,
            STRIDES,
            STRIDES,
            STRIDES,
            I64);

    // reduce.cu
    static final PerType REDUCE_ROWS = family(
            "reduce",
            "nabla_reduce_rows",
            ALL_TYPES,
            I32,
            PTR,
            SHAPE,
            STRIDES,
            SHAPE,
            STRIDES,
            I64,
            I64,
            I64,
            PTR,
            PTR,
            PTR);
    static final PerType REDUCE_FINISH =
            family("reduce", "nabla_reduce_finish", ALL_TYPES, I32, PTR, PTR, I64, I32, PTR);
    static final PerType REDUCE_COLS =
            family("reduce", "nabla_reduce_cols", ALL_TYPES, I32, PTR, SHAPE, STRIDES, SHAPE, STRIDES, I64, I64, PTR);

    // nn.cu
    static final PerType SOFTMAX_WARP = family("nn", "nabla_softmax_warp", FLOATING, PTR, PTR, I64, I32, I32);
    static final PerType SOFTMAX_BLOCK = family("nn", "nabla_softmax_block", FLOATING, PTR, PTR, I64, I32, I32);
    static final PerType XENT_WARP = family("nn", "nabla_softmax_xent_warp", FLOATING, PTR, PTR, PTR, PTR, I64, I32);
    static final PerType XENT_BLOCK = family("nn", "nabla_softmax_xent_block", FLOATING, PTR, PTR, PTR, PTR, I64, I32);
    static final PerType XENT_BACKWARD =
            family("nn", "nabla_softmax_xent_backward", FLOATING, PTR, PTR, PTR, PTR, I64, I32);
    static final PerType ONE_HOT = family("nn", "nabla_one_hot", FLOATING, PTR, PTR, I64, I32);
    static final PerType GATHER_ROWS = family("nn", "nabla_gather_rows", FLOATING, PTR, PTR, PTR, I64, I32);
    static final PerType BIAS_ACTIVATION =
            family("nn", "nabla_bias_activation", FLOATING, PTR, PTR, PTR, I64, I32, I32, F64);

    // random.cu
    static final PerType RANDOM = family("random", "nabla_random", FLOATING, I32, I64, I64, F64, F64, PTR, I64);

    // optim.cu
    static final PerType SGD = family("optim", "nabla_sgd", FLOATING, PTR, PTR, PTR, I64, F64, F64, I32, I32);
    static final PerType RMSPROP = family("optim", "nabla_rmsprop", FLOATING, PTR, PTR, PTR, I64, F64, F64, F64);
    static final PerType ADAM =
            family("optim", "nabla_adam", FLOATING, PTR, PTR, PTR, PTR, I64, F64, F64, F64, F64, F64);

    private Kernels() {}

    /** Every declared entry point. */
    static List<KernelSpec> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The PTX modules the entry points live in. */
    static List<String> modules() {
        return ALL.stream().map(KernelSpec::module).distinct().toList();
    }

    /** The name suffix of an element type: f32, f64, i32. */
    static String suffix(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
        };
    }

    private static KernelSpec define(String module, String name, Param... params) {
        KernelSpec spec = new KernelSpec(ALL.size(), module, name, List.of(params));
        ALL.add(spec);
        return spec;
    }

    private static PerType family(String module, String prefix, DType[] types, Param... params) {
        PerType family = new PerType();
        for (DType type : types) {
            family.byType[type.ordinal()] = define(module, prefix + "_" + suffix(type), params);
        }
        return family;
    }

    private static KernelSpec[][] copies() {
        KernelSpec[][] table = new KernelSpec[DType.values().length][DType.values().length];
        for (DType from : ALL_TYPES) {
            for (DType to : ALL_TYPES) {
                table[from.ordinal()][to.ordinal()] = define(
                        "elementwise",
                        "nabla_copy_" + suffix(from) + "_" + suffix(to),
                        PTR,
                        SHAPE,
                        STRIDES,
                        PTR,
                        STRIDES,
                        I64);
            }
        }
        return table;
    }
}
