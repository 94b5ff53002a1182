package dev.nabla.conformance;

import static dev.nabla.backend.BinaryOp.ADD;
import static dev.nabla.backend.BinaryOp.DIV;
import static dev.nabla.backend.BinaryOp.EQ;
import static dev.nabla.backend.BinaryOp.GE;
import static dev.nabla.backend.BinaryOp.GT;
import static dev.nabla.backend.BinaryOp.LE;
import static dev.nabla.backend.BinaryOp.LT;
import static dev.nabla.backend.BinaryOp.MAXIMUM;
import static dev.nabla.backend.BinaryOp.MINIMUM;
import static dev.nabla.backend.BinaryOp.MUL;
import static dev.nabla.backend.BinaryOp.NE;
import static dev.nabla.backend.BinaryOp.POW;
import static dev.nabla.backend.BinaryOp.SUB;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.conformance.Kit.Layout;
import dev.nabla.conformance.Kit.Operand;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every elementwise Tensor op against {@link UnaryOp#apply} / {@link BinaryOp#apply}, on odd shapes and layouts. */
abstract class ElementwiseSpec extends Spec {

    protected ElementwiseSpec(Kit kit) {
        super(kit);
    }

    /** A Tensor method and its reference function. */
    record UnaryCase(
            String name, UnaryOperator<Tensor> op, DoubleUnaryOperator reference, Domain domain, boolean exact) {}

    static UnaryCase u(String name, UnaryOperator<Tensor> op, UnaryOp reference, double a, double b, Domain domain) {
        boolean exact = switch (reference) {
            case NEG,
                    ABS,
                    SIGN,
                    MAX_SCALAR,
                    MIN_SCALAR,
                    CLIP,
                    GT_SCALAR,
                    GE_SCALAR,
                    LT_SCALAR,
                    LE_SCALAR,
                    EQ_SCALAR,
                    STEP,
                    BIPOLAR_STEP,
                    RELU -> true;
            default -> false;
        };
        return new UnaryCase(name, op, x -> reference.apply(x, a, b), domain, exact);
    }

    /** Every unary function of the Tensor API, activations with their β included. */
    static List<UnaryCase> unaryCases() {
        Domain any = Domain.ANY, positive = Domain.POSITIVE, away = Domain.AWAY_FROM_ZERO, whole = Domain.WHOLE;
        List<UnaryCase> cases = new ArrayList<>(List.of(
                u("neg", Tensor::neg, UnaryOp.NEG, 0, 0, any),
                u("exp", Tensor::exp, UnaryOp.EXP, 0, 0, any),
                u("log", Tensor::log, UnaryOp.LOG, 0, 0, positive),
                u("abs", Tensor::abs, UnaryOp.ABS, 0, 0, any),
                u("sqrt", Tensor::sqrt, UnaryOp.SQRT, 0, 0, positive),
                u("square", Tensor::square, UnaryOp.SQUARE, 0, 0, any),
                u("reciprocal", Tensor::reciprocal, UnaryOp.RECIPROCAL, 0, 0, away),
                u("sign", Tensor::sign, UnaryOp.SIGN, 0, 0, whole),
                u("add(1.5)", x -> x.add(1.5), UnaryOp.ADD_SCALAR, 1.5, 0, any),
                u("sub(0.5)", x -> x.sub(0.5), UnaryOp.ADD_SCALAR, -0.5, 0, any),
                u("mul(-2.5)", x -> x.mul(-2.5), UnaryOp.MUL_SCALAR, -2.5, 0, any),
                u("div(4)", x -> x.div(4), UnaryOp.MUL_SCALAR, 0.25, 0, any),
                u("rsub(2)", x -> x.rsub(2), UnaryOp.RSUB_SCALAR, 2, 0, any),
                u("rdiv(3)", x -> x.rdiv(3), UnaryOp.RDIV_SCALAR, 3, 0, away),
                u("pow(2.5)", x -> x.pow(2.5), UnaryOp.POW_SCALAR, 2.5, 0, positive),
                u("pow(3) of negative values too", x -> x.pow(3), UnaryOp.POW_SCALAR, 3, 0, any),
                u("pow(-0.5)", x -> x.pow(-0.5), UnaryOp.POW_SCALAR, -0.5, 0, positive),
                u("maximum(0.5)", x -> x.maximum(0.5), UnaryOp.MAX_SCALAR, 0.5, 0, any),
                u("minimum(-0.5)", x -> x.minimum(-0.5), UnaryOp.MIN_SCALAR, -0.5, 0, any),
                u("clip(-1, 1.5)", x -> x.clip(-1, 1.5), UnaryOp.CLIP, -1, 1.5, any),
                u("gt(1)", x -> x.gt(1), UnaryOp.GT_SCALAR, 1, 0, whole),
                u("ge(1)", x -> x.ge(1), UnaryOp.GE_SCALAR, 1, 0, whole),
                u("lt(1)", x -> x.lt(1), UnaryOp.LT_SCALAR, 1, 0, whole),
                u("le(1)", x -> x.le(1), UnaryOp.LE_SCALAR, 1, 0, whole),
                u("eq(1)", x -> x.eq(1), UnaryOp.EQ_SCALAR, 1, 0, whole),
                u("step h(x), 0 at x = 0", Tensor::step, UnaryOp.STEP, 0, 0, whole),
                u("bipolarStep τ(x), −1 at x = 0", Tensor::bipolarStep, UnaryOp.BIPOLAR_STEP, 0, 0, whole),
                u("relu", Tensor::relu, UnaryOp.RELU, 0, 0, any),
                u("leakyRelu() with slope 0.01", Tensor::leakyRelu, UnaryOp.LEAKY_RELU, 0.01, 0, any),
                u("leakyRelu(0.2)", x -> x.leakyRelu(0.2), UnaryOp.LEAKY_RELU, 0.2, 0, any),
                u("sigmoid()", Tensor::sigmoid, UnaryOp.SIGMOID, 1, 0, any),
                u("sigmoid(β = 0.5)", x -> x.sigmoid(0.5), UnaryOp.SIGMOID, 0.5, 0, any),
                u("sigmoid(β = 2)", x -> x.sigmoid(2), UnaryOp.SIGMOID, 2, 0, any),
                u("tanh()", Tensor::tanh, UnaryOp.TANH, 0, 0, any),
                u("softplus()", Tensor::softplus, UnaryOp.SOFTPLUS, 1, 0, any),
                u("softplus(β = 2)", x -> x.softplus(2), UnaryOp.SOFTPLUS, 2, 0, any),
                u("softplus(β = 0.5)", x -> x.softplus(0.5), UnaryOp.SOFTPLUS, 0.5, 0, any),
                u("swish()", Tensor::swish, UnaryOp.SWISH, 1, 0, any),
                u("swish(β = 0.5)", x -> x.swish(0.5), UnaryOp.SWISH, 0.5, 0, any)));
        // the course notes' hyperbolic tangent with slope β: 2 / (1 + e^(−βs)) − 1
        for (double beta : new double[] {0.5, 1, 2}) {
            cases.add(new UnaryCase(
                    "tanh(β = " + beta + ") = 2/(1+e^(−βs))−1",
                    x -> x.tanh(beta),
                    s -> 2 / (1 + Math.exp(-beta * s)) - 1,
                    any,
                    false));
        }
        return cases;
    }

    /** A Tensor method of two operands and its reference. */
    record BinaryCase(String name, BinaryOperator<Tensor> op, BinaryOp reference, Domain x, Domain y) {
        boolean exact() {
            return switch (reference) {
                case MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE -> true;
                default -> false;
            };
        }
    }

    static List<BinaryCase> binaryCases() {
        Domain any = Domain.ANY, whole = Domain.WHOLE;
        return List.of(
                new BinaryCase("add", Tensor::add, ADD, any, any),
                new BinaryCase("sub", Tensor::sub, SUB, any, any),
                new BinaryCase("mul", Tensor::mul, MUL, any, any),
                new BinaryCase("div", Tensor::div, DIV, any, Domain.AWAY_FROM_ZERO),
                new BinaryCase("pow", Tensor::pow, POW, Domain.POSITIVE, Domain.SMALL),
                new BinaryCase("maximum", Tensor::maximum, MAXIMUM, whole, whole),
                new BinaryCase("minimum", Tensor::minimum, MINIMUM, whole, whole),
                new BinaryCase("eq", Tensor::eq, EQ, whole, whole),
                new BinaryCase("ne", Tensor::ne, NE, whole, whole),
                new BinaryCase("lt", Tensor::lt, LT, whole, whole),
                new BinaryCase("le", Tensor::le, LE, whole, whole),
                new BinaryCase("gt", Tensor::gt, GT, whole, whole),
                new BinaryCase("ge", Tensor::ge, GE, whole, whole));
    }

    static HostArray map(HostArray x, DoubleUnaryOperator f) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(x.data[i]);
        }
        return HostArray.of(out, x.shape);
    }

    /** Odd shapes for unary ops: a prime-sized matrix, rank 3, a single element, a scalar, empty. */
    private static final int[][] UNARY_SHAPES = {{7, 13}, {2, 3, 5}, {1}, {}, {0, 3}};

    @Test
    @DisplayName(
            "every unary function and activation (with β) matches the reference on every layout, odd and empty shapes")
    void unaryFunctions() {
        long seed = 100;
        for (DType dtype : kit.floatTypes) {
            for (UnaryCase c : unaryCases()) {
                for (int[] shape : UNARY_SHAPES) {
                    for (Layout layout : Layout.values()) {
                        if (!layout.appliesTo(shape)) {
                            continue;
                        }
                        Operand x = kit.operand(layout, dtype, c.domain(), seed++, shape);
                        Tolerance tolerance = c.exact() ? Tolerance.EXACT : Tolerance.elementwise(dtype);
                        kit.assertClose(
                                c.name() + " of " + x.describe(),
                                map(x.host(), c.reference()),
                                c.op().apply(x.tensor()),
                                tolerance);
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("exp, sigmoid, tanh, softplus and swish stay finite and accurate for inputs of magnitude 10 to 30")
    void saturatingActivations() {
        HostArray large = HostArray.of(new double[] {-30, -20, -10, 10, 20, 30}, 6);
        for (DType dtype : kit.floatTypes) {
            Tensor x = kit.upload(large, dtype);
            for (UnaryCase c : unaryCases()) {
                if (c.name().startsWith("exp")
                        || c.name().startsWith("sigmoid")
                        || c.name().startsWith("tanh")
                        || c.name().startsWith("softplus")
                        || c.name().startsWith("swish")) {
                    kit.assertClose(
                            c.name() + " of " + Arrays.toString(large.data) + " in " + dtype,
                            map(large, c.reference()),
                            c.op().apply(x),
                            Tolerance.elementwise(dtype));
                }
            }
        }
    }

    /** Shape pairs that broadcast: equal, scalar, row, column, outer, leading axes, empty. */
    private static final int[][][] BROADCAST_PAIRS = {
        {{7, 13}, {7, 13}},
        {{7, 13}, {}},
        {{}, {7, 13}},
        {{7, 13}, {13}},
        {{7, 13}, {7, 1}},
        {{7, 1}, {1, 13}},
        {{2, 1, 5}, {3, 5}},
        {{4, 1, 3}, {1, 6, 1}},
        {{0, 3}, {3}},
        {{}, {}},
        {{1}, {1}}
    };

    @Test
    @DisplayName("every binary op and comparison broadcasts like numpy (scalar, row, column, leading axes, empty)")
    void binaryOpsBroadcast() {
        long seed = 5000;
        for (DType dtype : kit.floatTypes) {
            for (BinaryCase c : binaryCases()) {
                for (int[][] pair : BROADCAST_PAIRS) {
                    Operand x = kit.operand(Layout.CONTIGUOUS, dtype, c.x(), seed++, pair[0]);
                    Operand y = kit.operand(Layout.CONTIGUOUS, dtype, c.y(), seed++, pair[1]);
                    check(c, x, y, dtype);
                }
            }
        }
    }

    @Test
    @DisplayName("binary ops read transposed, stepped-slice and broadcast views as inputs")
    void binaryOpsOnNonContiguousViews() {
        Layout[][] layoutPairs = {
            {Layout.TRANSPOSED, Layout.STRIDED},
            {Layout.STRIDED, Layout.BROADCAST},
            {Layout.BROADCAST, Layout.TRANSPOSED},
            {Layout.TRANSPOSED, Layout.CONTIGUOUS}
        };
        long seed = 9000;
        for (DType dtype : kit.floatTypes) {
            for (BinaryCase c : binaryCases()) {
                for (Layout[] layouts : layoutPairs) {
                    for (int[] shape : new int[][] {{7, 13}, {2, 3, 5}}) {
                        Operand x = kit.operand(layouts[0], dtype, c.x(), seed++, shape);
                        Operand y = kit.operand(layouts[1], dtype, c.y(), seed++, shape);
                        check(c, x, y, dtype);
                    }
                }
                // a transposed matrix against a row broadcast over it
                Operand x = kit.operand(Layout.TRANSPOSED, dtype, c.x(), seed++, 7, 13);
                Operand row = kit.operand(Layout.STRIDED, dtype, c.y(), seed++, 13);
                check(c, x, row, dtype);
            }
        }
    }

    private void check(BinaryCase c, Operand x, Operand y, DType dtype) {
        Tolerance tolerance = c.exact() ? Tolerance.EXACT : Tolerance.elementwise(dtype);
        kit.assertClose(
                c.name() + "(" + x.describe() + ", " + y.describe() + ")",
                Reference.binary(c.reference(), x.host(), y.host(), 0),
                c.op().apply(x.tensor(), y.tensor()),
                tolerance);
    }

    @Test
    @DisplayName("where(cond, x, y) picks x where cond ≠ 0, with broadcasting, views, INT32 and float conditions")
    void whereSelects() {
        long seed = 12000;
        for (DType dtype : kit.floatTypes) {
            int[][][] shapes = {
                {{7, 13}, {7, 13}, {7, 13}}, {{7, 1}, {13}, {}}, {{2, 1, 5}, {3, 1}, {5}}, {{0, 3}, {3}, {}}
            };
            for (int[][] s : shapes) {
                for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED}) {
                    Operand cond = kit.operand(layout, dtype, Domain.WHOLE, seed++, s[0]);
                    Operand x = kit.operand(layout, dtype, Domain.ANY, seed++, s[1]);
                    Operand y = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, s[2]);
                    kit.assertExact(
                            "where(" + cond.describe() + ", " + x.describe() + ", " + y.describe() + ")",
                            Reference.where(cond.host(), x.host(), y.host()),
                            Tensor.where(cond.tensor(), x.tensor(), y.tensor()));
                }
            }
            HostArray condition = kit.random(seed++, Domain.WHOLE, DType.INT32, 7, 13);
            Operand x = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, 7, 13);
            Operand y = kit.operand(Layout.STRIDED, dtype, Domain.ANY, seed++, 7, 13);
            kit.assertExact(
                    "where with an INT32 condition in " + dtype,
                    Reference.where(condition, x.host(), y.host()),
                    Tensor.where(kit.upload(condition, DType.INT32), x.tensor(), y.tensor()));
        }
    }

    @Test
    @DisplayName("large operands (1000 × 513): a row added to every row, then sigmoid")
    void largeOperands() {
        DType dtype = DType.FLOAT32;
        Operand x = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, 77, 1000, 513);
        Operand row = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, 78, 513);
        Tensor sum = x.tensor().add(row.tensor());
        HostArray expected = Reference.binary(ADD, x.host(), row.host(), 0);
        kit.assertClose("add of [1000, 513] and a row", expected, sum, Tolerance.elementwise(dtype));
        kit.assertClose(
                "sigmoid of [1000, 513]",
                Reference.unary(UnaryOp.SIGMOID, expected.roundedTo(dtype), 1, 0),
                sum.sigmoid(),
                Tolerance.elementwise(dtype));
        Operand xt = kit.operand(Layout.TRANSPOSED, dtype, Domain.ANY, 79, 513, 1000);
        kit.assertClose(
                "exp of a transposed [513, 1000] view",
                Reference.unary(UnaryOp.EXP, xt.host(), 0, 0),
                xt.tensor().exp(),
                Tolerance.elementwise(dtype));
    }
}
