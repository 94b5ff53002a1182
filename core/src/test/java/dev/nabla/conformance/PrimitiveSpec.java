package dev.nabla.conformance;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each SPI primitive called directly, on views with offsets, odd strides and stride-0 axes that
 * core may never build today but the contract allows. Buffers come from tensors, so the test
 * scope releases them.
 */
abstract class PrimitiveSpec extends Spec {

    protected PrimitiveSpec(Kit kit) {
        super(kit);
    }

    /** A contiguous buffer of {@code n} random values: the tensor that owns it and its values. */
    private record Buffer(Tensor tensor, double[] values) {
        DeviceBuffer device() {
            return tensor.view().buffer();
        }

        View view(long offset, int[] shape, long[] strides) {
            return new View(device(), tensor.dtype(), offset, shape, strides);
        }

        /** The logical values of a view of this buffer. */
        HostArray gather(View v) {
            double[] out = new double[(int) v.size()];
            for (int flat = 0; flat < out.length; flat++) {
                out[flat] = values[(int) position(v, flat)];
            }
            return HostArray.of(out, v.shape());
        }
    }

    static long position(View v, int flat) {
        int[] index = HostArray.unravel(flat, v.shape());
        long p = v.offset();
        for (int i = 0; i < index.length; i++) {
            p += index[i] * v.strides()[i];
        }
        return p;
    }

    private long seed = 2000;

    private Buffer buffer(DType dtype, Domain domain, int n) {
        HostArray values = kit.random(seed++, domain, dtype, n);
        return new Buffer(kit.upload(values, dtype), values.data);
    }

    private Tensor out(DType dtype, int... shape) {
        return t.empty(dtype, shape);
    }

    /** A 5 × 4 window with strides (9, 2) starting at element 3 of a 64-element buffer. */
    private static View strided(Buffer b) {
        return b.view(3, new int[] {5, 4}, new long[] {9, 2});
    }

    /** A 5 × 4 view that repeats a row of 4 (stride 0 on axis 0) starting at element 7. */
    private static View broadcastRow(Buffer b) {
        return b.view(7, new int[] {5, 4}, new long[] {0, 3});
    }

    @Test
    @DisplayName("fill writes a value into a strided window and nowhere else")
    void fill() {
        for (DType dtype : kit.floatTypes) {
            Buffer b = buffer(dtype, Domain.ANY, 64);
            View window = strided(b);
            backend.fill(window, -1.25);
            double[] expected = b.values().clone();
            for (int i = 0; i < window.size(); i++) {
                expected[(int) position(window, i)] = -1.25;
            }
            kit.assertExact("fill of a strided window (" + dtype + ")", HostArray.of(expected, 64), b.tensor());
        }
        Buffer ints = new Buffer(t.zeros(DType.INT32, 10), new double[10]);
        backend.fill(ints.view(1, new int[] {3}, new long[] {3}), 7);
        kit.assertValues(
                "fill of INT32 every third element", new double[] {0, 7, 0, 0, 7, 0, 0, 7, 0, 0}, ints.tensor(), 0);
    }

