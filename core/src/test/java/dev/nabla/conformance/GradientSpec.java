package dev.nabla.conformance;

import dev.nabla.autograd.GradCheck;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every differentiable op's backward against central differences ({@link GradCheck}): in FLOAT64
 * when the backend supports it, else in FLOAT32 with GradCheck's looser FLOAT32 defaults. Inputs
 * keep away from kinks (ReLU at 0, ties of max) by more than the step.
 */
abstract class GradientSpec extends Spec {

    protected GradientSpec(Kit kit) {
        super(kit);
    }

    private long seed = 3000;

    private Tensor input(Domain domain, int... shape) {
        return kit.upload(kit.random(seed++, domain, DType.FLOAT32, shape), DType.FLOAT32);
    }

    private Tensor input(int... shape) {
        return input(Domain.ANY, shape);
    }

    /** Distinct values (pairwise at least 0.05 apart): no ties anywhere, also across tensors split from it. */
    private Tensor distinct(int... shape) {
        return kit.upload(kit.distinct(seed++, DType.FLOAT32, shape), DType.FLOAT32);
    }

    private void grad(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        kit.assertGradients(name, f, inputs);
    }

    private void grad1(String name, UnaryOperator<Tensor> f, Tensor input) {
        grad(name, in -> f.apply(in.get(0)), input);
    }

    @Test
    @DisplayName("unary functions and activations (with β)")
    void unaryFunctions() {
        for (ElementwiseSpec.UnaryCase c : ElementwiseSpec.unaryCases()) {
            if (c.exact()
                    && !c.name().startsWith("neg")
                    && !c.name().startsWith("abs")
                    && !c.name().startsWith("relu")) {
                continue; // comparisons, steps and sign have no gradient; max/min/clip are checked below
            }
            Domain domain = c.domain() == Domain.ANY
                            && (c.name().startsWith("abs")
                                    || c.name().startsWith("relu")
                                    || c.name().startsWith("leakyRelu"))
                    ? Domain.AWAY_FROM_ZERO
                    : c.domain();
            grad1(c.name(), c.op(), input(domain, 3, 4));
        }
        Tensor awayFromKinks = t.of(new float[] {-2.1f, -1.3f, -0.6f, 0.2f, 0.9f, 1.2f, 1.8f, 2.7f}, 2, 4);
        grad1("clip(−1, 1.5)", x -> x.clip(-1, 1.5), awayFromKinks);
        grad1("maximum(0.5)", x -> x.maximum(0.5), awayFromKinks);
        grad1("minimum(−0.5)", x -> x.minimum(-0.5), awayFromKinks);
        grad1("x·x uses one input twice", x -> x.mul(x), input(3, 4));
    }

