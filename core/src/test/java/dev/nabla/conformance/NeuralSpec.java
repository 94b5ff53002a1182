package dev.nabla.conformance;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.UnaryOp;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.conformance.Kit.Layout;
import dev.nabla.conformance.Kit.Operand;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fused kernels through the Tensor API: softmax family, one-hot, cross-entropy, bias+activation, dropout. */
abstract class NeuralSpec extends Spec {

    protected NeuralSpec(Kit kit) {
        super(kit);
    }

    @Test
    @DisplayName("softmax and logSoftmax along each axis of a rank-3 tensor, contiguous and transposed")
    void softmaxAlongEachAxis() {
        long seed = 800;
        for (DType dtype : kit.floatTypes) {
            for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.STRIDED}) {
                Operand x = kit.operand(layout, dtype, Domain.ANY, seed++, 3, 4, 5);
                for (int axis : new int[] {0, 1, 2, -1}) {
                    kit.assertClose(
                            "softmax along " + axis + " of " + x.describe(),
                            Reference.softmax(x.host(), axis, false),
                            x.tensor().softmax(axis),
                            Tolerance.accumulated(dtype));
                    kit.assertClose(
                            "logSoftmax along " + axis + " of " + x.describe(),
                            Reference.softmax(x.host(), axis, true),
                            x.tensor().logSoftmax(axis),
                            Tolerance.accumulated(dtype));
                }
            }
            for (int[] shape : new int[][] {{7}, {1, 1}, {7, 13}, {1, 5}}) {
                Operand x = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, shape);
                kit.assertClose(
                        "softmax along −1 of " + x.describe(),
                        Reference.softmax(x.host(), -1, false),
                        x.tensor().softmax(-1),
                        Tolerance.accumulated(dtype));
                kit.assertClose(
                        "logSoftmax along 0 of " + x.describe(),
                        Reference.softmax(x.host(), 0, true),
                        x.tensor().logSoftmax(0),
                        Tolerance.accumulated(dtype));
            }
            kit.assertShape(
                    "softmax of an empty [0, 4] along 1",
                    new int[] {0, 4},
                    t.zeros(dtype, 0, 4).softmax(1));
        }
    }

    @Test
    @DisplayName("softmax and logSoftmax stay finite and exact for logits of magnitude 100 to 1000")
    void softmaxOfLargeLogits() {
        for (DType dtype : kit.floatTypes) {
            HostArray logits = HostArray.of(new double[] {1000, 1001, -1000, 500, -100, 100, 0, 250}, 2, 4);
            Tensor x = kit.upload(logits, dtype);
            kit.assertClose(
                    "softmax of large logits in " + dtype,
                    Reference.softmax(logits, 1, false),
                    x.softmax(1),
                    Tolerance.accumulated(dtype));
            kit.assertClose(
                    "logSoftmax of large logits in " + dtype,
                    Reference.softmax(logits, 1, true),
                    x.logSoftmax(1),
                    Tolerance.accumulated(dtype));
        }
    }

    @Test
    @DisplayName("hardmax puts 1 at the largest entry along an axis (the first on ties) and 0 elsewhere")
    void hardmax() {
        long seed = 900;
        for (DType dtype : kit.floatTypes) {
            Operand x = kit.operand(kit.distinct(seed++, dtype, 3, 4, 5), Layout.TRANSPOSED, dtype);
            for (int axis : new int[] {0, 1, 2, -1}) {
                Tensor hard = x.tensor().hardmax(axis);
                kit.assertEquals("hardmax keeps the dtype", dtype, hard.dtype());
                kit.assertExact(
                        "hardmax along " + axis + " of " + x.describe(), Reference.hardmax(x.host(), axis), hard);
            }
            Tensor ties = kit.upload(HostArray.of(new double[] {2, 5, 5, 1}, 4), dtype);
            kit.assertValues("hardmax of [2, 5, 5, 1]", new double[] {0, 1, 0, 0}, ties.hardmax(0), 0);
        }
    }

    @Test
    @DisplayName("oneHot turns INT32 indices of any shape into FLOAT32 rows")
    void oneHot() {
        SplittableRandom random = new SplittableRandom(1000);
        for (int[] shape : new int[][] {{7}, {2, 3}, {1}, {0}}) {
            double[] labels = new double[(int) HostArray.size(shape)];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(5);
            }
            HostArray indices = HostArray.of(labels, shape);
            Tensor hot = kit.upload(indices, DType.INT32).oneHot(5);
            kit.assertEquals("oneHot gives FLOAT32", DType.FLOAT32, hot.dtype());
            kit.assertExact("oneHot(5) of " + indices, Reference.oneHot(indices, 5), hot);
        }
        Tensor strided = kit.upload(HostArray.of(new double[] {0, 9, 1, 9, 2, 9, 3}, 7), DType.INT32)
                .slice(0, 0, 7, 2);
        kit.assertValues(
                "oneHot of a stepped slice [0, 1, 2, 3]",
                new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1},
                strided.oneHot(4),
                0);
    }

    @Test
    @DisplayName("softmaxCrossEntropy of logits against one-hot and soft targets")
    void softmaxCrossEntropy() {
        long seed = 1100;
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : new int[][] {{7, 5}, {1, 3}, {16, 10}}) {
                Operand logits = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, shape);
                HostArray oneHot = oneHotRows(seed++, shape[0], shape[1]);
                kit.assertClose(
                        "softmaxCrossEntropy of " + logits.describe() + " against one-hot targets",
                        Reference.softmaxCrossEntropy(logits.host(), oneHot),
                        logits.tensor().softmaxCrossEntropy(kit.upload(oneHot, dtype)),
                        Tolerance.accumulated(dtype));
                HostArray soft = Reference.softmax(kit.random(seed++, Domain.ANY, dtype, shape), 1, false)
                        .roundedTo(dtype);
                kit.assertClose(
                        "softmaxCrossEntropy of " + logits.describe() + " against soft targets",
                        Reference.softmaxCrossEntropy(logits.host(), soft),
                        logits.tensor().softmaxCrossEntropy(kit.upload(soft, dtype)),
                        Tolerance.accumulated(dtype));
            }
            Operand transposed = kit.operand(Layout.TRANSPOSED, dtype, Domain.ANY, seed++, 6, 4);
            HostArray targets = oneHotRows(seed++, 6, 4);
            kit.assertClose(
                    "softmaxCrossEntropy of transposed logits",
                    Reference.softmaxCrossEntropy(transposed.host(), targets),
                    transposed.tensor().softmaxCrossEntropy(kit.upload(targets, dtype)),
                    Tolerance.accumulated(dtype));
            HostArray large = HostArray.of(new double[] {1000, 1001, -1000, 0, 0, 0}, 2, 3);
            HostArray picks = HostArray.of(new double[] {1, 0, 0, 0, 0, 1}, 2, 3);
            kit.assertClose(
                    "softmaxCrossEntropy of large logits stays finite",
                    Reference.softmaxCrossEntropy(large, picks),
                    kit.upload(large, dtype).softmaxCrossEntropy(kit.upload(picks, dtype)),
                    Tolerance.accumulated(dtype));
        }
    }

    static HostArray oneHotRows(long seed, int rows, int classes) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            values[r * classes + random.nextInt(classes)] = 1;
        }
        return HostArray.of(values, rows, classes);
    }

    @Test
    @DisplayName("biasActivation adds a bias to every row and applies each fusable activation with its parameter")
    void biasActivation() {
        long seed = 1200;
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
        for (DType dtype : kit.floatTypes) {
            for (Object[] a : activations) {
                UnaryOp activation = (UnaryOp) a[0];
                double parameter = (Double) a[1];
                for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED}) {
                    Operand x = kit.operand(layout, dtype, Domain.ANY, seed++, 7, 13);
                    Operand bias = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, 13);
                    Tensor out = x.tensor().biasActivation(bias.tensor(), activation, parameter);
                    // the reference rounds x + bias to the working type first, as a kernel does
                    HostArray sum = Reference.binary(BinaryOp.ADD, x.host(), bias.host(), 0)
                            .roundedTo(dtype);
                    HostArray expected = activation == null ? sum : Reference.unary(activation, sum, parameter, 0);
                    kit.assertClose(
                            "biasActivation(" + activation + ", " + parameter + ") of " + x.describe(),
                            expected,
                            out,
                            Tolerance.elementwise(dtype));
                }
            }
            kit.assertShape(
                    "biasActivation of an empty batch",
                    new int[] {0, 3},
                    t.zeros(dtype, 0, 3).biasActivation(t.ones(dtype, 3), UnaryOp.RELU, 0));
        }
    }

    @Test
    @DisplayName(
            "biasActivation's backward gives activation′(out)·gradient and its column sums, small and large (fused on a backend)")
    void biasActivationBackward() {
        long seed = 1250;
        Object[][] activations = {{UnaryOp.RELU, 0.0}, {UnaryOp.SIGMOID, 2.0}, {UnaryOp.TANH, 0.0}};
        int[][] shapes = {{7, 13}, {300, 700}}; // the large one is split across threads where a backend does that
        for (DType dtype : kit.floatTypes) {
            for (Object[] a : activations) {
                UnaryOp activation = (UnaryOp) a[0];
                double parameter = (Double) a[1];
                for (int[] shape : shapes) {
                    int rows = shape[0], cols = shape[1];
                    Tensor x = kit.upload(kit.random(seed++, Domain.ANY, dtype, rows, cols), dtype)
                            .requiresGrad(true);
                    Tensor bias = kit.upload(kit.random(seed++, Domain.SMALL, dtype, cols), dtype)
                            .requiresGrad(true);
                    HostArray upstream = kit.random(seed++, Domain.ANY, dtype, rows, cols);
                    Tensor out = x.biasActivation(bias, activation, parameter);
                    out.mul(kit.upload(upstream, dtype)).sum().backward();
                    HostArray outHost =
                            HostArray.of(out.detach().to(DType.FLOAT64).toDoubleArray(), rows, cols);
                    HostArray gradIn =
                            Reference.binary(BinaryOp.outputDerivativeOf(activation), outHost, upstream, parameter);
                    String what = "biasActivation(" + activation + ", " + parameter + ") of [" + rows + ", " + cols
                            + "] in " + dtype;
                    kit.assertClose("input gradient of " + what, gradIn, x.grad(), Tolerance.elementwise(dtype));
                    kit.assertClose(
                            "bias gradient of " + what,
                            Reference.reduce(Reference.Reduce.SUM, gradIn.roundedTo(dtype), new int[] {0}, false),
                            bias.grad(),
                            Tolerance.accumulated(dtype));
                }
            }
        }
    }

    @Test
    @DisplayName("dropout multiplies by Philox's inverted-dropout mask: 1/keep with probability keep, else 0")
    void dropout() {
        for (DType dtype : kit.floatTypes) {
            Operand x = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, 1300, 7, 13);
            Generator generator = new Generator(42);
            Tensor dropped = x.tensor().dropout(0.25, generator);
            HostArray mask = Reference.random(RandomKind.DROPOUT_MASK, 42, 0, 0.75, 0, 7, 13)
                    .roundedTo(dtype);
            kit.assertClose(
                    "dropout(0.25) of " + x.describe(),
                    Reference.binary(BinaryOp.MUL, x.host(), mask, 0),
                    dropped,
                    Tolerance.elementwise(dtype));
            kit.assertEquals(
                    "the generator advanced by the mask's blocks",
                    RandomKind.DROPOUT_MASK.blocksFor(91),
                    generator.position());
            Tensor again = x.tensor().dropout(0.25, generator);
            HostArray next = Reference.random(
                            RandomKind.DROPOUT_MASK, 42, RandomKind.DROPOUT_MASK.blocksFor(91), 0.75, 0, 7, 13)
                    .roundedTo(dtype);
            kit.assertClose(
                    "a second dropout draws the next mask",
                    Reference.binary(BinaryOp.MUL, x.host(), next, 0),
                    again,
                    Tolerance.elementwise(dtype));
            kit.assertExact("dropout(0) is the identity", x.host(), x.tensor().dropout(0, generator));
        }
        Tensor ones = t.ones(100, 100);
        double kept = ones.dropout(0.25, new Generator(7)).gt(0).mean().item();
        kit.assertValue("fraction kept by dropout(0.25) of 10,000 ones", 0.75, kept, 0.02);
        kit.assertValue(
                "dropout(0.25) keeps the mean",
                1.0,
                ones.dropout(0.25, new Generator(8)).mean().item(),
                0.03);
    }
}
