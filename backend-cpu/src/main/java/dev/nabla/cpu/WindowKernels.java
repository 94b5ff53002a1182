package dev.nabla.cpu;

import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;

/**
 * The window ops of the SPI (im2col, col2im, max pooling and its backward) for contiguous FLOAT32 views, each
 * one pass over the arrays, split across cores by windows (im2col, pooling) or by images (the scatters, whose
 * images write disjoint parts of the gradient, so every sum runs in one fixed order). Each returns false where
 * its operands do not fit, and the backend runs the composition instead.
 */
final class WindowKernels {
    private WindowKernels() {}

    private static boolean fits(View... views) {
        for (View v : views) {
            if (!FloatPaths.isFloat(v) || !v.isContiguous()) {
                return false;
            }
        }
        return true;
    }

    /** Runs body over [0, count) parts, across the cores when {@code work} (elements moved) is large enough. */
    private static void run(int count, long work, Parallel.Range body) {
        if (FloatPaths.split(work) && count > 1) {
            Parallel.split(count, Parallel.THREADS, 1, 4, body);
        } else {
            body.run(0, count);
        }
    }

    /** Spans shorter than this are copied by a loop: arraycopy's call would cost more than the copy. */
    private static final int ARRAYCOPY_SPAN = 16;

    private static void copy(float[] from, int src, float[] to, int dst, int n) {
        if (n >= ARRAYCOPY_SPAN) {
            System.arraycopy(from, src, to, dst, n);
            return;
        }
        for (int e = 0; e < n; e++) {
            to[dst + e] = from[src + e];
        }
    }

    /** The input row of tap row i of window row y (may fall on padding: outside [0, h)). */
    private static int row(Window2d win, int y, int i) {
        return y * win.sh() + i * win.dh() - win.top();
    }

    private static int column(Window2d win, int x, int j) {
        return x * win.sw() + j * win.dw() - win.left();
    }

    /**
     * With one group and undilated columns, a window's taps along one row, all channels, are one contiguous
     * block of kw·c floats in both the input and the cols row: the length of that block, else 0.
     */
    private static int rowSpan(Window2d win, int groups) {
        return groups == 1 && win.dw() == 1 ? win.kw() * win.c() : 0;
    }

    /** Whether every column of window column x falls inside the input (none on padding). */
    private static boolean inside(Window2d win, int x) {
        return column(win, x, 0) >= 0 && column(win, x, win.kw() - 1) < win.w();
    }