    @Test
    @DisplayName("binary ops with broadcasting: same shape, row, column, scalar, leading axes")
    void binaryOps() {
        int[][][] pairs = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 1}, {3, 4}}, {{3, 4}, {}}, {{2, 1, 4}, {3, 4}}};
        for (int[][] p : pairs) {
            String shapes = " of " + java.util.Arrays.toString(p[0]) + " and " + java.util.Arrays.toString(p[1]);
            grad("add" + shapes, in -> in.get(0).add(in.get(1)), input(p[0]), input(p[1]));
            grad("sub" + shapes, in -> in.get(0).sub(in.get(1)), input(p[0]), input(p[1]));
            grad("mul" + shapes, in -> in.get(0).mul(in.get(1)), input(p[0]), input(p[1]));
            grad("div" + shapes, in -> in.get(0).div(in.get(1)), input(p[0]), input(Domain.AWAY_FROM_ZERO, p[1]));
            grad(
                    "pow" + shapes,
                    in -> in.get(0).pow(in.get(1)),
                    input(Domain.POSITIVE, p[0]),
                    input(Domain.SMALL, p[1]));
            // maximum and minimum: both operands from one set of distinct values, so no ties
            int n0 = (int) HostArray.size(p[0]);
            Tensor both = distinct(n0 + (int) HostArray.size(p[1]));
            Tensor x = both.slice(0, 0, n0).reshape(p[0]).contiguous();
            Tensor y = both.slice(0, n0, (int) both.size()).reshape(p[1]).contiguous();
            grad("maximum" + shapes, in -> in.get(0).maximum(in.get(1)), x, y);
            grad("minimum" + shapes, in -> in.get(0).minimum(in.get(1)), x, y);
        }
    }

    @Test
    @DisplayName("where routes the gradient to the chosen operand, with a broadcast condition")
    void where() {
        Tensor cond = t.of(new float[] {1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1}, 3, 4);
        grad(
                "where(cond, x, y)",
                in -> Tensor.where(cond.to(in.get(0).dtype()), in.get(0), in.get(1)),
                input(3, 4),
                input(3, 4));
        Tensor column = t.of(new float[] {1, 0, 1}, 3, 1);
        grad(
                "where(column, x, row)",
                in -> Tensor.where(column.to(in.get(0).dtype()), in.get(0), in.get(1)),
                input(3, 4),
                input(4));
    }

    @Test
    @DisplayName("reductions: sum, mean, max, min, variance over axis sets, keepDims or not")
    void reductions() {
        int[][] axesSets = {{}, {1}, {0, 2}, {-1}};
        for (int[] axes : axesSets) {
            String over = " over " + java.util.Arrays.toString(axes);
            for (boolean keep : new boolean[] {false, true}) {
                String name = over + (keep ? " keepDims" : "");
                grad1("sum" + name, x -> x.sum(axes, keep), input(2, 3, 4));
                grad1("mean" + name, x -> x.mean(axes, keep), input(2, 3, 4));
                grad1("variance" + name, x -> x.variance(axes, keep), input(2, 3, 4));
            }
            grad1("max" + over, x -> x.max(axes), distinct(2, 3, 4));
            grad1("min" + over, x -> x.min(axes), distinct(2, 3, 4));
        }
    }

    @Test
    @DisplayName("matmul: 2-D, batched, broadcast batch, transposed views, 1-D operands")
    void matmul() {
        grad("[3, 4] · [4, 2]", in -> in.get(0).matmul(in.get(1)), input(3, 4), input(4, 2));
        grad("batched [2, 3, 4] · [2, 4, 2]", in -> in.get(0).matmul(in.get(1)), input(2, 3, 4), input(2, 4, 2));
        grad("batch [2, 3, 4] · matrix [4, 2]", in -> in.get(0).matmul(in.get(1)), input(2, 3, 4), input(4, 2));
        grad(
                "broadcast batch [2, 1, 3, 4] · [3, 4, 2]",
                in -> in.get(0).matmul(in.get(1)),
                input(2, 1, 3, 4),
                input(3, 4, 2));
        grad("aᵀ · b with a.t() a view", in -> in.get(0).t().matmul(in.get(1)), input(4, 3), input(4, 2));
        grad("a · bᵀ with b.t() a view", in -> in.get(0).matmul(in.get(1).t()), input(3, 4), input(2, 4));
        grad("vector · matrix", in -> in.get(0).matmul(in.get(1)), input(4), input(4, 2));
        grad("matrix · vector", in -> in.get(0).matmul(in.get(1)), input(3, 4), input(4));
        grad("dot product", in -> in.get(0).matmul(in.get(1)), input(5), input(5));
    }

    @Test
    @DisplayName(
            "softmax and logSoftmax along each axis, softmaxCrossEntropy, biasActivation with each activation, dropout")
    void neuralOps() {
        for (int axis : new int[] {0, 1, -1}) {
            grad1("softmax along " + axis, x -> x.softmax(axis), input(3, 4));
            grad1("logSoftmax along " + axis, x -> x.logSoftmax(axis), input(3, 4));
        }
        grad1("softmax along 1 of rank 3", x -> x.softmax(1), input(2, 3, 4));
        grad1("logSoftmax along 0 of rank 3", x -> x.logSoftmax(0), input(2, 3, 2));
        Tensor hot = t.of(new float[] {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, 3, 4);
        grad1(
                "softmaxCrossEntropy against one-hot targets",
                x -> x.softmaxCrossEntropy(hot.to(x.dtype())),
                input(3, 4));
        Tensor soft =
                t.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f, 0.7f, 0.1f, 0.1f, 0.1f}, 3, 4);
        grad1("softmaxCrossEntropy against soft targets", x -> x.softmaxCrossEntropy(soft.to(x.dtype())), input(3, 4));
        Object[][] activations = {
            {null, 0.0},
            {UnaryOp.RELU, 0.0},
            {UnaryOp.LEAKY_RELU, 0.2},
            {UnaryOp.SIGMOID, 1.0},
            {UnaryOp.SIGMOID, 2.0},
            {UnaryOp.TANH, 0.0},
            {UnaryOp.SOFTPLUS, 1.5},
            {UnaryOp.SWISH, 0.5}
        };
        for (Object[] a : activations) {
            UnaryOp activation = (UnaryOp) a[0];
            double parameter = (Double) a[1];
            // x + bias stays away from 0 (the ReLU kinks): x in ±[1, 3], bias in [−0.5, 0.5)
            Tensor x = kit.upload(kit.random(seed++, new Domain(-3, 3, 1, false), DType.FLOAT32, 3, 4), DType.FLOAT32);
            grad(
                    "biasActivation(" + activation + ", " + parameter + ")",
                    in -> in.get(0).biasActivation(in.get(1), activation, parameter),
                    x,
                    input(new Domain(-0.5, 0.5, 0, false), 4));
        }
        grad1("dropout(0.5) with a fixed mask", x -> x.dropout(0.5, new Generator(3)), input(3, 4));
    }

    @Test
    @DisplayName(
            "views and copies pass gradients through: reshape, permute, t(), slice, select, broadcastTo, squeeze, concat, stack")
    void viewsAndCopies() {
        grad1("reshape", x -> x.reshape(4, 3).mul(x.reshape(4, 3)), input(3, 4));
        grad1("flatten", x -> x.flatten().square(), input(2, 3, 2));
        grad1("permute(2, 0, 1)", x -> x.permute(2, 0, 1).exp(), input(2, 3, 4));
        grad1("transpose(0, 1) of rank 3", x -> x.transpose(0, 1).contiguous(), input(2, 3, 4));
        grad1("t() then matmul with itself", x -> x.t().matmul(x), input(3, 4));
        grad1("slice with step 2", x -> x.slice(1, 1, 4, 2).square(), input(3, 4));
        grad1("slice of a slice", x -> x.slice(0, 1, 3).slice(1, 0, 4, 3).exp(), input(3, 4));
        grad1("select", x -> x.select(0, 1).square(), input(3, 4));
        grad1(
                "broadcastTo",
                x -> x.broadcastTo(2, 3, 4)
                        .mul(t.arange(0, 24, 1).reshape(2, 3, 4).to(x.dtype())),
                input(3, 1));
        grad1("squeeze", x -> x.squeeze().square(), input(1, 3, 1));
        grad1("unsqueeze", x -> x.unsqueeze(1).exp(), input(3, 4));
        grad1("contiguous of a transposed view", x -> x.t().contiguous().square(), input(3, 4));
        grad1("copy", x -> x.copy().square(), input(3, 4));
        grad(
                "concat along 1",
                in -> Tensor.concat(List.of(in.get(0), in.get(1)), 1).square(),
                input(3, 2),
                input(3, 4));
        grad(
                "stack along 0",
                in -> Tensor.stack(List.of(in.get(0), in.get(1)), 0).exp(),
                input(3, 4),
                input(3, 4));
    }

    @Test
    @DisplayName("a two-layer network's loss, through every layer's parameters")
    void twoLayerNetwork() {
        Tensor x = input(5, 3);
        Tensor labels = t.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0}, 5, 3);
        grad(
                "mean softmax cross-entropy of tanh(x·W1 + b1)·W2 + b2",
                in -> {
                    Tensor hidden = x.to(in.get(0).dtype())
                            .matmul(in.get(0))
                            .add(in.get(1))
                            .tanh();
                    Tensor logits = hidden.matmul(in.get(2)).add(in.get(3));
                    return logits.softmaxCrossEntropy(labels.to(logits.dtype())).mean();
                },
                input(3, 4),
                input(4),
                input(4, 3),
                input(3));
    }

    @Test
    @DisplayName("GradCheck catches a wrong gradient (x·detach(x) has gradient x, not 2x)")
    void gradCheckCatchesAWrongGradient() {
        GradCheck.Result result =
                GradCheck.check(in -> in.get(0).mul(in.get(0).detach()), List.of(input(Domain.AWAY_FROM_ZERO, 3)));
        kit.assertTrue("GradCheck must fail for x·detach(x), got: " + result, !result.passed());
        kit.assertTrue("the failure report names the input", result.toString().contains("input 0 [3]"));
    }

    @Test
    @DisplayName("gradients accumulate over backward passes; zeroGrad clears them; NoGrad records nothing")
    void accumulation() {
        DType dtype = kit.precise;
        Tensor w = t.full(dtype, 2, 3).requiresGrad(true);
        w.mul(w).sum().backward();
        kit.assertValues("d(Σw²)/dw = 2w", new double[] {4, 4, 4}, w.grad(), 0);
        w.mul(3).sum().backward();
        kit.assertValues("a second backward adds 3", new double[] {7, 7, 7}, w.grad(), 0);
        w.zeroGrad();
        kit.assertTrue("zeroGrad clears the gradient", w.grad() == null);
        try (dev.nabla.tensor.NoGrad off = dev.nabla.tensor.NoGrad.enter()) {
            kit.assertTrue("NoGrad records no graph", !w.mul(2).tracksGrad());
        }
        w.close();
    }
}
