package dev.nabla.tensor;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/** Elementwise ops: forward through the SPI, backward with the tensor API. */
final class Elementwise {
    private Elementwise() {}

    static String name(Enum<?> op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    static Tensor unary(UnaryOp op, Tensor x, double a, double b) {
        String name = name(op);
        Checks.open(x, name);
        Checks.floating(name, x);
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
        x.backend().unary(op, x.view, out.view, a, b);
        NanCheck.check(name, out, x);
        if (Autograd.needed(x) && hasGradient(op)) {
            Autograd.record(out, name, new Tensor[] {x}, g -> new Tensor[] {unaryGradient(op, x, out, g, a, b)});
        }
        return out;
    }

    private static boolean hasGradient(UnaryOp op) {
        return switch (op) {
            case SIGN, GT_SCALAR, GE_SCALAR, LT_SCALAR, LE_SCALAR, EQ_SCALAR, STEP, BIPOLAR_STEP -> false;
            default -> true;
        };
    }

    /** d op / dx times g, for x the input and out the output. */
    private static Tensor unaryGradient(UnaryOp op, Tensor x, Tensor out, Tensor g, double a, double b) {
        return switch (op) {
            case NEG, RSUB_SCALAR -> g.neg();
            case EXP -> g.mul(out);
            case LOG -> g.div(x);
            case ABS -> g.mul(x.sign());
            case SQRT -> g.div(out).mul(0.5);
            case SQUARE -> g.mul(x).mul(2);
            case RECIPROCAL -> g.mul(out.square()).neg();
            case ADD_SCALAR -> g;
            case MUL_SCALAR -> g.mul(a);
            case RDIV_SCALAR -> g.div(x.square()).mul(-a);
            case POW_SCALAR -> g.mul(x.pow(a - 1)).mul(a);
            case MAX_SCALAR -> g.mul(x.gt(a));
            case MIN_SCALAR -> g.mul(x.lt(a));
            case CLIP -> g.mul(x.ge(a).mul(x.le(b)));
            case RELU -> raw(BinaryOp.RELU_BACKWARD, x, g, 0);
            case LEAKY_RELU -> raw(BinaryOp.LEAKY_RELU_BACKWARD, x, g, a);
            case SIGMOID -> raw(BinaryOp.SIGMOID_BACKWARD, out, g, a);
            case TANH -> raw(BinaryOp.TANH_BACKWARD, out, g, 0);
            case SOFTPLUS -> g.mul(x.sigmoid(a));
            case SWISH -> {
                Tensor s = x.sigmoid(a); // d/dx x·σ(βx) = σ + β·out·(1 − σ)
                yield g.mul(s.add(out.mul(s.rsub(1)).mul(a)));
            }
            default -> throw new AssertionError(op);
        };
    }

    /** See {@link Tensor#elementwise}: the forward and the derivative run untracked, in scopes of their own. */
    static Tensor custom(String name, Tensor x, UnaryOperator<Tensor> forward, BinaryOperator<Tensor> derivative) {
        Checks.open(x, name);
        Checks.floating(name, x);
        Tensor out;
        try (NoGrad off = NoGrad.enter();
                TensorScope scope = TensorScope.open()) {
            Tensor y = forward.apply(x);
            out = scope.keep(y == x ? ShapeOps.copy(x) : y);
        }
        if (!Arrays.equals(out.view.shape(), x.view.shape()) || out.dtype() != x.dtype()) {
            String got = out.dtype() + " " + Shapes.str(out.view.shape());
            out.close();
            throw new IllegalStateException(name + ": the forward made a " + got + " tensor; expected the input's "
                    + x.dtype() + " " + Shapes.str(x.view.shape()));
        }
        NanCheck.check(name, out, x);
        if (Autograd.needed(x)) {
            Autograd.record(out, name, new Tensor[] {x}, g -> {
                try (TensorScope scope = TensorScope.open()) {
                    return new Tensor[] {scope.keep(g.mul(derivative.apply(x, out)))};
                }
            });
        }
        return out;
    }

    static Tensor binary(BinaryOp op, Tensor x, Tensor y) {
        String name = name(op);
        Checks.compatible(name, x, y);
        Checks.floating(name, x);
        int[] shape = Shapes.broadcast(name, x.view.shape(), y.view.shape());
        Tensor out = Tensor.empty(x.backend(), x.dtype(), shape);
        x.backend().binary(op, expand(x.view, shape), expand(y.view, shape), out.view, 0);
        NanCheck.check(name, out, x, y);
        if (Autograd.needed(x, y)) {
            Node.Backward backward = switch (op) {
                case ADD -> g -> new Tensor[] {sumTo(g, x), sumTo(g, y)};
                case SUB -> g -> new Tensor[] {sumTo(g, x), sumTo(g.neg(), y)};
                case MUL -> g -> new Tensor[] {grad(x, () -> sumTo(g.mul(y), x)), grad(y, () -> sumTo(g.mul(x), y))};
                case DIV ->
                    g -> new Tensor[] {
                        grad(x, () -> sumTo(g.div(y), x)),
                        grad(y, () -> sumTo(g.mul(out).div(y).neg(), y))
                    };
                case POW ->
                    g -> new Tensor[] {
                        grad(x, () -> sumTo(g.mul(y).mul(x.pow(y.sub(1))), x)),
                        grad(y, () -> sumTo(g.mul(out).mul(x.log()), y))
                    };
                case MAXIMUM ->
                    g -> new Tensor[] {grad(x, () -> sumTo(g.mul(x.ge(y)), x)), grad(y, () -> sumTo(g.mul(x.lt(y)), y))
                    };
                case MINIMUM ->
                    g -> new Tensor[] {grad(x, () -> sumTo(g.mul(x.le(y)), x)), grad(y, () -> sumTo(g.mul(x.gt(y)), y))
                    };
                default -> null; // comparisons and fused backward helpers carry no gradient
            };
            if (backward != null) {
                Autograd.record(out, name, new Tensor[] {x, y}, backward);
            }
        }
        return out;
    }

    private static Tensor grad(Tensor input, java.util.function.Supplier<Tensor> gradient) {
        return input.tracksGrad() ? gradient.get() : null;
    }

    /** A binary primitive with no autograd, for fused backward formulas (same shapes). */
    static Tensor raw(BinaryOp op, Tensor x, Tensor y, double a) {
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
        x.backend().binary(op, x.view, expand(y.view, x.view.shape()), out.view, a);
        NanCheck.check(name(op), out, x, y);
        return out;
    }

    static Tensor where(Tensor cond, Tensor x, Tensor y) {
        Checks.compatible("where", x, y);
        Checks.open(cond, "where");
        if (cond.backend() != x.backend()) {
            throw new IllegalArgumentException(
                    "where: the condition lives on " + cond.backend().name() + " but the values on "
                            + x.backend().name() + "; expected one backend");
        }
        Tensor c = cond.dtype() == x.dtype() ? cond : cond.to(x.dtype());
        int[] shape =
                Shapes.broadcast("where", Shapes.broadcast("where", c.view.shape(), x.view.shape()), y.view.shape());
        Tensor out = Tensor.empty(x.backend(), x.dtype(), shape);
        x.backend().where(expand(c.view, shape), expand(x.view, shape), expand(y.view, shape), out.view);
        NanCheck.check("where", out, x, y);
        if (c != cond) {
            c.close();
        }
        if (Autograd.needed(x, y)) {
            Tensor mask = cond.dtype() == x.dtype() ? cond : cond.to(x.dtype());
            Autograd.record(out, "where", new Tensor[] {x, y}, g -> new Tensor[] {
                grad(x, () -> sumTo(g.mul(mask.eq(0).rsub(1)), x)), grad(y, () -> sumTo(g.mul(mask.eq(0)), y))
            });
        }
        return out;
    }

    /** A view of {@code v} broadcast to {@code shape} (stride 0 on repeated axes). */
    static View expand(View v, int[] shape) {
        int[] from = v.shape();
        if (java.util.Arrays.equals(from, shape)) {
            return v;
        }
        long[] strides = new long[shape.length];
        int shift = shape.length - from.length;
        for (int i = 0; i < shape.length; i++) {
            int j = i - shift;
            strides[i] = j < 0 || from[j] == 1 ? 0 : v.strides()[j];
        }
        return new View(v.buffer(), v.dtype(), v.offset(), shape.clone(), strides);
    }

    /** Sums a broadcast gradient back to the shape of {@code target}. */
    static Tensor sumTo(Tensor g, Tensor target) {
        int[] shape = target.view.shape();
        int[] gs = g.view.shape();
        if (java.util.Arrays.equals(gs, shape)) {
            return g;
        }
        int shift = gs.length - shape.length;
        int count = 0;
        int[] axes = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            if (i < shift || (shape[i - shift] == 1 && gs[i] != 1)) {
                axes[count++] = i;
            }
        }
        Tensor summed = g.sum(java.util.Arrays.copyOf(axes, count), true);
        Tensor result = summed.reshape(shape);
        if (result != summed) {
            summed.close();
        }
        return result;
    }
}
