package dev.nabla.conformance;

import dev.nabla.backend.Compositions;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.tensor.Tensor;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every fused operation of the SPI gives what its composition from the primitives gives
 * ({@link Compositions}): a backend that overrides one with a kernel of its own is checked against the
 * default it replaces, on odd shapes, in every floating type it supports.
 */
abstract class FusionSpec extends Spec {
    /** Odd shapes; the last has many narrow rows (the row kernels' chunking and their split across threads). */
    private static final int[][] SHAPES = {{1, 1}, {7, 13}, {33, 10}, {20_000, 6}};

    private long seed = 7000;

    protected FusionSpec(Kit kit) {
        super(kit);
    }

    private Tensor random(DType dtype, Domain domain, int... shape) {
        return kit.upload(kit.random(seed++, domain, dtype, shape), dtype);
    }

    /** Runs {@code op} once as the backend does and once composed, on two outputs, and compares them. */
    private void compare(String what, DType dtype, int[] shape, BiConsumer<Boolean, View> op) {
        Tensor fused = t.empty(dtype, shape);
        Tensor composed = t.empty(dtype, shape);
        op.accept(true, fused.view());
        op.accept(false, composed.view());
        kit.assertClose(what, HostArray.of(composed.toDoubleArray(), shape), fused, Tolerance.composite(dtype));
    }

