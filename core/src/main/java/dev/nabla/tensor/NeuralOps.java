package dev.nabla.tensor;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.UnaryOp;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** Softmax, cross-entropy, one-hot, fused bias + activation and dropout. */
final class NeuralOps {
    private static final Set<UnaryOp> FUSABLE = EnumSet.of(
            UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.SOFTPLUS, UnaryOp.SWISH);

    private NeuralOps() {}

    /** Moves {@code axis} last, flattens to rows, applies the fused kernel, and undoes the layout. */
    static Tensor softmax(Tensor x, int axis, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        Checks.open(x, name);
        Checks.floating(name, x);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(name + ": needs a tensor of rank ≥ 1, got a scalar");
        }
        int a = Shapes.axis(name, axis, x.rank());
        int last = x.rank() - 1;
        Tensor moved = a == last ? x : x.transpose(a, last);
        int[] movedShape = moved.view.shape();
        int cols = movedShape[last];
        Tensor rows = moved.reshape(-1, Math.max(cols, 1));
        Tensor result = softmaxRows(rows, log);
        Tensor shaped = result.reshape(movedShape);
        Tensor out = a == last ? shaped : shaped.transpose(a, last);
        if (!out.tracksGrad()) {
            if (moved != x) {
                moved.close();
            }
            rows.close();
            result.close();
            if (shaped != out) {
                shaped.close();
            }
        }
        return out;
    }

    private static Tensor softmaxRows(Tensor x, boolean log) {
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
        if (out.size() > 0) {
            x.backend().softmax(x.view, out.view, log);
        }
        NanCheck.check(log ? "logSoftmax" : "softmax", out, x);
        if (Autograd.needed(x)) {
            Autograd.record(out, log ? "logSoftmax" : "softmax", new Tensor[] {x}, g -> new Tensor[] {
                log
                        ? g.sub(out.exp().mul(g.sum(new int[] {-1}, true)))
                        : out.mul(g.sub(g.mul(out).sum(new int[] {-1}, true)))
            });
        }
        return out;
    }

    static Tensor hardmax(Tensor x, int axis) {
        Checks.open(x, "hardmax");
        int a = Shapes.axis("hardmax", axis, x.rank());
        int last = x.rank() - 1;
        int classes = x.view.shape()[a];
        try (NoGrad off = NoGrad.enter()) {
            Tensor moved = a == last ? x.detach() : x.transpose(a, last);
            Tensor index = moved.argmax(-1);
            Tensor hot = index.oneHot(classes);
            Tensor typed = hot.dtype() == x.dtype() ? hot : hot.to(x.dtype());
            Tensor out = a == last ? typed : typed.transpose(a, last).contiguous();
            for (Tensor t : new Tensor[] {moved, index, hot, typed}) {
                if (t != out) {
                    t.close();
                }
            }
            return out;
        }
    }

    static Tensor oneHot(Tensor indices, int classes) {
        Checks.open(indices, "oneHot");
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("oneHot: expected INT32 indices, got " + indices.describe());
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("oneHot: the number of classes must be positive, got " + classes);
        }
        int[] values = indices.toIntArray(); // labels are small; checking them here gives a clear error
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= classes) {
                throw new IllegalArgumentException("oneHot: index " + values[i] + " at position " + i
                        + " is out of range; expected 0 ≤ index < " + classes);
            }
        }
        Tensor contiguous = indices.contiguous();
        Tensor flat = contiguous.reshape(values.length); // the SPI takes indices of shape [n]
        Tensor out = Tensor.empty(indices.backend(), DType.FLOAT32, new int[] {values.length, classes});
        if (values.length > 0) {
            indices.backend().oneHot(flat.view, out.view);
        }
        flat.close();
        contiguous.close();
        Tensor shaped = out.reshape(Tensor.concatShape(indices.view.shape(), classes));
        out.close();
        return shaped;
    }

    static Tensor softmaxCrossEntropy(Tensor logits, Tensor targets) {
        Checks.compatible("softmaxCrossEntropy", logits, targets);
        Checks.floating("softmaxCrossEntropy", logits);
        Checks.rank("softmaxCrossEntropy", logits, 2);
        if (!Arrays.equals(logits.view.shape(), targets.view.shape())) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits of shape " + Shapes.str(logits.view.shape())
                    + " and targets of shape " + Shapes.str(targets.view.shape())
                    + " differ; expected targets with one probability per logit, [samples, classes]");
        }
        Tensor x = logits.isContiguous() ? logits : logits.contiguous();
        Tensor t = targets.isContiguous() ? targets : targets.contiguous();
        int rows = logits.shape(0);
        Tensor loss = Tensor.empty(logits.backend(), logits.dtype(), new int[] {rows});
        Tensor probs = Tensor.empty(logits.backend(), logits.dtype(), logits.view.shape());
        // probs stays with the caller's scope like every other intermediate: the node closes it after
        // backward, and the scope closes it when the step fails before backward runs (no leak).
        if (rows > 0) {
            logits.backend().softmaxCrossEntropy(x.view, t.view, loss.view, probs.view);
        }
        try {
            NanCheck.check("softmaxCrossEntropy", loss, logits, targets);
        } catch (NonFiniteValueException e) {
            probs.close();
            throw e;
        }
        if (Autograd.needed(logits)) {
            Autograd.record(loss, "softmaxCrossEntropy", new Tensor[] {logits, targets}, g -> {
                Tensor grad = Tensor.empty(logits.backend(), logits.dtype(), logits.view.shape());
                Tensor gc = g.isContiguous() ? g : g.contiguous();
                logits.backend().softmaxCrossEntropyBackward(probs.view, t.view, gc.view, grad.view);
                probs.close();
                NanCheck.check("softmaxCrossEntropy gradient", grad, g);
                return new Tensor[] {grad, null};
            });
        } else {
            probs.close();
        }
        return loss;
    }

    static Tensor biasActivation(Tensor x, Tensor bias, UnaryOp activation, double a) {
        Checks.compatible("biasActivation", x, bias);
        Checks.floating("biasActivation", x);
        Checks.rank("biasActivation", x, 2);
        if (bias.rank() != 1 || bias.shape(0) != x.shape(1)) {
            throw new IllegalArgumentException("biasActivation: bias of shape " + Shapes.str(bias.view.shape())
                    + " does not fit input of shape " + Shapes.str(x.view.shape()) + "; expected [" + x.shape(1) + "]");
        }
        if (activation != null && !FUSABLE.contains(activation)) {
            throw new IllegalArgumentException(
                    "biasActivation: " + activation + " cannot be fused; expected one of " + FUSABLE);
        }
        Tensor xc = x.isContiguous() ? x : x.contiguous();
        Tensor bc = bias.isContiguous() ? bias : bias.contiguous();
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
        if (out.size() > 0) {
            x.backend().biasActivation(xc.view, bc.view, activation, a, out.view);
        }
        NanCheck.check(
                "biasActivation" + (activation == null ? "" : " (" + Elementwise.name(activation) + ")"), out, x, bias);
        if (Autograd.needed(x, bias)) {
            Autograd.record(out, "biasActivation", new Tensor[] {x, bias}, g -> {
                if (BinaryOp.outputDerivativeOf(activation) != null && bias.tracksGrad() && out.size() > 0) {
                    return fusedBiasActivationBackward(activation, a, out, g, x.tracksGrad());
                }
                Tensor pre = activationGradient(activation, a, x, bias, out, g);
                return new Tensor[] {x.tracksGrad() ? pre : null, bias.tracksGrad() ? pre.sum(0) : null};
            });
        }
        return out;
    }

    /** Both gradients of biasActivation in one backend pass: {x's (null unless wanted), bias's}. */
    private static Tensor[] fusedBiasActivationBackward(
            UnaryOp activation, double a, Tensor out, Tensor g, boolean inputWanted) {
        Tensor gc = g.isContiguous() ? g : g.contiguous();
        Tensor pre = Tensor.empty(out.backend(), out.dtype(), out.view.shape());
        Tensor biasGrad = Tensor.empty(out.backend(), out.dtype(), new int[] {out.shape(1)});
        out.backend().biasActivationBackward(out.view, gc.view, activation, a, pre.view, biasGrad.view);
        if (gc != g) {
            gc.close();
        }
        if (!inputWanted) {
            pre.close();
            pre = null;
        }
        return new Tensor[] {pre, biasGrad};
    }

    private static Tensor activationGradient(
            UnaryOp activation, double a, Tensor x, Tensor bias, Tensor out, Tensor g) {
        if (activation == null) {
            return g;
        }
        return switch (activation) {
            case RELU -> Elementwise.raw(BinaryOp.RELU_BACKWARD, out, g, 0);
            case LEAKY_RELU -> Elementwise.raw(BinaryOp.LEAKY_RELU_BACKWARD, x.add(bias), g, a);
            case SIGMOID -> Elementwise.raw(BinaryOp.SIGMOID_BACKWARD, out, g, a);
            case TANH -> Elementwise.raw(BinaryOp.TANH_BACKWARD, out, g, 0);
            case SOFTPLUS -> g.mul(x.add(bias).sigmoid(a));
            case SWISH -> {
                Tensor s = x.add(bias).sigmoid(a);
                yield g.mul(s.add(out.mul(s.rsub(1)).mul(a)));
            }
            default -> throw new AssertionError(activation);
        };
    }

    static Tensor dropout(Tensor x, double rate, Generator generator) {
        Checks.open(x, "dropout");
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout: rate " + rate + " is outside [0, 1)");
        }
        if (rate == 0) {
            return x.mul(1.0);
        }
        Tensor mask = Tensor.on(x.backend())
                .random(x.dtype(), RandomKind.DROPOUT_MASK, generator, 1 - rate, 0, x.view.shape());
        Tensor out = x.mul(mask);
        if (!out.tracksGrad()) {
            mask.close();
        }
        return out;
    }
}