    @Test
    @DisplayName("copy between strided, transposed and broadcast views, with casts FLOAT ↔ INT32 and FLOAT32 ↔ FLOAT64")
    void copy() {
        DType[] types = backend.supports(DType.FLOAT64)
                ? new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}
                : new DType[] {DType.FLOAT32, DType.INT32};
        for (DType from : types) {
            for (DType to : types) {
                Buffer src = buffer(from, new Domain(-9, 9, 0, false), 64);
                Buffer dst = new Buffer(t.zeros(to, 40), new double[40]);
                View source = strided(src);
                View target = dst.view(0, new int[] {5, 4}, new long[] {1, 5}); // a transposed destination
                backend.copy(source, target);
                double[] expected = new double[40];
                HostArray values = src.gather(source).roundedTo(to);
                for (int i = 0; i < values.size(); i++) {
                    expected[(int) position(target, i)] = values.data[i];
                }
                kit.assertExact(
                        "copy of a strided " + from + " window into a transposed " + to + " view",
                        HostArray.of(expected, 40),
                        dst.tensor());
            }
            Buffer src = buffer(from, Domain.ANY, 64);
            Tensor dst = out(from, 5, 4);
            backend.copy(broadcastRow(src), dst.view());
            kit.assertExact("copy of a broadcast row (" + from + ")", src.gather(broadcastRow(src)), dst);
        }
    }

    @Test
    @DisplayName("unary: every UnaryOp on a strided window and on a broadcast row")
    void unary() {
        for (DType dtype : kit.floatTypes) {
            for (UnaryOp op : UnaryOp.values()) {
                double a = switch (op) {
                    case CLIP -> -0.5;
                    case SOFTPLUS, SIGMOID, SWISH -> 1.5;
                    case LEAKY_RELU -> 0.1;
                    case POW_SCALAR -> 1.5;
                    default -> 0.75;
                };
                double b = op == UnaryOp.CLIP ? 0.8 : 0;
                Domain domain = switch (op) {
                    case LOG, SQRT, POW_SCALAR -> Domain.POSITIVE;
                    case RECIPROCAL, RDIV_SCALAR -> Domain.AWAY_FROM_ZERO;
                    default -> Domain.ANY;
                };
                Buffer buffer = buffer(dtype, domain, 64);
                for (View x : new View[] {strided(buffer), broadcastRow(buffer)}) {
                    Tensor result = out(dtype, 5, 4);
                    backend.unary(op, x, result.view(), a, b);
                    kit.assertClose(
                            "SPI unary " + op + " of " + x,
                            Reference.unary(op, buffer.gather(x), a, b),
                            result,
                            Tolerance.elementwise(dtype));
                }
            }
        }
    }

    @Test
    @DisplayName("binary: every BinaryOp, the fused activation backward ops included, on strided and broadcast views")
    void binary() {
        for (DType dtype : kit.floatTypes) {
            for (BinaryOp op : BinaryOp.values()) {
                double a = op == BinaryOp.SIGMOID_BACKWARD ? 1.5 : 0.1;
                Domain xs = op == BinaryOp.POW
                        ? Domain.POSITIVE
                        : op.name().startsWith("SIGMOID") ? new Domain(0.01, 0.99, 0, false) : Domain.WHOLE;
                Domain ys =
                        op == BinaryOp.DIV ? Domain.AWAY_FROM_ZERO : op == BinaryOp.POW ? Domain.SMALL : Domain.WHOLE;
                if (op == BinaryOp.TANH_BACKWARD
                        || op.name().startsWith("RELU")
                        || op.name().startsWith("LEAKY")) {
                    xs = Domain.ANY;
                    ys = Domain.ANY;
                }
                Buffer bx = buffer(dtype, xs, 64);
                Buffer by = buffer(dtype, ys, 64);
                View[][] pairs = {
                    {strided(bx), broadcastRow(by)},
                    {broadcastRow(bx), strided(by)},
                    {bx.view(0, new int[] {5, 4}, new long[] {0, 0}), strided(by)}
                };
                for (View[] pair : pairs) {
                    Tensor result = out(dtype, 5, 4);
                    backend.binary(op, pair[0], pair[1], result.view(), a);
                    kit.assertClose(
                            "SPI binary " + op + " of " + pair[0] + " and " + pair[1],
                            Reference.binary(op, bx.gather(pair[0]), by.gather(pair[1]), a),
                            result,
                            Tolerance.elementwise(dtype));
                }
            }
        }
    }

    @Test
    @DisplayName("where on strided views with a broadcast condition")
    void where() {
        for (DType dtype : kit.floatTypes) {
            Buffer cond = buffer(dtype, Domain.WHOLE, 64);
            Buffer x = buffer(dtype, Domain.ANY, 64);
            Buffer y = buffer(dtype, Domain.ANY, 64);
            Tensor result = out(dtype, 5, 4);
            backend.where(broadcastRow(cond), strided(x), broadcastRow(y), result.view());
            kit.assertExact(
                    "SPI where",
                    Reference.where(cond.gather(broadcastRow(cond)), x.gather(strided(x)), y.gather(broadcastRow(y))),
                    result);
        }
    }

    @Test
    @DisplayName("reduce of the trailing one or two axes of permuted views, every ReduceOp")
    void reduce() {
        for (DType dtype : kit.floatTypes) {
            HostArray distinct = kit.distinct(seed++, dtype, 60);
            Buffer b = new Buffer(kit.upload(distinct, dtype), distinct.data);
            // [3, 4, 5] stored, viewed as [5, 3, 4] (permute(2, 0, 1))
            View permuted = b.view(0, new int[] {5, 3, 4}, new long[] {1, 20, 5});
            HostArray logical = b.gather(permuted);
            for (ReduceOp op : ReduceOp.values()) {
                Reference.Reduce reference = Reference.Reduce.valueOf(op.name());
                for (int reduced : new int[] {1, 2}) {
                    int[] axes = reduced == 1 ? new int[] {2} : new int[] {1, 2};
                    int[] keptShape = reduced == 1 ? new int[] {5, 3} : new int[] {5};
                    Tensor result = out(op.producesIndex() ? DType.INT32 : dtype, keptShape);
                    backend.reduce(op, permuted, reduced, result.view());
                    Tolerance tolerance = op == ReduceOp.SUM ? Tolerance.accumulated(dtype) : Tolerance.EXACT;
                    kit.assertClose(
                            "SPI reduce " + op + " of the last " + reduced + " axes of " + permuted,
                            Reference.reduce(reference, logical, axes, false),
                            result,
                            tolerance);
                }
            }
            // a broadcast axis among the reduced ones
            View repeated = b.view(4, new int[] {3, 6, 5}, new long[] {7, 0, 1});
            Tensor sums = out(dtype, 3);
            backend.reduce(ReduceOp.SUM, repeated, 2, sums.view());
            kit.assertClose(
                    "SPI reduce SUM over a broadcast axis",
                    Reference.reduce(Reference.Reduce.SUM, b.gather(repeated), new int[] {1, 2}, false),
                    sums,
                    Tolerance.accumulated(dtype));
        }
    }

    @Test
    @DisplayName("matmul with padded leading dimensions, batch strides of 0, and each transpose flag")
    void matmul() {
        for (DType dtype : kit.floatTypes) {
            int m = 5, k = 7, n = 3;
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    // stored [batch, rows, cols] with a leading dimension padded by 2, A's batch stride 0
                    int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                    Buffer a = buffer(dtype, Domain.ANY, 3 + aRows * (aCols + 2));
                    Buffer b = buffer(dtype, Domain.ANY, 2 * bRows * (bCols + 1) + 1);
                    View av = a.view(3, new int[] {2, aRows, aCols}, new long[] {0, aCols + 2, 1});
                    View bv = b.view(1, new int[] {2, bRows, bCols}, new long[] {bRows * (bCols + 1), bCols + 1, 1});
                    Tensor result = out(dtype, 2, m, n);
                    backend.matmul(av, ta, bv, tb, result.view());
                    HostArray left = a.gather(av), right = b.gather(bv);
                    HostArray expected = Reference.matmul(ta ? left.t() : left, tb ? right.t() : right);
                    kit.assertClose(
                            "SPI matmul transposeA=" + ta + " transposeB=" + tb,
                            expected,
                            result,
                            Tolerance.accumulated(dtype));
                }
            }
        }
    }

    @Test
    @DisplayName("softmax, log-softmax, softmax cross-entropy and its backward, one-hot and bias+activation kernels")
    void fusedKernels() {
        for (DType dtype : kit.floatTypes) {
            Buffer x = buffer(dtype, new Domain(-20, 20, 0, false), 6 * 7);
            View xv = x.view(0, new int[] {6, 7}, new long[] {7, 1});
            HostArray logits = x.gather(xv);
            for (boolean log : new boolean[] {false, true}) {
                Tensor result = out(dtype, 6, 7);
                backend.softmax(xv, result.view(), log);
                kit.assertClose(
                        "SPI softmax log=" + log,
                        Reference.softmax(logits, 1, log),
                        result,
                        Tolerance.accumulated(dtype));
            }
            HostArray targets = Reference.softmax(kit.random(seed++, Domain.ANY, dtype, 6, 7), 1, false)
                    .roundedTo(dtype);
            Tensor targetTensor = kit.upload(targets, dtype);
            Tensor loss = out(dtype, 6);
            Tensor probs = out(dtype, 6, 7);
            backend.softmaxCrossEntropy(xv, targetTensor.view(), loss.view(), probs.view());
            kit.assertClose(
                    "SPI softmaxCrossEntropy loss",
                    Reference.softmaxCrossEntropy(logits, targets),
                    loss,
                    Tolerance.accumulated(dtype));
            kit.assertClose(
                    "SPI softmaxCrossEntropy probabilities",
                    Reference.softmax(logits, 1, false),
                    probs,
                    Tolerance.accumulated(dtype));
            HostArray gradLoss = kit.random(seed++, Domain.ANY, dtype, 6);
            Tensor grad = out(dtype, 6, 7);
            backend.softmaxCrossEntropyBackward(
                    probs.view(),
                    targetTensor.view(),
                    kit.upload(gradLoss, dtype).view(),
                    grad.view());
            HostArray expectedGrad = Reference.binary(
                    BinaryOp.MUL,
                    Reference.binary(BinaryOp.SUB, Reference.softmax(logits, 1, false), targets, 0),
                    gradLoss.reshape(6, 1),
                    0);
            kit.assertClose("SPI softmaxCrossEntropyBackward", expectedGrad, grad, Tolerance.accumulated(dtype));

            Tensor hot = out(dtype, 4, 3);
            backend.oneHot(t.of(new int[] {2, 0, 1, 2}).view(), hot.view());
            kit.assertValues("SPI oneHot into " + dtype, new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, hot, 0);

            Buffer bias = buffer(dtype, Domain.ANY, 7);
            HostArray biasValues = HostArray.of(bias.values(), 7);
            for (UnaryOp activation : new UnaryOp[] {
                null, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.SOFTPLUS, UnaryOp.SWISH
            }) {
                double a = activation == UnaryOp.LEAKY_RELU ? 0.3 : 1.25;
                Tensor result = out(dtype, 6, 7);
                backend.biasActivation(xv, bias.tensor().view(), activation, a, result.view());
                HostArray sum =
                        Reference.binary(BinaryOp.ADD, logits, biasValues, 0).roundedTo(dtype);
                kit.assertClose(
                        "SPI biasActivation " + activation,
                        activation == null ? sum : Reference.unary(activation, sum, a, 0),
                        result,
                        Tolerance.elementwise(dtype));
            }
        }
    }

    @Test
    @DisplayName("random with a 64-bit seed and a counter that crosses 2³² draws Philox.sample's numbers")
    void random() {
        long seed64 = 0x1234_5678_9ABC_DEF0L;
        long counter = 0xFFFF_FFFEL;
        for (DType dtype : kit.floatTypes) {
            for (RandomKind kind : RandomKind.values()) {
                double a = kind == RandomKind.DROPOUT_MASK ? 0.5 : -1, b = kind == RandomKind.DROPOUT_MASK ? 0 : 2;
                Tensor result = out(dtype, 41);
                backend.random(kind, seed64, counter, a, b, result.view());
                Tolerance tolerance =
                        kind == RandomKind.NORMAL ? Tolerance.normalDraws(dtype) : Tolerance.elementwise(dtype);
                kit.assertClose(
                        "SPI random " + kind + " across the 2³² block boundary",
                        Reference.random(kind, seed64, counter, a, b, 41).roundedTo(dtype),
                        result,
                        tolerance);
            }
        }
    }

    @Test
    @DisplayName("optimizer updates: SGD (plain, momentum, Nesterov), RMSprop and Adam(W) in place")
    void optimizerUpdates() {
        for (DType dtype : kit.floatTypes) {
            Tolerance tolerance = Tolerance.composite(dtype);
            for (int variant = 0; variant < 3; variant++) {
                Buffer p = buffer(dtype, Domain.ANY, 37),
                        g = buffer(dtype, Domain.ANY, 37),
                        v = buffer(dtype, Domain.SMALL, 37);
                boolean momentum = variant > 0, nesterov = variant == 2;
                backend.sgdUpdate(
                        p.tensor().view(),
                        g.tensor().view(),
                        momentum ? v.tensor().view() : null,
                        0.1,
                        0.9,
                        nesterov);
                double[][] expected =
                        Reference.sgd(p.values(), g.values(), momentum ? v.values() : null, 0.1, 0.9, nesterov);
                kit.assertClose(
                        "SPI sgdUpdate momentum=" + momentum + " nesterov=" + nesterov + " parameters",
                        HostArray.of(expected[0], 37),
                        p.tensor(),
                        tolerance);
                if (momentum) {
                    kit.assertClose("SPI sgdUpdate velocity", HostArray.of(expected[1], 37), v.tensor(), tolerance);
                }
            }
            Buffer p = buffer(dtype, Domain.ANY, 37), g = buffer(dtype, Domain.ANY, 37);
            Buffer ms = buffer(dtype, Domain.POSITIVE, 37);
            backend.rmspropUpdate(
                    p.tensor().view(), g.tensor().view(), ms.tensor().view(), 0.01, 0.9, 1e-7);
            double[][] rms = Reference.rmsprop(p.values(), g.values(), ms.values(), 0.01, 0.9, 1e-7);
            kit.assertClose("SPI rmspropUpdate parameters", HostArray.of(rms[0], 37), p.tensor(), tolerance);
            kit.assertClose("SPI rmspropUpdate mean squares", HostArray.of(rms[1], 37), ms.tensor(), tolerance);

            Buffer q = buffer(dtype, Domain.ANY, 37), gq = buffer(dtype, Domain.ANY, 37);
            Buffer m = buffer(dtype, Domain.SMALL, 37), v = buffer(dtype, Domain.POSITIVE, 37);
            backend.adamUpdate(
                    q.tensor().view(),
                    gq.tensor().view(),
                    m.tensor().view(),
                    v.tensor().view(),
                    0.001,
                    0.9,
                    0.999,
                    1e-7,
                    0.004);
            double[][] adam =
                    Reference.adam(q.values(), gq.values(), m.values(), v.values(), 0.001, 0.9, 0.999, 1e-7, 0.004);
            kit.assertClose("SPI adamUpdate parameters", HostArray.of(adam[0], 37), q.tensor(), tolerance);
            kit.assertClose("SPI adamUpdate first moments", HostArray.of(adam[1], 37), m.tensor(), tolerance);
            kit.assertClose("SPI adamUpdate second moments", HostArray.of(adam[2], 37), v.tensor(), tolerance);
        }
    }

    @Test
    @DisplayName("write and read at offsets; allocate and release move the live-buffer count; synchronize returns")
    void memoryAndTransfer() {
        Tensor target = t.zeros(10);
        backend.write(target.view().buffer(), 3, new float[] {9, 1, 2, 3, 9}, 1, 3);
        kit.assertValues("write of 3 floats at element 3", new double[] {0, 0, 0, 1, 2, 3, 0, 0, 0, 0}, target, 0);
        float[] back = new float[6];
        backend.read(target.view().buffer(), 2, back, 1, 4);
        kit.assertTrue(
                "read of 4 floats from element 2 into offset 1",
                java.util.Arrays.equals(new float[] {0, 0, 1, 2, 3, 0}, back));
        if (backend.supports(DType.FLOAT64)) {
            Tensor d = t.zeros(DType.FLOAT64, 4);
            backend.write(d.view().buffer(), 1, new double[] {Math.E, Math.PI}, 0, 2);
            kit.assertValues("write of doubles", new double[] {0, Math.E, Math.PI, 0}, d, 0);
        }
        Tensor ints = t.zeros(DType.INT32, 3);
        backend.write(ints.view().buffer(), 0, new int[] {-5, 6, 7}, 0, 3);
        kit.assertValues("write of ints", new double[] {-5, 6, 7}, ints, 0);

        MemoryStats before = backend.memoryStats();
        DeviceBuffer raw = backend.allocate(DType.FLOAT32, 1000);
        kit.assertTrue(
                "an allocated buffer holds at least what was asked",
                raw.capacity() >= 1000 && raw.dtype() == DType.FLOAT32);
        kit.assertEquals(
                "live buffers after allocate",
                before.liveBuffers() + 1,
                backend.memoryStats().liveBuffers());
        backend.release(raw);
        kit.assertEquals(
                "live buffers after release",
                before.liveBuffers(),
                backend.memoryStats().liveBuffers());
        backend.synchronize();
        kit.assertTrue(
                "the backend names its device",
                backend.deviceName() != null && !backend.deviceName().isBlank());
        kit.assertTrue("supports FLOAT32 and INT32", backend.supports(DType.FLOAT32) && backend.supports(DType.INT32));
    }
}