    static boolean im2col(View input, Window2d win, int groups, double padValue, View cols) {
        if (!fits(input, cols)) {
            return false;
        }
        float[] in = FloatPaths.floats(input), out = FloatPaths.floats(cols);
        int inBase = (int) input.offset(), outBase = (int) cols.offset();
        int c = win.c(), cg = c / groups, k = win.taps() * cg, m = (int) win.windows();
        int perImage = win.oh() * win.ow(), span = rowSpan(win, groups);
        float pad = (float) padValue;
        if (cg == 1) {
            run(
                    win.n() * win.oh(),
                    cols.size(),
                    (from, to) -> im2colOneChannel(in, inBase, out, outBase, win, groups, pad, from, to));
            return true;
        }
        run(m, cols.size(), (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r / perImage, y = r % perImage / win.ow(), x = r % win.ow();
                for (int g = 0; g < groups; g++) {
                    int dst = outBase + (g * m + r) * k;
                    for (int i = 0; i < win.kh(); i++) {
                        int row = row(win, y, i);
                        if (span > 0 && row >= 0 && row < win.h() && inside(win, x)) { // one block for the row
                            int src = inBase + ((b * win.h() + row) * win.w() + column(win, x, 0)) * c;
                            copy(in, src, out, dst, span);
                            dst += span;
                            continue;
                        }
                        for (int j = 0; j < win.kw(); j++, dst += cg) {
                            int col = column(win, x, j);
                            if (row < 0 || row >= win.h() || col < 0 || col >= win.w()) {
                                for (int ch = 0; ch < cg; ch++) {
                                    out[dst + ch] = pad;
                                }
                            } else { // a loop, not arraycopy: with few channels the call would cost more
                                int src = inBase + ((b * win.h() + row) * win.w() + col) * c + g * cg;
                                for (int ch = 0; ch < cg; ch++) {
                                    out[dst + ch] = in[src + ch];
                                }
                            }
                        }
                    }
                }
            }
        });
        return true;
    }

    /**
     * im2col of window rows [from, to) (image b, output row y) with one channel per group (a grayscale image's first
     * layer, depthwise convolutions), where a window's spans are a few floats each: for each tap, one strided copy
     * along the window row, so the inner loop runs over the row's windows. Measured on 128 images of 28×28×1: 5×5
     * taps 3.0 → 1.7 ms, 3×3 taps 1.25 → 0.57 ms; with 6 channels it was 5× slower than the spans, so only cg = 1.
     */
    private static void im2colOneChannel(
            float[] in, int inBase, float[] out, int outBase, Window2d win, int groups, float pad, int from, int to) {
        int c = win.c(), k = win.taps(), m = (int) win.windows(), ow = win.ow(); // c = groups
        for (int by = from; by < to; by++) {
            int b = by / win.oh(), y = by % win.oh();
            for (int g = 0; g < groups; g++) {
                int windows = outBase + (g * m + by * ow) * k; // the first window of the row
                for (int i = 0; i < win.kh(); i++) {
                    int row = row(win, y, i);
                    boolean rowInside = row >= 0 && row < win.h();
                    int source = inBase + (b * win.h() + row) * win.w() * c + g;
                    for (int j = 0; j < win.kw(); j++) {
                        int dst = windows + i * win.kw() + j;
                        for (int x = 0; x < ow; x++, dst += k) {
                            int col = column(win, x, j);
                            out[dst] = rowInside && col >= 0 && col < win.w() ? in[source + col * c] : pad;
                        }
                    }
                }
            }
        }
    }

    static boolean col2im(View cols, Window2d win, int groups, View gradInput) {
        if (!fits(cols, gradInput)) {
            return false;
        }
        float[] in = FloatPaths.floats(cols), out = FloatPaths.floats(gradInput);
        int inBase = (int) cols.offset(), outBase = (int) gradInput.offset();
        int c = win.c(), cg = c / groups, k = win.taps() * cg, m = (int) win.windows();
        int image = win.h() * win.w() * c, perImage = win.oh() * win.ow(), span = rowSpan(win, groups);
        LaneKernels lanes = LaneKernels.selected();
        run(win.n(), cols.size(), (from, to) -> {
            java.util.Arrays.fill(out, outBase + from * image, outBase + to * image, 0f);
            for (int b = from; b < to; b++) {
                for (int p = 0; p < perImage; ) {
                    int r = b * perImage + p, y = p / win.ow(), x = p % win.ow();
                    int inner = span > 0 ? innerColumns(win, x, win.ow() - x) : 0;
                    if (inner > 1) {
                        // windows side by side with every column inside: the spans of their kernel rows inside the
                        // input in one call, window after window as below, so every element sums in the same order
                        int first = 0, end = win.kh();
                        while (first < end && row(win, y, first) < 0) {
                            first++;
                        }
                        while (end > first && row(win, y, end - 1) >= win.h()) {
                            end--;
                        }
                        if (first < end) {
                            int dst = outBase + ((b * win.h() + row(win, y, first)) * win.w() + column(win, x, 0)) * c;
                            lanes.addWindowRows(
                                    in,
                                    inBase + r * k + first * span,
                                    k,
                                    out,
                                    dst,
                                    win.sw() * c,
                                    win.dh() * win.w() * c,
                                    inner,
                                    end - first,
                                    span);
                        }
                        p += inner;
                        continue;
                    }
                    p++;
                    for (int g = 0; g < groups; g++) {
                        int src = inBase + (g * m + r) * k;
                        for (int i = 0; i < win.kh(); i++) {
                            int row = row(win, y, i);
                            if (span > 0 && row >= 0 && row < win.h() && inside(win, x)) {
                                int dst = outBase + ((b * win.h() + row) * win.w() + column(win, x, 0)) * c;
                                lanes.addWindowRows(in, src, 0, out, dst, 0, 0, 1, 1, span);
                                src += span;
                                continue;
                            }
                            for (int j = 0; j < win.kw(); j++, src += cg) {
                                int col = column(win, x, j);
                                if (row >= 0 && row < win.h() && col >= 0 && col < win.w()) {
                                    int dst = outBase + ((b * win.h() + row) * win.w() + col) * c + g * cg;
                                    for (int ch = 0; ch < cg; ch++) {
                                        out[dst + ch] += in[src + ch];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
        return true;
    }

    static boolean maxPool2d(View input, Window2d win, View out, View argmax) {
        if (!fits(input, out) || (argmax != null && !argmax.isContiguous())) {
            return false;
        }
        float[] in = FloatPaths.floats(input), max = FloatPaths.floats(out);
        int[] argmaxes = argmax == null ? null : (int[]) ((CpuBuffer) argmax.buffer()).array;
        int inBase = (int) input.offset(), outBase = (int) out.offset();
        int argBase = argmax == null ? 0 : (int) argmax.offset(), argStep = argmax == null ? 0 : win.c();
        int c = win.c(), perImage = win.oh() * win.ow();
        LaneKernels lanes = LaneKernels.selected();
        run((int) win.windows(), input.size(), (from, to) -> {
            int[] arg = argmaxes == null ? new int[c] : argmaxes; // no argmax asked for: a row nobody reads
            for (int r = from; r < to; ) {
                int b = r / perImage, y = r % perImage / win.ow(), x = r % win.ow();
                int inner = argmaxes == null ? 0 : innerRun(win, y, x, Math.min(to - r, win.ow() - x));
                if (inner > 1) { // windows of one output row with every tap inside: each tap in one call for all
                    int o = outBase + r * c, a = argBase + r * argStep, step = win.sw() * c;
                    for (int i = 0; i < win.kh(); i++) {
                        for (int j = 0; j < win.kw(); j++) {
                            int cell = ((b * win.h() + row(win, y, i)) * win.w() + column(win, x, j)) * c;
                            if (i == 0 && j == 0) {
                                seed(in, inBase + cell, step, max, o, arg, a, cell, inner, c);
                            } else {
                                lanes.maxWithIndex(in, inBase + cell, step, max, o, arg, a, cell, inner, c);
                            }
                        }
                    }
                    r += inner;
                    continue;
                }
                int o = outBase + r * c, a = argBase + r * argStep;
                boolean seeded = false; // the first tap inside the input seeds the maxima: padding never wins
                for (int i = 0; i < win.kh(); i++) {
                    int row = row(win, y, i);
                    for (int j = 0; j < win.kw(); j++) {
                        int col = column(win, x, j);
                        if (row < 0 || row >= win.h() || col < 0 || col >= win.w()) {
                            continue;
                        }
                        int cell = ((b * win.h() + row) * win.w() + col) * c, at = inBase + cell;
                        if (!seeded) {
                            seed(in, at, 0, max, o, arg, a, cell, 1, c);
                            seeded = true;
                        } else if (argmaxes == null) {
                            for (int ch = 0; ch < c; ch++) {
                                max[o + ch] = Math.max(max[o + ch], in[at + ch]);
                            }
                        } else {
                            lanes.maxWithIndex(in, at, 0, max, o, arg, a, cell, 1, c); // blends: branches mispredict
                        }
                    }
                }
                r++;
            }
        });
        return true;
    }

    /**
     * How many windows of output row y, from column x on and at most limit, have every tap inside the input
     * (none on padding): those can take each tap for all of them at once.
     */
    private static int innerRun(Window2d win, int y, int x, int limit) {
        for (int i = 0; i < win.kh(); i++) {
            int row = row(win, y, i);
            if (row < 0 || row >= win.h()) {
                return 0;
            }
        }
        return innerColumns(win, x, limit);
    }

    /** How many window columns from x on, at most limit, have every column inside the input. */
    private static int innerColumns(Window2d win, int x, int limit) {
        int count = 0;
        while (count < limit && inside(win, x + count)) {
            count++;
        }
        return count;
    }

    /** The first tap of `windows` windows seeds their maxima and arguments; the tap lies `step` further per window. */
    private static void seed(
            float[] in, int at, int step, float[] max, int o, int[] arg, int a, int cell, int windows, int c) {
        for (int q = 0; q < windows; q++, at += step, o += c, a += c, cell += step) {
            System.arraycopy(in, at, max, o, c);
            for (int ch = 0; ch < c; ch++) {
                arg[a + ch] = cell + ch;
            }
        }
    }

    static boolean maxPool2dBackward(View gradOut, View argmax, Window2d win, View gradInput) {
        if (!fits(gradOut, gradInput) || !argmax.isContiguous()) {
            return false;
        }
        float[] g = FloatPaths.floats(gradOut), out = FloatPaths.floats(gradInput);
        int[] arg = (int[]) ((CpuBuffer) argmax.buffer()).array;
        int gBase = (int) gradOut.offset(), outBase = (int) gradInput.offset(), argBase = (int) argmax.offset();
        int image = win.h() * win.w() * win.c(), pooled = win.oh() * win.ow() * win.c();
        run(win.n(), gradInput.size(), (from, to) -> {
            java.util.Arrays.fill(out, outBase + from * image, outBase + to * image, 0f);
            for (int e = from * pooled, end = to * pooled; e < end; e++) {
                out[outBase + arg[argBase + e]] += g[gBase + e]; // image b's windows point into image b only
            }
        });
        return true;
    }
}
