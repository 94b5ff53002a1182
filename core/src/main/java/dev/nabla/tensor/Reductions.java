package dev.nabla.tensor;

import dev.nabla.backend.DType;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.View;

/** Reductions along axes, with keep-dims; the backend reduces trailing axes of a permuted view. */
final class Reductions {
    private Reductions() {}

    /** The reduction with no autograd: permutes the reduced axes to the end and asks the backend. */
    static Tensor raw(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] perm = new int[rank];
        int[] keptShape = new int[rank - axes.length];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                keptShape[k] = x.view.shape()[i];
                perm[k++] = i;
            }
        }
        for (int a : axes) {
            perm[k++] = a;
        }
        View permuted = ShapeOps.permuted(x.view, perm);
        DType outType = op.producesIndex() ? DType.INT32 : x.dtype();
        Tensor out = Tensor.empty(x.backend(), outType, keptShape);
        x.backend().reduce(op, permuted, axes.length, out.view);
        NanCheck.check(Elementwise.name(op), out, x);
        if (!keepDims) {
            return out;
        }
        Tensor kept = out.alias(View.contiguous(out.view.buffer(), keepShape(x.view.shape(), axes)));
        out.close();
        return kept;
    }

    static int[] keepShape(int[] shape, int[] axes) {
        int[] kept = shape.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        return kept;
    }

    static Tensor sum(Tensor x, int[] axesArg, boolean keepDims) {
        Checks.open(x, "sum");
        Checks.floating("sum", x);
        int[] axes = Shapes.axes("sum", axesArg, x.rank());
        Tensor out = raw(ReduceOp.SUM, x, axes, keepDims);
        if (Autograd.needed(x)) {
            int[] shape = x.view.shape();
            int[] kept = keepShape(shape, axes);
            Autograd.record(out, "sum", new Tensor[] {x}, g ->
                    new Tensor[] {g.reshape(kept).broadcastTo(shape)});
        }
        return out;
    }

    static Tensor mean(Tensor x, int[] axesArg, boolean keepDims) {
        Checks.open(x, "mean");
        int[] axes = Shapes.axes("mean", axesArg, x.rank());
        long count = 1;
        for (int a : axes) {
            count *= x.view.shape()[a];
        }
        Tensor sum = sum(x, axes, keepDims);
        Tensor mean = sum.mul(1.0 / count);
        sum.close(); // the graph keeps what it needs through the node, not through the scope
        return mean;
    }

    static Tensor extreme(Tensor x, int[] axesArg, boolean keepDims, boolean max) {
        String name = max ? "max" : "min";
        Checks.open(x, name);
        Checks.floating(name, x);
        int[] axes = Shapes.axes(name, axesArg, x.rank());
        Tensor out = raw(max ? ReduceOp.MAX : ReduceOp.MIN, x, axes, keepDims);
        if (Autograd.needed(x)) {
            int[] kept = keepShape(x.view.shape(), axes);
            Autograd.record(out, name, new Tensor[] {x}, g -> {
                Tensor mask = x.eq(out.reshape(kept)); // ties share the gradient evenly
                Tensor count = mask.sum(axes, true);
                return new Tensor[] {g.reshape(kept).mul(mask).div(count)};
            });
        }
        return out;
    }

    static Tensor variance(Tensor x, int[] axesArg, boolean keepDims) {
        Checks.open(x, "variance");
        int[] axes = Shapes.axes("variance", axesArg, x.rank());
        Tensor mu = mean(x, axes, true);
        Tensor deviation = x.sub(mu);
        Tensor squared = deviation.square();
        Tensor variance = mean(squared, axes, keepDims);
        if (!variance.tracksGrad()) {
            mu.close();
            deviation.close();
            squared.close();
        }
        return variance;
    }

    static Tensor arg(Tensor x, int axis, boolean keepDims, boolean max) {
        String name = max ? "argmax" : "argmin";
        Checks.open(x, name);
        Checks.floating(name, x);
        int a = Shapes.axis(name, axis, x.rank());
        if (x.view.shape()[a] == 0) {
            throw new IllegalArgumentException(name + ": axis " + axis + " of shape " + Shapes.str(x.view.shape())
                    + " is empty; expected at least one element to choose from");
        }
        return raw(max ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, new int[] {a}, keepDims);
    }
}