    @Test
    @DisplayName("softmax and log-softmax")
    void softmax() {
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : SHAPES) {
                for (boolean log : new boolean[] {false, true}) {
                    View x = random(dtype, Domain.ANY, shape).view();
                    compare((log ? "log-softmax " : "softmax ") + dtype, dtype, shape, (viaBackend, out) -> {
                        if (viaBackend) {
                            backend.softmax(x, out, log);
                        } else {
                            Compositions.softmax(backend, x, out, log);
                        }
                    });
                }
            }
        }
    }

    @Test
    @DisplayName("softmax cross-entropy: the loss and the probabilities, and the backward")
    void softmaxCrossEntropy() {
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : SHAPES) {
                View logits = random(dtype, Domain.ANY, shape).view();
                View targets = random(dtype, Domain.POSITIVE, shape).view();
                int[] rows = {shape[0]};
                Tensor fusedProbs = t.empty(dtype, shape);
                Tensor composedProbs = t.empty(dtype, shape);
                compare("softmaxCrossEntropy loss " + dtype, dtype, rows, (viaBackend, loss) -> {
                    if (viaBackend) {
                        backend.softmaxCrossEntropy(logits, targets, loss, fusedProbs.view());
                    } else {
                        Compositions.softmaxCrossEntropy(backend, logits, targets, loss, composedProbs.view());
                    }
                });
                kit.assertClose(
                        "softmaxCrossEntropy probabilities " + dtype,
                        HostArray.of(composedProbs.toDoubleArray(), shape),
                        fusedProbs,
                        Tolerance.composite(dtype));
                View gradLoss = random(dtype, Domain.ANY, rows).view();
                compare("softmaxCrossEntropyBackward " + dtype, dtype, shape, (viaBackend, out) -> {
                    if (viaBackend) {
                        backend.softmaxCrossEntropyBackward(composedProbs.view(), targets, gradLoss, out);
                    } else {
                        Compositions.softmaxCrossEntropyBackward(backend, composedProbs.view(), targets, gradLoss, out);
                    }
                });
            }
        }
    }

    @Test
    @DisplayName("gathering rows: repeated rows, a slice of a longer order, one row, long and narrow rows")
    void gatherRows() {
        int[][] sourceShapes = {{1, 1}, {13, 7}, {300, 33}, {5, 1000}};
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : sourceShapes) {
                int n = shape[0], cols = shape[1];
                View source = random(dtype, Domain.ANY, shape).view();
                int skip = 3, count = 2 * n + 1; // every row, some twice, read from index 3 of the order on
                double[] order = new double[skip + count];
                for (int k = 0; k < order.length; k++) {
                    order[k] = (k * 7L + 5) % n;
                }
                Tensor all = kit.upload(HostArray.of(order, order.length), DType.INT32);
                View rows = new View(all.view().buffer(), DType.INT32, skip, new int[] {count}, new long[] {1});
                int[] outShape = {count, cols};
                compare("gatherRows " + dtype + " " + n + "x" + cols, dtype, outShape, (viaBackend, out) -> {
                    if (viaBackend) {
                        backend.gatherRows(source, rows, out);
                    } else {
                        Compositions.gatherRows(backend, source, rows, out);
                    }
                });
            }
        }
    }

    @Test
    @DisplayName("one-hot")
    void oneHot() {
        for (DType dtype : kit.floatTypes) {
            int n = 11, classes = 5;
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (i * 3) % classes;
            }
            View indices = kit.upload(HostArray.of(labels, n), DType.INT32).view();
            compare("oneHot " + dtype, dtype, new int[] {n, classes}, (viaBackend, out) -> {
                if (viaBackend) {
                    backend.oneHot(indices, out);
                } else {
                    Compositions.oneHot(backend, indices, out);
                }
            });
        }
    }

    @Test
    @DisplayName("bias + activation, for no activation and each one the SPI fuses")
    void biasActivation() {
        UnaryOp[] activations = {
            null, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.SOFTPLUS, UnaryOp.SWISH
        };
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : SHAPES) {
                for (UnaryOp activation : activations) {
                    View x = random(dtype, Domain.ANY, shape).view();
                    View bias = random(dtype, Domain.ANY, shape[1]).view();
                    double a = activation == UnaryOp.LEAKY_RELU ? 0.01 : 1;
                    compare("biasActivation " + activation + " " + dtype, dtype, shape, (viaBackend, out) -> {
                        if (viaBackend) {
                            backend.biasActivation(x, bias, activation, a, out);
                        } else {
                            Compositions.biasActivation(backend, x, bias, activation, a, out);
                        }
                    });
                }
            }
        }
    }

    @Test
    @DisplayName("the backward of bias + activation, for each activation whose derivative is one of its output")
    void biasActivationBackward() {
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : SHAPES) {
                for (UnaryOp activation : new UnaryOp[] {UnaryOp.RELU, UnaryOp.SIGMOID, UnaryOp.TANH}) {
                    View out = random(dtype, Domain.SMALL, shape).view();
                    View gradOut = random(dtype, Domain.ANY, shape).view();
                    Tensor fusedBias = t.empty(dtype, shape[1]);
                    Tensor composedBias = t.empty(dtype, shape[1]);
                    compare(
                            "biasActivationBackward " + activation + " " + dtype,
                            dtype,
                            shape,
                            (viaBackend, gradIn) -> {
                                if (viaBackend) {
                                    backend.biasActivationBackward(
                                            out, gradOut, activation, 1, gradIn, fusedBias.view());
                                } else {
                                    Compositions.biasActivationBackward(
                                            backend, out, gradOut, activation, 1, gradIn, composedBias.view());
                                }
                            });
                    kit.assertClose(
                            "biasActivationBackward " + activation + " " + dtype + ": bias gradient",
                            HostArray.of(composedBias.toDoubleArray(), shape[1]),
                            fusedBias,
                            Tolerance.composite(dtype));
                }
            }
        }
    }

    /**
     * Window geometries for the window ops: stride 1 and 2, VALID and SAME padding (even windows pad more after
     * than before), dilation 2, odd sizes, batch 1, one channel and many; each with a number of groups.
     * {n, h, w, c, kh, kw, stride, dilation, same (1) or valid (0), groups}.
     */
    private static final int[][] WINDOWS = {
        {2, 7, 5, 3, 3, 3, 1, 1, 0, 1},
        {2, 7, 5, 3, 3, 3, 1, 1, 1, 1},
        {2, 7, 5, 3, 3, 2, 2, 1, 0, 1},
        {2, 6, 6, 4, 3, 3, 2, 1, 1, 2},
        {1, 9, 8, 2, 3, 3, 1, 2, 1, 1},
        {1, 9, 8, 2, 3, 3, 2, 2, 0, 2},
        {1, 5, 5, 1, 2, 2, 2, 1, 0, 1},
        {3, 4, 4, 6, 2, 2, 1, 1, 1, 3},
        {2, 6, 6, 4, 4, 4, 2, 1, 1, 4},
        {2, 7, 6, 1, 5, 5, 1, 1, 1, 1}, // one channel, padded on every side (a grayscale image's first layer)
        {1, 9, 8, 2, 3, 3, 1, 2, 1, 2}, // depthwise, dilated, padded
    };

    /** The geometry as conv2d and the pools compute it (SAME: ⌈in / stride⌉ outputs, the extra padding after). */
    private static Window2d window(int[] g) {
        int[] rows = axis(g[1], g[4], g[6], g[7], g[8] == 1);
        int[] cols = axis(g[2], g[5], g[6], g[7], g[8] == 1);
        return new Window2d(
                g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[6], g[7], g[7], rows[0], rows[1], cols[0], cols[1], rows[2],
                cols[2]);
    }

    /** {before, after, out} along one axis. */
    private static int[] axis(int in, int k, int stride, int dilation, boolean same) {
        int effective = (k - 1) * dilation + 1;
        if (!same) {
            return new int[] {0, 0, (in - effective) / stride + 1};
        }
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {total / 2, total - total / 2, out};
    }

    @Test
    @DisplayName("im2col and col2im, its adjoint, for each window geometry and grouping")
    void im2colAndCol2im() {
        for (DType dtype : kit.floatTypes) {
            for (int[] g : WINDOWS) {
                Window2d win = window(g);
                int groups = g[9];
                int[] image = {win.n(), win.h(), win.w(), win.c()};
                int[] colShape = {groups, (int) win.windows(), win.taps() * win.c() / groups};
                View x = random(dtype, Domain.ANY, image).view();
                compare("im2col " + win + " groups " + groups + " " + dtype, dtype, colShape, (viaBackend, cols) -> {
                    if (viaBackend) {
                        backend.im2col(x, win, groups, 0.5, cols);
                    } else {
                        Compositions.im2col(backend, x, win, groups, 0.5, cols);
                    }
                });
                View cols = random(dtype, Domain.ANY, colShape).view();
                compare("col2im " + win + " groups " + groups + " " + dtype, dtype, image, (viaBackend, dx) -> {
                    if (viaBackend) {
                        backend.col2im(cols, win, groups, dx);
                    } else {
                        Compositions.col2im(backend, cols, win, groups, dx);
                    }
                });
            }
        }
    }

    @Test
    @DisplayName("max pooling: the maxima (with and without the argmax), the argmax (flat input indices), the backward")
    void maxPool2d() {
        for (DType dtype : kit.floatTypes) {
            for (int[] g : WINDOWS) {
                Window2d win = window(g);
                int[] image = {win.n(), win.h(), win.w(), win.c()};
                int[] pooled = {win.n(), win.oh(), win.ow(), win.c()};
                View x = random(dtype, Domain.ANY, image).view();
                Tensor fusedArgmax = t.empty(DType.INT32, pooled);
                Tensor composedArgmax = t.empty(DType.INT32, pooled);
                compare("maxPool2d " + win + " " + dtype, dtype, pooled, (viaBackend, out) -> {
                    if (viaBackend) {
                        backend.maxPool2d(x, win, out, fusedArgmax.view());
                    } else {
                        Compositions.maxPool2d(backend, x, win, out, composedArgmax.view());
                    }
                });
                compare("maxPool2d without an argmax " + win + " " + dtype, dtype, pooled, (viaBackend, out) -> {
                    if (viaBackend) {
                        backend.maxPool2d(x, win, out, null);
                    } else {
                        Compositions.maxPool2d(backend, x, win, out, composedArgmax.view());
                    }
                });
                kit.assertClose(
                        "maxPool2d argmax " + win + " " + dtype,
                        HostArray.of(composedArgmax.toDoubleArray(), pooled),
                        fusedArgmax,
                        Tolerance.composite(dtype));
                View gradOut = random(dtype, Domain.ANY, pooled).view();
                compare("maxPool2dBackward " + win + " " + dtype, dtype, image, (viaBackend, dx) -> {
                    if (viaBackend) {
                        backend.maxPool2dBackward(gradOut, composedArgmax.view(), win, dx);
                    } else {
                        Compositions.maxPool2dBackward(backend, gradOut, composedArgmax.view(), win, dx);
                    }
                });
            }
        }
    }

    /** An optimizer update applied to two copies of the same parameter and state; both are compared. */
    private interface Update {
        void apply(boolean viaBackend, View param, View grad, View state1, View state2);
    }

    private void compareUpdate(String what, DType dtype, Update update) {
        int[] shape = {37};
        HostArray param = kit.random(seed++, Domain.ANY, dtype, shape);
        HostArray grad = kit.random(seed++, Domain.ANY, dtype, shape);
        HostArray state1 = kit.random(seed++, Domain.ANY, dtype, shape);
        HostArray state2 = kit.random(seed++, Domain.POSITIVE, dtype, shape);
        Tensor[] fused = {kit.upload(param, dtype), kit.upload(state1, dtype), kit.upload(state2, dtype)};
        Tensor[] composed = {kit.upload(param, dtype), kit.upload(state1, dtype), kit.upload(state2, dtype)};
        View g = kit.upload(grad, dtype).view();
        update.apply(true, fused[0].view(), g, fused[1].view(), fused[2].view());
        update.apply(false, composed[0].view(), g, composed[1].view(), composed[2].view());
        String[] names = {"parameter", "first state", "second state"};
        for (int i = 0; i < 3; i++) {
            kit.assertClose(
                    what + " " + dtype + ": " + names[i],
                    HostArray.of(composed[i].toDoubleArray(), shape),
                    fused[i],
                    Tolerance.composite(dtype));
        }
    }

    @Test
    @DisplayName("SGD plain, with momentum, with Nesterov momentum")
    void sgdUpdate() {
        for (DType dtype : kit.floatTypes) {
            compareUpdate("SGD", dtype, (viaBackend, p, g, v, unused) -> {
                if (viaBackend) {
                    backend.sgdUpdate(p, g, null, 0.1, 0, false);
                } else {
                    Compositions.sgdUpdate(backend, p, g, null, 0.1, 0, false);
                }
            });
            for (boolean nesterov : new boolean[] {false, true}) {
                compareUpdate("SGD momentum nesterov=" + nesterov, dtype, (viaBackend, p, g, v, unused) -> {
                    if (viaBackend) {
                        backend.sgdUpdate(p, g, v, 0.1, 0.9, nesterov);
                    } else {
                        Compositions.sgdUpdate(backend, p, g, v, 0.1, 0.9, nesterov);
                    }
                });
            }
        }
    }

    @Test
    @DisplayName("RMSprop")
    void rmspropUpdate() {
        for (DType dtype : kit.floatTypes) {
            compareUpdate("RMSprop", dtype, (viaBackend, p, g, unused, ms) -> {
                if (viaBackend) {
                    backend.rmspropUpdate(p, g, ms, 0.01, 0.9, 1e-7);
                } else {
                    Compositions.rmspropUpdate(backend, p, g, ms, 0.01, 0.9, 1e-7);
                }
            });
        }
    }

    @Test
    @DisplayName("Adam and AdamW")
    void adamUpdate() {
        for (DType dtype : kit.floatTypes) {
            for (double decay : new double[] {0, 0.004}) {
                compareUpdate("Adam decay=" + decay, dtype, (viaBackend, p, g, m, v) -> {
                    if (viaBackend) {
                        backend.adamUpdate(p, g, m, v, 0.001, 0.9, 0.999, 1e-7, decay);
                    } else {
                        Compositions.adamUpdate(backend, p, g, m, v, 0.001, 0.9, 0.999, 1e-7, decay);
                    }
                });
            }
        }
    }

    /** Rank-0 views of per-step scalars on the device, as the optimizers keep them (FLOAT64 where there is one). */
    private View[] deviceScalars(double... values) {
        DType dtype = backend.supports(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
        Tensor holder = t.zeros(dtype, values.length);
        if (dtype == DType.FLOAT64) {
            backend.write(holder.view().buffer(), holder.view().offset(), values, 0, values.length);
        } else {
            float[] rounded = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                rounded[i] = (float) values[i];
            }
            backend.write(holder.view().buffer(), holder.view().offset(), rounded, 0, values.length);
        }
        View[] out = new View[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new View(holder.view().buffer(), dtype, holder.view().offset() + i, new int[0], new long[0]);
        }
        return out;
    }

    @Test
    @DisplayName("the per-step-scalar forms of the updates (scalars read on the device) against the double forms")
    void deviceScalarForms() {
        View[] s = deviceScalars(0.1, 0.0009, 0.004, 0.996);
        for (DType dtype : kit.floatTypes) {
            for (boolean nesterov : new boolean[] {false, true}) {
                compareUpdate("SGD, lr on the device, nesterov=" + nesterov, dtype, (device, p, g, v, unused) -> {
                    if (device) {
                        backend.sgdUpdate(p, g, v, s[0], 0.9, nesterov);
                    } else {
                        backend.sgdUpdate(p, g, v, 0.1, 0.9, nesterov);
                    }
                });
            }
            compareUpdate("RMSprop, lr on the device", dtype, (device, p, g, unused, ms) -> {
                if (device) {
                    backend.rmspropUpdate(p, g, ms, s[0], 0.9, 1e-7);
                } else {
                    backend.rmspropUpdate(p, g, ms, 0.1, 0.9, 1e-7);
                }
            });
            compareUpdate("AdamW, alpha and decay on the device", dtype, (device, p, g, m, v) -> {
                if (device) {
                    backend.adamUpdate(p, g, m, v, s[1], s[2], 0.9, 0.999, 1e-7);
                } else {
                    backend.adamUpdate(p, g, m, v, 0.0009, 0.9, 0.999, 1e-7, 0.004);
                }
            });
            compareUpdate("weight decay factor on the device", dtype, (device, p, g, unused1, unused2) -> {
                if (device) {
                    backend.unary(dev.nabla.backend.UnaryOp.MUL_SCALAR, p, p, s[3], 0);
                } else {
                    backend.unary(dev.nabla.backend.UnaryOp.MUL_SCALAR, p, p, 0.996, 0);
                }
            });
        }
    }
}
