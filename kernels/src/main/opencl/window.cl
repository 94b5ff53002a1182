/*
 * The window ops of convolutions and pooling (needs common.cl and the host prelude), with the layouts and
 * semantics of dev.nabla.backend.Backend: im2col, col2im, max pooling and its backward over contiguous NHWC
 * arrays. One work item per output element; the adjoints (col2im, pooling backward) gather, each input cell
 * summing what the windows that cover it hold for it, so they need no atomics and every sum has one order.
 *
 * WINDOW_ARGS is the geometry of a dev.nabla.backend.Window2d (bottom and right padding are implied by oh, ow).
 */

#define WINDOW_ARGS int n, int h, int w, int c, int kh, int kw, int sh, int sw, int dh, int dw, int top, int left, \
                    int oh, int ow

/* The window (along one axis) whose tap t reads input position pos, or -1 when none does. */
inline int window_at(int pos, int t, int stride, int dilation, int pad, int windows) {
    int p = pos + pad - t * dilation;
    if (p < 0 || p % stride != 0) return -1;
    p /= stride;
    return p < windows ? p : -1;
}

/* cols [groups, n·oh·ow, kh·kw·c/groups]: row (b, y, x) of group g holds taps (i, j), each with g's channels. */
__kernel void im2col(WINDOW_ARGS, int groups, __global const T *in, long ioff, T pad, __global T *cols, long coff) {
    int cg = c / groups, k = kh * kw * cg;
    long m = (long)n * oh * ow;
    FOR_EACH(e, groups * m * k) {
        long r = e / k % m;
        int g = (int)(e / (m * k)), t = (int)(e % k), tap = t / cg, ch = g * cg + t % cg;
        int b = (int)(r / (oh * ow)), y = (int)(r / ow % oh), x = (int)(r % ow);
        int row = y * sh + tap / kw * dh - top, col = x * sw + tap % kw * dw - left;
        cols[coff + e] = row < 0 || row >= h || col < 0 || col >= w
                ? pad : in[ioff + (((long)b * h + row) * w + col) * c + ch];
    }
}

/* grad [n, h, w, c] (overwritten): each cell sums the cols entries of the taps that read it, in tap order. */
__kernel void col2im(WINDOW_ARGS, int groups, __global const T *cols, long coff, __global T *grad, long goff) {
    int cg = c / groups, k = kh * kw * cg;
    long m = (long)n * oh * ow;
    FOR_EACH(e, (long)n * h * w * c) {
        int ch = (int)(e % c), col = (int)(e / c % w), row = (int)(e / c / w % h), b = (int)(e / c / w / h);
        int g = ch / cg;
        CT sum = 0;
        for (int i = 0; i < kh; i++) {
            int y = window_at(row, i, sh, dh, top, oh);
            if (y < 0) continue;
            for (int j = 0; j < kw; j++) {
                int x = window_at(col, j, sw, dw, left, ow);
                if (x < 0) continue;
                long r = ((long)b * oh + y) * ow + x;
                sum += (CT)cols[coff + (g * m + r) * k + (i * kw + j) * cg + ch % cg];
            }
        }
        grad[goff + e] = (T)sum;
    }
}

/*
 * out [n, oh, ow, c]: the maximum of each window over the taps inside the input (padding never wins; NaN
 * does, as Math.max), and, unless want_arg is 0, argmax: the flat input index of the first strict maximum.
 */
__kernel void max_pool2d(WINDOW_ARGS, __global const T *in, long ioff, __global T *out, long ooff,
                         __global int *arg, long aoff, int want_arg) {
    FOR_EACH(e, (long)n * oh * ow * c) {
        int ch = (int)(e % c), x = (int)(e / c % ow), y = (int)(e / c / ow % oh), b = (int)(e / c / ow / oh);
        CT best = (CT)(-INFINITY);
        int at = -1;
        for (int i = 0; i < kh; i++) {
            int row = y * sh + i * dh - top;
            if (row < 0 || row >= h) continue;
            for (int j = 0; j < kw; j++) {
                int col = x * sw + j * dw - left;
                if (col < 0 || col >= w) continue;
                int cell = ((b * h + row) * w + col) * c + ch;
                CT v = (CT)in[ioff + cell];
                if (at < 0 || v > best) at = cell;
                best = at == cell ? v : java_max(best, v);
            }
        }
        out[ooff + e] = (T)best;
        if (want_arg) arg[aoff + e] = at;
    }
}

/* grad [n, h, w, c] (overwritten): each cell sums the gradOut of the windows covering it whose argmax it is. */
__kernel void max_pool2d_backward(WINDOW_ARGS, __global const T *gout, long gooff, __global const int *arg,
                                  long aoff, __global T *grad, long goff) {
    FOR_EACH(e, (long)n * h * w * c) {
        int ch = (int)(e % c), col = (int)(e / c % w), row = (int)(e / c / w % h), b = (int)(e / c / w / h);
        CT sum = 0;
        for (int i = 0; i < kh; i++) {
            int y = window_at(row, i, sh, dh, top, oh);
            if (y < 0) continue;
            for (int j = 0; j < kw; j++) {
                int x = window_at(col, j, sw, dw, left, ow);
                if (x < 0) continue;
                long o = (((long)b * oh + y) * ow + x) * c + ch;
                if (arg[aoff + o] == (int)e) sum += (CT)gout[gooff + o];
            }
        }
        grad[goff + e] = (T)sum;
    }
}
