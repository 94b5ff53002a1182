package dev.nabla.tensor;

import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Convolution, pooling and padding on NHWC tensors, composed from the SPI primitives (fill, copy, binary,
 * reduce, matmul) so that every backend runs them without kernels of its own.
 *
 * <ul>
 *   <li><b>pad</b>: a copy of the input into a tensor filled with the padding value.
 *   <li><b>windows</b>: a strided view [n, oh, ow, kh, kw, groups, c/groups] of the padded input (as_strided,
 *       no copy): window (y, x), tap (i, j) starts at row y·stride + i·dilation, column x·stride + j·dilation.
 *   <li><b>conv2d</b>: im2col (a contiguous copy of the window view, [groups, n·oh·ow, kh·kw·c/groups]), then one
 *       batched matmul over the groups with the kernel seen as [groups, kh·kw·c/groups, filters/groups].
 *       Gradients: kernel = colsᵀ · g; input = g · kernelᵀ scattered back by kh×kw strided adds into
 *       zeros of the padded shape (one per kernel tap), with the padding sliced off.
 *   <li><b>maxPool2d / avgPool2d</b>: max or sum reductions over the window view's (kh, kw) axes; their
 *       gradients go through the same kh×kw scatter.
 * </ul>
 *
 * Each op records one autograd node; its forward and backward run without recording, in a scope of their own
 * that releases every intermediate. The im2col matrix is recomputed in the backward pass rather than kept.
 */
final class Convolutions {
    private Convolutions() {}

    /** The geometry of a 2-D window op over an NHWC input. */
    record Geometry(
            int n,
            int h,
            int w,
            int c,
            int kh,
            int kw,
            int sh,
            int sw,
            int dh,
            int dw,
            int top,
            int bottom,
            int left,
            int right,
            int oh,
            int ow) {

        int paddedH() {
            return h + top + bottom;
        }

        int paddedW() {
            return w + left + right;
        }

        boolean padded() {
            return top + bottom + left + right > 0;
        }

        int[] paddedShape() {
            return new int[] {n, paddedH(), paddedW(), c};
        }

        int[][] widths() {
            return new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
        }
    }

    // ------------------------------------------------------------------ argument checks

