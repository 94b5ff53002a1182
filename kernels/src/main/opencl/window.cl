/*
 * The window ops of convolutions and pooling (needs common.cl and the host prelude), with the layouts and
 * semantics of dev.nabla.backend.Backend: im2col, col2im, max pooling and its backward over contiguous NHWC
 * arrays. One work item per pixel (per window tap for im2col) loops over the channels, which are contiguous:
 * one item per element spent most of its time taking its index apart. The adjoints (col2im, pooling backward)
 * gather, each input pixel summing what the windows that cover it hold for it, so they need no atomics and
 * every sum has one order (tap order).
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
    int cg = c / groups, taps = kh * kw;
    long m = (long)n * oh * ow;
    FOR_EACH(e, groups * m * taps) { /* e = (g·m + r)·taps + tap */
        int tap = (int)(e % taps), r = (int)(e / taps % m);
        int b = r / (oh * ow), y = r / ow % oh, x = r % ow, g = (int)(e / taps / m);
        int row = y * sh + tap / kw * dh - top, col = x * sw + tap % kw * dw - left;
        __global T *dst = cols + coff + e * cg;
        if (row < 0 || row >= h || col < 0 || col >= w) {
            for (int ch = 0; ch < cg; ch++) dst[ch] = pad;
        } else {
            __global const T *src = in + ioff + (((long)b * h + row) * w + col) * c + g * cg;
            for (int ch = 0; ch < cg; ch++) dst[ch] = src[ch];
        }
    }
}

/* grad [n, h, w, c] (overwritten): each cell sums the cols entries of the taps that read it. */
__kernel void col2im(WINDOW_ARGS, int groups, __global const T *cols, long coff, __global T *grad, long goff) {
    int cg = c / groups, k = kh * kw * cg;
    long m = (long)n * oh * ow;
    FOR_EACH(e, (long)n * h * w * groups) { /* e = pixel·groups + g */
        int g = (int)(e % groups), p = (int)(e / groups), col = p % w, row = p / w % h, b = p / w / h;
        __global T *dst = grad + goff + (long)p * c + g * cg;
        for (int ch = 0; ch < cg; ch++) dst[ch] = 0;
        for (int i = 0; i < kh; i++) {
            int y = window_at(row, i, sh, dh, top, oh);
            if (y < 0) continue;
            for (int j = 0; j < kw; j++) {
                int x = window_at(col, j, sw, dw, left, ow);
                if (x < 0) continue;
                __global const T *src = cols + coff + (g * m + ((long)b * oh + y) * ow + x) * k + (i * kw + j) * cg;
                for (int ch = 0; ch < cg; ch++) dst[ch] += src[ch];
            }
        }
    }
}

/*
 * out [n, oh, ow, c]: the maximum of each window over the taps inside the input (padding never wins; NaN
 * does, as Math.max), and, unless want_arg is 0, argmax: the flat input index of the first strict maximum.
 */
__kernel void max_pool2d(WINDOW_ARGS, __global const T *in, long ioff, __global T *out, long ooff,
                         __global int *arg, long aoff, int want_arg) {
    FOR_EACH(r, (long)n * oh * ow) {
        int x = (int)(r % ow), y = (int)(r / ow % oh), b = (int)(r / ow / oh);
        __global T *best = out + ooff + r * c;
        __global int *at = arg + aoff + r * c;
        bool seeded = false; /* the first tap inside the input seeds the maxima */
        for (int i = 0; i < kh; i++) {
            int row = y * sh + i * dh - top;
            if (row < 0 || row >= h) continue;
            for (int j = 0; j < kw; j++) {
                int col = x * sw + j * dw - left;
                if (col < 0 || col >= w) continue;
                int cell = ((b * h + row) * w + col) * c;
                __global const T *src = in + ioff + cell;
                for (int ch = 0; ch < c; ch++) {
                    CT v = (CT)src[ch], prior = seeded ? (CT)best[ch] : v;
                    if (want_arg && (!seeded || v > prior)) at[ch] = cell + ch;
                    best[ch] = (T)(seeded ? java_max(prior, v) : v);
                }
                seeded = true;
            }
        }
        for (int ch = 0; ch < c && !seeded; ch++) { /* a window wholly on padding */
            best[ch] = (T)(-INFINITY);
            if (want_arg) at[ch] = -1;
        }
    }
}

/* grad [n, h, w, c] (overwritten): each cell sums the gradOut of the windows covering it whose argmax it is. */
__kernel void max_pool2d_backward(WINDOW_ARGS, __global const T *gout, long gooff, __global const int *arg,
                                  long aoff, __global T *grad, long goff) {
    FOR_EACH(p, (long)n * h * w) {
        int col = (int)(p % w), row = (int)(p / w % h), b = (int)(p / w / h), cell = (int)p * c;
        __global T *dst = grad + goff + p * c;
        for (int ch = 0; ch < c; ch++) dst[ch] = 0;
        for (int i = 0; i < kh; i++) {
            int y = window_at(row, i, sh, dh, top, oh);
            if (y < 0) continue;
            for (int j = 0; j < kw; j++) {
                int x = window_at(col, j, sw, dw, left, ow);
                if (x < 0) continue;
                long o = (((long)b * oh + y) * ow + x) * c;
                for (int ch = 0; ch < c; ch++) {
                    if (arg[aoff + o + ch] == cell + ch) dst[ch] += gout[gooff + o + ch];
                }
            }
        }
    }
}
