package dev.nabla.tensor;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Convolution, pooling and padding on NHWC tensors, on the window ops of the SPI ({@link Backend#im2col},
 * {@link Backend#col2im}, {@link Backend#maxPool2d}, {@link Backend#maxPool2dBackward}), which every backend
 * runs composed from its primitives unless it has kernels of its own.
 *
 * <ul>
 *   <li><b>pad</b>: a copy of the input into a tensor filled with the padding value.
 *   <li><b>conv2d</b>: im2col ([groups, n·oh·ow, kh·kw·c/groups]), then one batched matmul over the groups with
 *       the kernel seen as [groups, kh·kw·c/groups, filters/groups]. Gradients: kernel = colsᵀ · g; input =
 *       col2im(g · kernelᵀ). The batch is cut into chunks whose im2col matrix holds at most
 *       {@link #CHUNK_ELEMENTS} elements, so memory stays bounded for large inputs.
 *   <li><b>maxPool2d</b>: the SPI's max pooling; while autograd records, the forward also writes the argmax
 *       (INT32, a quarter of the input for 2×2 pools), where the backward scatters the gradient.
 *   <li><b>avgPool2d</b>: a sum over the taps of the im2col matrix; its gradient goes through col2im.
 * </ul>
 *
 * Each op records one autograd node; its forward and backward run without recording, in a scope of their own
 * that releases every intermediate except what the backward reads: the argmax, and the im2col matrix of an
 * unchunked conv2d (a chunked one recomputes it in the backward pass, so that memory stays bounded).
 */
final class Convolutions {
    private Convolutions() {}

    /** The most elements of one im2col matrix: larger batches are processed in chunks of images. */
    static final long CHUNK_ELEMENTS = 1L << 24;

    /** {@link #CHUNK_ELEMENTS}, except where a test lowers it to run the chunked path on small inputs. */
    static volatile long chunkElements = CHUNK_ELEMENTS;

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
    static Window2d geometry(
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
        return new Window2d(
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
        return op(name, inputs, () -> new Tensor[] {forward.get()}, backward);
    }

    /**
     * As above, for a forward that also returns tensors its backward reads (after the output): they stay alive as
     * long as the output's scope, like the saved tensors of any other op, and are released at once without autograd.
     */
    private static Tensor op(String name, Tensor[] inputs, SavingForward forward, Node.Backward backward) {
        Tensor out;
        boolean recording = Autograd.needed(inputs);
        try (NoGrad off = NoGrad.enter();
                TensorScope scope = TensorScope.open()) {
            Tensor[] results = forward.run();
            out = scope.keep(results[0]);
            for (int i = 1; i < results.length && recording; i++) {
                if (results[i] != null) {
                    scope.keep(results[i]);
                }
            }
        }
        if (recording) {
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

    /** A forward pass: its output, then the tensors its backward pass reads (null where not saved). */
    @FunctionalInterface
    private interface SavingForward {
        Tensor[] run();
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
        Window2d geo = geometry(op, xs, ks[0], ks[1], strides, padding, dilation, "kernel");
        int fg = filters / groups;
        int k = ks[0] * ks[1] * ks[2];
        int chunk = chunk(geo, k * groups);
        // One chunk: the forward's im2col matrix is kept for the kernel's gradient (chunked inputs recompute it,
        // so that memory stays bounded)
        boolean keepColumns = chunk == geo.n() && kernel.tracksGrad() && Autograd.needed(x, kernel);
        Tensor[] saved = new Tensor[1];
        return op(
                op,
                new Tensor[] {x, kernel},
                () -> {
                    Tensor xc = x.contiguous();
                    Tensor kg = groupedKernel(kernel, k, groups, fg);
                    if (chunk == geo.n()) { // one chunk: the product is the output, no copy
                        Tensor cols = columns(xc, geo, 0, geo.n(), groups);
                        saved[0] = keepColumns ? cols : null;
                        return new Tensor[] {images(cols.matmul(kg), geo, geo.n()), saved[0]};
                    }
                    Tensor out = Tensor.empty(x.backend(), x.dtype(), new int[] {geo.n(), geo.oh(), geo.ow(), filters});
                    for (int b0 = 0; b0 < geo.n(); b0 += chunk) {
                        int bc = Math.min(chunk, geo.n() - b0);
                        try (TensorScope scope = TensorScope.open()) {
                            Tensor product = columns(xc, geo, b0, bc, groups).matmul(kg);
                            out.slice(0, b0, b0 + bc).assign(images(product, geo, bc));
                        }
                    }
                    return new Tensor[] {out};
                },
                g -> {
                    Tensor gc = g.contiguous();
                    Tensor xc = x.contiguous();
                    Tensor kg = groupedKernel(kernel, k, groups, fg); // [groups, k, fg]
                    Tensor dKernel =
                            kernel.tracksGrad() ? Tensor.on(x.backend()).zeros(x.dtype(), groups, k, fg) : null;
                    Tensor dx = x.tracksGrad() ? Tensor.empty(x.backend(), x.dtype(), xs) : null;
                    for (int b0 = 0; b0 < geo.n(); b0 += chunk) {
                        int bc = Math.min(chunk, geo.n() - b0);
                        Window2d part = geo.withBatch(bc);
                        try (TensorScope scope = TensorScope.open()) {
                            Tensor gm = gc.slice(0, b0, b0 + bc)
                                    .reshape((int) part.windows(), groups, fg)
                                    .permute(1, 0, 2); // [groups, m, fg]
                            if (dKernel != null) {
                                Tensor cols = saved[0] != null ? saved[0] : columns(xc, geo, b0, bc, groups);
                                dKernel.assign(dKernel.add(cols.t().matmul(gm)));
                            }
                            if (dx != null) {
                                Tensor dcols = gm.matmul(kg.t()); // [groups, m, k], as im2col lays it out
                                x.backend().col2im(dcols.view, part, groups, batch(dx, b0, bc));
                            }
                        }
                    }
                    Tensor dk = dKernel == null
                            ? null
                            : dKernel.permute(1, 0, 2).contiguous().reshape(ks);
                    return new Tensor[] {dx, dk};
                });
    }

    /** Images per chunk, so that one im2col matrix of {@code columns} columns stays within chunkElements. */
    private static int chunk(Window2d geo, long columns) {
        long perImage = (long) geo.oh() * geo.ow() * columns;
        return (int) Math.max(1, Math.min(geo.n(), chunkElements / Math.max(perImage, 1)));
    }

    /** Images [b0, b0 + count) of a contiguous NHWC tensor, as a view. */
    private static View batch(Tensor x, int b0, int count) {
        int[] s = x.view.shape();
        long[] strides = x.view.strides();
        return new View(
                x.view.buffer(),
                x.dtype(),
                x.view.offset() + b0 * strides[0],
                new int[] {count, s[1], s[2], s[3]},
                strides);
    }

    /** A product [groups, count·oh·ow, filters/groups] as images [count, oh, ow, filters]. */
    private static Tensor images(Tensor product, Window2d geo, int count) {
        int filters = product.view.shape()[0] * product.view.shape()[2];
        return product.permute(1, 0, 2).contiguous().reshape(count, geo.oh(), geo.ow(), filters);
    }

    /** im2col of images [b0, b0 + count) of a contiguous input: [groups, count·oh·ow, kh·kw·c/groups]. */
    private static Tensor columns(Tensor xc, Window2d geo, int b0, int count, int groups) {
        Window2d part = geo.withBatch(count);
        int k = geo.taps() * (geo.c() / groups);
        Tensor cols = Tensor.empty(xc.backend(), xc.dtype(), new int[] {groups, (int) part.windows(), k});
        xc.backend().im2col(batch(xc, b0, count), part, groups, 0, cols.view);
        return cols;
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
        Window2d geo = geometry(op, x.view.shape(), pool[0], pool[1], strides, padding, new int[] {1, 1}, "pool");
        boolean training = Autograd.needed(x);
        Tensor[] saved = new Tensor[1];
        return op(op, new Tensor[] {x}, () -> pooled(x, geo, training, saved), g -> {
            Tensor argmax = saved[0]; // the forward's: where each window's maximum came from
            Tensor dx = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
            x.backend().maxPool2dBackward(g.contiguous().view, argmax.view, geo, dx.view);
            return new Tensor[] {dx};
        });
    }

    /**
     * The max pooling of x and, if asked for, its argmax (INT32 flat indices into x, also put into {@code saved[0]};
     * else null).
     */
    private static Tensor[] pooled(Tensor x, Window2d geo, boolean withArgmax, Tensor[] saved) {
        int[] shape = {geo.n(), geo.oh(), geo.ow(), geo.c()};
        Tensor out = Tensor.empty(x.backend(), x.dtype(), shape);
        Tensor argmax = withArgmax ? Tensor.empty(x.backend(), DType.INT32, shape) : null;
        x.backend().maxPool2d(x.contiguous().view, geo, out.view, argmax == null ? null : argmax.view);
        saved[0] = argmax;
        return new Tensor[] {out, argmax};
    }

    static Tensor avgPool2d(Tensor x, int[] poolSize, int[] stridesArg, Padding padding) {
        String op = "avgPool2d";
        nhwc(op, x);
        if (poolSize == null) {
            throw new IllegalArgumentException(op + ": poolSize is null; expected {height, width}");
        }
        int[] pool = pair(op, "poolSize", poolSize, 1);
        int[] strides = stridesArg == null ? pool : pair(op, "strides", stridesArg, 1);
        Window2d geo = geometry(op, x.view.shape(), pool[0], pool[1], strides, padding, new int[] {1, 1}, "pool");
        int[] perTap = {geo.n(), geo.oh(), geo.ow(), geo.taps(), geo.c()};
        return op(
                op,
                new Tensor[] {x},
                () -> {
                    Tensor sums = columns(x.contiguous(), geo, 0, geo.n(), 1)
                            .reshape(perTap)
                            .permute(0, 1, 2, 4, 3)
                            .sum(-1);
                    return geo.padded() ? sums.div(counts(x, geo)) : sums.mul(1.0 / geo.taps());
                },
                g -> {
                    Tensor share = geo.padded() ? g.div(counts(x, geo)) : g.mul(1.0 / geo.taps());
                    Tensor cols = share.unsqueeze(3).broadcastTo(perTap).contiguous(); // every tap its share
                    Tensor dx = Tensor.empty(x.backend(), x.dtype(), x.view.shape());
                    x.backend().col2im(cols.view, geo, 1, dx.view);
                    return new Tensor[] {dx};
                });
    }

    /** The number of unpadded cells of each window, [oh, ow, 1] in x's dtype. */
    private static Tensor counts(Tensor x, Window2d geo) {
        double[] counts = new double[geo.oh() * geo.ow()];
        for (int y = 0; y < geo.oh(); y++) {
            int rows = overlap(y * geo.sh() - geo.top(), geo.kh(), geo.h());
            for (int z = 0; z < geo.ow(); z++) {
                counts[y * geo.ow() + z] = rows * overlap(z * geo.sw() - geo.left(), geo.kw(), geo.w());
            }
        }
        if (x.dtype() == DType.FLOAT64) {
            return Tensor.on(x.backend()).of(counts, geo.oh(), geo.ow(), 1);
        }
        float[] floats = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            floats[i] = (float) counts[i];
        }
        return Tensor.on(x.backend()).of(floats, geo.oh(), geo.ow(), 1);
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