    private static int[] pair(String op, String what, int[] values, int fallback) {
        if (values == null) {
            return new int[] {fallback, fallback};
        }
        if (values.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " " + Arrays.toString(values) + " has "
                    + values.length + " entries; expected 2 (height, width)");
        }
        if (values[0] < 1 || values[1] < 1) {
            throw new IllegalArgumentException(
                    op + ": " + what + " " + Arrays.toString(values) + " must be positive; expected entries ≥ 1");
        }
        return values.clone();
    }

    private static void nhwc(String op, Tensor x) {
        Checks.open(x, op);
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected a rank-4 NHWC input, got " + Shapes.str(x.view.shape())
                    + "; NHWC is [batch, height, width, channels]");
        }
        Checks.floating(op, x);
    }

    /** The geometry, or a one-line exception when the (dilated) window does not fit the padded input. */
    static Geometry geometry(
            String op, int[] shape, int kh, int kw, int[] strides, Padding padding, int[] dilation, String window) {
        if (padding == null) {
            throw new IllegalArgumentException(op + ": padding is null; expected Padding.VALID or Padding.SAME");
        }
        int h = shape[1], w = shape[2];
        int eh = (kh - 1) * dilation[0] + 1, ew = (kw - 1) * dilation[1] + 1;
        int[] rows = axis(h, eh, strides[0], padding);
        int[] cols = axis(w, ew, strides[1], padding);
        int ph = h + rows[0] + rows[1], pw = w + cols[0] + cols[1];
        if (eh > ph || ew > pw || h == 0 || w == 0) {
            String dilated = window.equals("kernel") ? " (dilated " + eh + "×" + ew + ")" : "";
            throw new IllegalArgumentException(op + ": the " + window + " " + kh + "×" + kw + dilated
                    + " is larger than the padded input " + ph + "×" + pw + " (input " + Shapes.str(shape)
                    + ", padding " + padding + "); expected a window that fits the padded input");
        }
        return new Geometry(
                shape[0],
                h,
                w,
                shape[3],
                kh,
                kw,
                strides[0],
                strides[1],
                dilation[0],
                dilation[1],
                rows[0],
                rows[1],
                cols[0],
                cols[1],
                rows[2],
                cols[2]);
    }

    /** {before, after, out} along one axis. */
    private static int[] axis(int in, int effective, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return new int[] {0, 0, in >= effective ? (in - effective) / stride + 1 : 0};
        }
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {total / 2, total - total / 2, out};
    }

    // ------------------------------------------------------------------ the shared machinery

    /** Runs {@code forward} untracked in a scope of its own, then records one node for the result. */
    private static Tensor op(String name, Tensor[] inputs, Supplier<Tensor> forward, Node.Backward backward) {
        Tensor out;
        try (NoGrad off = NoGrad.enter();
                TensorScope scope = TensorScope.open()) {
            out = scope.keep(forward.get());
        }
        if (Autograd.needed(inputs)) {
            Autograd.record(out, name, inputs, g -> {
                try (NoGrad off = NoGrad.enter();
                        TensorScope scope = TensorScope.open()) {
                    Tensor[] grads = backward.apply(g);
                    for (Tensor t : grads) {
                        if (t != null) {
                            scope.keep(t);
                        }
                    }
                    return grads;
                }
            });
        }
        return out;
    }

    /** A copy of x into a new tensor of the padded shape filled with {@code value} (no autograd, no NaN check). */
    private static Tensor padRaw(Tensor x, int[][] widths, double value) {
        int[] shape = x.view.shape();
        int[] padded = new int[shape.length];
        long offset = 0;
        for (int a = 0; a < shape.length; a++) {
            padded[a] = shape[a] + widths[a][0] + widths[a][1];
        }
        Tensor out = Tensor.on(x.backend()).full(x.dtype(), value, padded);
        long[] strides = out.view.strides();
        for (int a = 0; a < shape.length; a++) {
            offset += widths[a][0] * strides[a];
        }
        if (x.size() > 0) {
            x.backend().copy(x.view, new View(out.view.buffer(), x.dtype(), offset, shape.clone(), strides));
        }
        return out;
    }

    /** The input padded as the geometry says (x itself when there is no padding). */
    private static Tensor padded(Tensor x, Geometry geo, double value) {
        return geo.padded() ? padRaw(x, geo.widths(), value) : x;
    }

    /** The window view [n, oh, ow, kh, kw, groups, c/groups] of a padded input (shares its buffer). */
    private static Tensor windows(Tensor xp, Geometry geo, int groups) {
        long[] s = xp.view.strides();
        int cg = geo.c / groups;
        return xp.alias(new View(
                xp.view.buffer(),
                xp.dtype(),
                xp.view.offset(),
                new int[] {geo.n, geo.oh, geo.ow, geo.kh, geo.kw, groups, cg},
                new long[] {s[0], s[1] * geo.sh, s[2] * geo.sw, s[1] * geo.dh, s[2] * geo.dw, s[3] * cg, s[3]}));
    }

    /**
     * The gradient of the input from per-tap gradients {@code taps} [kh, kw, groups, c/groups, n, oh, ow] (any
     * strides; tap-major, so each tap's slice runs along ow): kh·kw strided adds into zeros of the padded shape,
     * then the padding sliced off.
     */
    private static Tensor scatter(Tensor taps, Geometry geo, int groups) {
        Tensor dxp = Tensor.on(taps.backend()).zeros(taps.dtype(), geo.paddedShape());
        long[] s = dxp.view.strides();
        int cg = geo.c / groups;
        int[] shape = {groups, cg, geo.n, geo.oh, geo.ow};
        long[] strides = {s[3] * cg, s[3], s[0], s[1] * geo.sh, s[2] * geo.sw};
        for (int i = 0; i < geo.kh; i++) {
            for (int j = 0; j < geo.kw; j++) {
                long offset = i * geo.dh * s[1] + j * geo.dw * s[2];
                Tensor target = dxp.alias(new View(dxp.view.buffer(), dxp.dtype(), offset, shape, strides));
                Tensor tap = taps.select(0, i).select(0, j);
                target.assign(target.add(tap)); // add into a fresh tensor, then copy into the strided window
            }
        }
        if (!geo.padded()) {
            return dxp;
        }
        return dxp.slice(1, geo.top, geo.top + geo.h)
                .slice(2, geo.left, geo.left + geo.w)
                .contiguous();
    }

    // ------------------------------------------------------------------ conv2d

    static Tensor conv2d(Tensor x, Tensor kernel, int[] stridesArg, Padding padding, int[] dilationArg, int groups) {
        String op = "conv2d";
        nhwc(op, x);
        Checks.open(kernel, op);
        if (kernel.rank() != 4) {
            throw new IllegalArgumentException(
                    op + ": expected a rank-4 kernel [kh, kw, channels / groups, filters], got "
                            + Shapes.str(kernel.view.shape()));
        }
        Checks.compatible(op, x, kernel);
        int[] strides = pair(op, "strides", stridesArg, 1);
        int[] dilation = pair(op, "dilation", dilationArg, 1);
        int[] xs = x.view.shape();
        int[] ks = kernel.view.shape();
        int c = xs[3], filters = ks[3];
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups " + groups + " must be ≥ 1");
        }
        if (ks[2] * groups != c) {
            String expects = groups == 1
                    ? ks[2] + " input channels"
                    : ks[2] * groups + " input channels (" + ks[2] + " per group × " + groups + " groups)";
            String split = c % groups == 0 ? "" : ", which do not split into " + groups + " groups";
            throw new IllegalArgumentException(op + ": kernel " + Shapes.str(ks) + " expects " + expects
                    + " but the input " + Shapes.str(xs) + " has " + c + split);
        }
        if (filters % groups != 0 || filters == 0) {
            throw new IllegalArgumentException(op + ": kernel " + Shapes.str(ks) + " has " + filters
                    + " filters; expected a positive multiple of groups " + groups);
        }
        if (ks[0] < 1 || ks[1] < 1) {
            throw new IllegalArgumentException(
                    op + ": kernel " + Shapes.str(ks) + " has an empty window; expected kh, kw ≥ 1");
        }
        Geometry geo = geometry(op, xs, ks[0], ks[1], strides, padding, dilation, "kernel");
        int fg = filters / groups;
        int k = ks[0] * ks[1] * ks[2];
        int m = geo.n * geo.oh * geo.ow;
        return op(
                op,
                new Tensor[] {x, kernel},
                () -> {
                    Tensor cols = columns(x, geo, groups);
                    Tensor product = cols.matmul(groupedKernel(kernel, k, groups, fg));
                    return product.permute(1, 0, 2).contiguous().reshape(geo.n, geo.oh, geo.ow, filters);
                },
                g -> {
                    Tensor gm = g.reshape(m, groups, fg).permute(1, 0, 2); // [groups, m, fg]
                    Tensor kg = groupedKernel(kernel, k, groups, fg); // [groups, k, fg]
                    Tensor dKernel = null;
                    if (kernel.tracksGrad()) {
                        Tensor cols = columns(x, geo, groups);
                        dKernel = cols.t()
                                .matmul(gm)
                                .permute(1, 0, 2)
                                .contiguous()
                                .reshape(ks);
                    }
                    Tensor dx = null;
                    if (x.tracksGrad()) {
                        Tensor dcols = kg.matmul(gm.t()) // [groups, k, m]: tap-major
                                .reshape(groups, geo.kh, geo.kw, ks[2], geo.n, geo.oh, geo.ow)
                                .permute(1, 2, 0, 3, 4, 5, 6);
                        dx = scatter(dcols, geo, groups);
                    }
                    return new Tensor[] {dx, dKernel};
                });
    }

    /** im2col: [groups, n·oh·ow, kh·kw·c/groups], a contiguous copy of the window view. */
    private static Tensor columns(Tensor x, Geometry geo, int groups) {
        Tensor xp = padded(x, geo, 0);
        Tensor windows = windows(xp, geo, groups).permute(5, 0, 1, 2, 3, 4, 6);
        return windows.contiguous().reshape(groups, geo.n * geo.oh * geo.ow, geo.kh * geo.kw * (geo.c / groups));
    }

    /** The kernel [kh, kw, c/groups, filters] seen as [groups, kh·kw·c/groups, filters/groups]. */
    private static Tensor groupedKernel(Tensor kernel, int k, int groups, int fg) {
        return kernel.reshape(k, groups, fg).permute(1, 0, 2);
    }

    // ------------------------------------------------------------------ pooling

    static Tensor maxPool2d(Tensor x, int[] poolSize, int[] stridesArg, Padding padding) {
        String op = "maxPool2d";
        nhwc(op, x);
        if (poolSize == null) {
            throw new IllegalArgumentException(op + ": poolSize is null; expected {height, width}");
        }
        int[] pool = pair(op, "poolSize", poolSize, 1);
        int[] strides = stridesArg == null ? pool : pair(op, "strides", stridesArg, 1);
        Geometry geo = geometry(op, x.view.shape(), pool[0], pool[1], strides, padding, new int[] {1, 1}, "pool");
        double lowest = Double.NEGATIVE_INFINITY; // padding never wins: every window holds a valid cell
        return op(op, new Tensor[] {x}, () -> windowRows(x, geo, lowest).max(-1), g -> {
            int taps = geo.kh * geo.kw;
            Tensor flat = windowRows(x, geo, lowest);
            Tensor first = flat.argmax(-1, true).to(x.dtype()); // the first maximum on ties
            Tensor index = Tensor.on(x.backend()).arange(0, taps, 1).to(x.dtype());
            Tensor routed = first.eq(index).mul(g.unsqueeze(-1)); // [n, oh, ow, c, taps]
            Tensor perTap = routed.reshape(geo.n, geo.oh, geo.ow, geo.c, geo.kh, geo.kw)
                    .permute(4, 5, 3, 0, 1, 2) // [kh, kw, c, n, oh, ow]
                    .unsqueeze(2);
            return new Tensor[] {scatter(perTap, geo, 1)};
        });
    }

    /**
     * The windows of the padded input as contiguous rows [n, oh, ow, c, kh·kw]: a copy of the window view, so
     * that max, argmax and sum reduce contiguous rows (the fast path of every backend).
     */
    private static Tensor windowRows(Tensor x, Geometry geo, double padding) {
        return windows(padded(x, geo, padding), geo, 1)
                .squeeze(5)
                .permute(0, 1, 2, 5, 3, 4) // [n, oh, ow, c, kh, kw]
                .reshape(geo.n, geo.oh, geo.ow, geo.c, geo.kh * geo.kw);
    }

    static Tensor avgPool2d(Tensor x, int[] poolSize, int[] stridesArg, Padding padding) {
        String op = "avgPool2d";
        nhwc(op, x);
        if (poolSize == null) {
            throw new IllegalArgumentException(op + ": poolSize is null; expected {height, width}");
        }
        int[] pool = pair(op, "poolSize", poolSize, 1);
        int[] strides = stridesArg == null ? pool : pair(op, "strides", stridesArg, 1);
        Geometry geo = geometry(op, x.view.shape(), pool[0], pool[1], strides, padding, new int[] {1, 1}, "pool");
        return op(
                op,
                new Tensor[] {x},
                () -> {
                    Tensor sums = windowRows(x, geo, 0).sum(-1);
                    return geo.padded() ? sums.div(counts(x, geo)) : sums.mul(1.0 / (geo.kh * geo.kw));
                },
                g -> {
                    Tensor share = geo.padded() ? g.div(counts(x, geo)) : g.mul(1.0 / (geo.kh * geo.kw));
                    Tensor perTap = share.permute(3, 0, 1, 2) // [c, n, oh, ow]
                            .broadcastTo(geo.kh, geo.kw, 1, geo.c, geo.n, geo.oh, geo.ow);
                    return new Tensor[] {scatter(perTap, geo, 1)};
                });
    }

    /** The number of unpadded cells of each window, [oh, ow, 1] in x's dtype. */
    private static Tensor counts(Tensor x, Geometry geo) {
        double[] counts = new double[geo.oh * geo.ow];
        for (int y = 0; y < geo.oh; y++) {
            int rows = overlap(y * geo.sh - geo.top, geo.kh, geo.h);
            for (int z = 0; z < geo.ow; z++) {
                counts[y * geo.ow + z] = rows * overlap(z * geo.sw - geo.left, geo.kw, geo.w);
            }
        }
        if (x.dtype() == DType.FLOAT64) {
            return Tensor.on(x.backend()).of(counts, geo.oh, geo.ow, 1);
        }
        float[] floats = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            floats[i] = (float) counts[i];
        }
        return Tensor.on(x.backend()).of(floats, geo.oh, geo.ow, 1);
    }

    private static int overlap(int start, int k, int extent) {
        return Math.max(0, Math.min(start + k, extent) - Math.max(start, 0));
    }

    // ------------------------------------------------------------------ pad

    static Tensor pad(Tensor x, int[][] widths, double value) {
        String op = "pad";
        Checks.open(x, op);
        int[] shape = x.view.shape();
        if (widths == null || widths.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected one {before, after} pair per axis of "
                    + Shapes.str(shape) + " (" + shape.length + "), got " + (widths == null ? "null" : widths.length));
        }
        int[][] w = new int[widths.length][];
        for (int a = 0; a < widths.length; a++) {
            if (widths[a] == null || widths[a].length != 2 || widths[a][0] < 0 || widths[a][1] < 0) {
                throw new IllegalArgumentException(op + ": widths of axis " + a + " are "
                        + (widths[a] == null ? "null" : Arrays.toString(widths[a]))
                        + "; expected {before, after} with both ≥ 0");
            }
            w[a] = widths[a].clone();
        }
        Tensor out = padRaw(x, w, value);
        if (Double.isFinite(value)) {
            NanCheck.check(op, out, x);
        }
        if (Autograd.needed(x)) {
            Autograd.record(out, op, new Tensor[] {x}, g -> {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor inner = g;
                    for (int a = 0; a < shape.length; a++) {
                        if (w[a][0] + w[a][1] > 0) {
                            inner = inner.slice(a, w[a][0], w[a][0] + shape[a]);
                        }
                    }
                    return new Tensor[] {inner == g ? g : scope.keep(inner)};
                }
            });
        }
        return out;
    }
}
