package dev.nabla.tensor;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import java.util.Arrays;
import java.util.List;

/** Views (sharing the buffer) and copies. */
final class ShapeOps {
    private ShapeOps() {}

    static View permuted(View v, int[] perm) {
        int[] shape = new int[perm.length];
        long[] strides = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = v.shape()[perm[i]];
            strides[i] = v.strides()[perm[i]];
        }
        return new View(v.buffer(), v.dtype(), v.offset(), shape, strides);
    }

    /** A new view handle that passes the gradient through {@code backward}. */
    private static Tensor view(Tensor x, View layout, String op, Node.Backward backward) {
        Tensor out = x.alias(layout);
        if (Autograd.needed(x)) {
            Autograd.record(out, op, new Tensor[] {x}, backward);
        }
        return out;
    }

    static Tensor reshape(Tensor x, int[] requested) {
        Checks.open(x, "reshape");
        int[] shape = resolve(x, requested);
        int[] original = x.view.shape();
        if (!x.isContiguous()) {
            Tensor copy = contiguous(x);
            Tensor out = reshape(copy, shape);
            copy.close();
            return out;
        }
        View layout = new View(x.view.buffer(), x.dtype(), x.view.offset(), shape, View.contiguousStrides(shape));
        return view(x, layout, "reshape", g -> new Tensor[] {g.reshape(original)});
    }

    private static int[] resolve(Tensor x, int[] requested) {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.length; i++) {
            if (requested[i] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException(
                            "reshape: only one extent may be -1, got " + Arrays.toString(requested));
                }
                inferred = i;
            } else if (requested[i] < 0) {
                throw new IllegalArgumentException("reshape: extent " + requested[i] + " in "
                        + Arrays.toString(requested) + " is negative; expected ≥ 0 or -1 (inferred)");
            } else {
                known *= requested[i];
            }
        }
        int[] shape = requested.clone();
        long size = x.size();
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.view.shape()) + " (" + size
                        + " elements) into " + Arrays.toString(requested));
            }
            shape[inferred] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.view.shape()) + " (" + size
                    + " elements) into " + Arrays.toString(requested) + " (" + known + " elements)");
        }
        return shape;
    }

    static Tensor permute(Tensor x, int[] axes) {
        Checks.open(x, "permute");
        int rank = x.rank();
        if (axes.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(axes) + " names " + axes.length
                    + " axes but the tensor has rank " + rank + " (shape " + Shapes.str(x.view.shape()) + ")");
        }
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = Shapes.axis("permute", axes[i], rank);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException(
                        "permute: " + Arrays.toString(axes) + " is not a permutation of the axes");
            }
            seen[perm[i]] = true;
        }
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[perm[i]] = i;
        }
        return view(x, permuted(x.view, perm), "permute", g -> new Tensor[] {g.permute(inverse)});
    }

    static Tensor transpose(Tensor x, int axis0, int axis1) {
        int rank = x.rank();
        int a = Shapes.axis("transpose", axis0, rank);
        int b = Shapes.axis("transpose", axis1, rank);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        Checks.open(x, "slice");
        int a = Shapes.axis("slice", axis, x.rank());
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step " + step + " must be positive");
        }
        int extent = x.view.shape()[a];
        int from = clamp(start < 0 ? start + extent : start, extent);
        int to = clamp(end < 0 ? end + extent : end, extent);
        int count = to > from ? (to - from + step - 1) / step : 0;
        int[] shape = x.view.shape().clone(); // the view's own array: never modify it
        long[] strides = x.strides();
        long offset = x.view.offset() + (count > 0 ? from * strides[a] : 0);
        shape[a] = count;
        strides[a] *= step;
        int[] original = x.view.shape();
        View layout = new View(x.view.buffer(), x.dtype(), offset, shape, strides);
        return view(x, layout, "slice", g -> {
            Tensor full = Tensor.on(g.backend()).zeros(g.dtype(), original);
            Tensor window = full.slice(a, from, to, step);
            window.assign(g);
            window.close();
            return new Tensor[] {full};
        });
    }

    private static int clamp(int index, int extent) {
        return Math.max(0, Math.min(index, extent));
    }

    static Tensor broadcastTo(Tensor x, int[] shape) {
        Checks.open(x, "broadcastTo");
        int[] target = Shapes.validated(shape);
        if (shape.length < x.rank()
                || !Arrays.equals(Shapes.broadcast("broadcastTo", x.view.shape(), target), target)) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.str(x.view.shape()) + " to "
                    + Shapes.str(target) + "; expected each extent to match or be 1");
        }
        return view(x, Elementwise.expand(x.view, target), "broadcastTo", g -> new Tensor[] {Elementwise.sumTo(g, x)});
    }

    static Tensor squeeze(Tensor x, int[] axes) {
        Checks.open(x, "squeeze");
        int rank = x.rank();
        boolean[] drop = new boolean[rank];
        if (axes.length == 0) {
            for (int i = 0; i < rank; i++) {
                drop[i] = x.view.shape()[i] == 1;
            }
        } else {
            for (int axis : axes) {
                int a = Shapes.axis("squeeze", axis, rank);
                if (x.view.shape()[a] != 1) {
                    throw new IllegalArgumentException("squeeze: axis " + axis + " of shape "
                            + Shapes.str(x.view.shape()) + " has extent " + x.view.shape()[a] + "; expected 1");
                }
                drop[a] = true;
            }
        }
        int kept = 0;
        for (boolean d : drop) {
            kept += d ? 0 : 1;
        }
        int[] shape = new int[kept];
        long[] strides = new long[kept];
        for (int i = 0, k = 0; i < rank; i++) {
            if (!drop[i]) {
                shape[k] = x.view.shape()[i];
                strides[k++] = x.view.strides()[i];
            }
        }
        int[] original = x.view.shape();
        return view(x, new View(x.view.buffer(), x.dtype(), x.view.offset(), shape, strides), "squeeze", g ->
                new Tensor[] {g.reshape(original)});
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        Checks.open(x, "unsqueeze");
        int a = Shapes.axis("unsqueeze", axis, x.rank() + 1);
        int[] shape = new int[x.rank() + 1];
        long[] strides = new long[x.rank() + 1];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (i == a) {
                shape[i] = 1;
                strides[i] = 0;
            } else {
                shape[i] = x.view.shape()[k];
                strides[i] = x.view.strides()[k++];
            }
        }
        int[] original = x.view.shape();
        return view(x, new View(x.view.buffer(), x.dtype(), x.view.offset(), shape, strides), "unsqueeze", g ->
                new Tensor[] {g.reshape(original)});
    }

    /** A contiguous handle: an alias when already contiguous, else a copy. */
    static Tensor contiguous(Tensor x) {
        Checks.open(x, "contiguous");
        if (x.isContiguous()) {
            return view(x, x.view, "contiguous", g -> new Tensor[] {g});
        }
        return copy(x);
    }

    /** A fresh contiguous copy, not recorded by autograd. */
    static Tensor copyRaw(Tensor x) {
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
        x.backend().copy(x.view, out.view);
        return out;
    }

    /** A fresh contiguous copy. */
    static Tensor copy(Tensor x) {
        Checks.open(x, "copy");
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
        x.backend().copy(x.view, out.view);
        if (Autograd.needed(x)) {
            Autograd.record(out, "copy", new Tensor[] {x}, g -> new Tensor[] {g});
        }
        return out;
    }

    static Tensor cast(Tensor x, DType dtype) {
        Checks.open(x, "to");
        Tensor out = Tensor.empty(x.backend(), dtype, x.view.shape());
        x.backend().copy(x.view, out.view);
        if (Autograd.needed(x) && dtype.isFloating()) {
            DType original = x.dtype();
            Autograd.record(out, "to(" + dtype + ")", new Tensor[] {x}, g -> new Tensor[] {g.to(original)});
        }
        return out;
    }

    static Tensor transfer(Tensor x, Backend backend) {
        Checks.open(x, "to");
        Tensor source = x.isContiguous() ? x : contiguous(x);
        TensorFactory target = Tensor.on(backend);
        Tensor out = switch (x.dtype()) {
            case FLOAT32 -> target.of(source.toFloatArray(), x.view.shape());
            case FLOAT64 -> target.of(source.toDoubleArray(), x.view.shape());
            case INT32 -> target.of(source.toIntArray(), x.view.shape());
        };
        if (source != x) {
            source.close();
        }
        if (Autograd.needed(x)) {
            Backend origin = x.backend();
            Autograd.record(out, "to(" + backend.name() + ")", new Tensor[] {x}, g -> new Tensor[] {g.to(origin)});
        }
        return out;
    }

    static Tensor concat(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("concat: expected at least one tensor, got none");
        }
        Tensor first = tensors.get(0);
        Checks.open(first, "concat");
        int a = Shapes.axis("concat", axis, first.rank());
        int total = 0;
        for (Tensor t : tensors) {
            Checks.compatible("concat", first, t);
            if (t.rank() != first.rank()) {
                throw new IllegalArgumentException("concat: shapes " + Shapes.str(first.view.shape()) + " and "
                        + Shapes.str(t.view.shape()) + " differ in rank; expected equal ranks");
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != a && t.view.shape()[i] != first.view.shape()[i]) {
                    throw new IllegalArgumentException("concat along axis " + a + ": shapes "
                            + Shapes.str(first.view.shape()) + " and " + Shapes.str(t.view.shape()) + " differ on axis "
                            + i + "; expected equal extents there");
                }
            }
            total += t.view.shape()[a];
        }
        int[] shape = first.view.shape().clone();
        shape[a] = total;
        Tensor out = Tensor.empty(first.backend(), first.dtype(), shape);
        int[] offsets = new int[tensors.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            offsets[i + 1] = offsets[i] + t.view.shape()[a];
            View window = sliceView(out.view, a, offsets[i], offsets[i + 1]);
            first.backend().copy(t.view, window);
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        if (Autograd.needed(inputs)) {
            Autograd.record(out, "concat", inputs, g -> {
                Tensor[] grads = new Tensor[inputs.length];
                for (int i = 0; i < inputs.length; i++) {
                    grads[i] = inputs[i].tracksGrad() ? g.slice(a, offsets[i], offsets[i + 1]) : null;
                }
                return grads;
            });
        }
        return out;
    }

    static View sliceView(View v, int axis, int from, int to) {
        int[] shape = v.shape().clone();
        shape[axis] = to - from;
        return new View(
                v.buffer(),
                v.dtype(),
                v.offset() + from * v.strides()[axis],
                shape,
                v.strides().clone());
    }

    static Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected at least one tensor, got none");
        }
        int a = Shapes.axis("stack", axis, tensors.get(0).rank() + 1);
        List<Tensor> expanded = tensors.stream().map(t -> t.unsqueeze(a)).toList();
        Tensor out = concat(expanded, a);
        if (!out.tracksGrad()) {
            expanded.forEach(Tensor::close);
        }
        return out;
    }

    static void assign(Tensor dst, Tensor src) {
        Checks.open(dst, "assign");
        Checks.open(src, "assign");
        if (dst.backend() != src.backend()) {
            throw new IllegalArgumentException("assign: source " + src.describe() + " and target " + dst.describe()
                    + " live on different backends");
        }
        for (long s : dst.view.strides()) {
            if (s == 0 && dst.size() > 1) {
                throw new IllegalArgumentException("assign: the target " + dst.describe()
                        + " is a broadcast view (several elements share storage); expected a writable view");
            }
        }
        int[] shape = dst.view.shape();
        if (!Arrays.equals(Shapes.broadcast("assign", src.view.shape(), shape), shape)) {
            throw new IllegalArgumentException("assign: source shape " + Shapes.str(src.view.shape())
                    + " cannot be broadcast to the target's shape " + Shapes.str(shape));
        }
        View source = Elementwise.expand(src.view, shape);
        if (source.buffer() == dst.view.buffer() && !source.equals(dst.view)) {
            // the source is a view of the target's own storage in another layout (x.assign(x.t()), a
            // shifted slice): stage it, or the copy would read elements it has already overwritten
            try (Tensor staged = copyRaw(src)) {
                dst.backend().copy(Elementwise.expand(staged.view, shape), dst.view);
            }
            return;
        }
        dst.backend().copy(source, dst.view);
    }
}
