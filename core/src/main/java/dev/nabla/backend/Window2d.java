package dev.nabla.backend;

/**
 * The geometry of a 2-D window op (convolution, pooling) over an NHWC input [n, h, w, c]: a kh×kw window
 * with strides (sh, sw) and dilation (dh, dw) slides over the input padded by top/bottom rows and left/right
 * columns, giving oh×ow windows. Window (y, x), tap (i, j) reads padded row y·sh + i·dh, column x·sw + j·dw,
 * that is input row y·sh + i·dh − top, column x·sw + j·dw − left (padding when outside the input).
 *
 * @param n      batch
 * @param h      input height
 * @param w      input width
 * @param c      channels
 * @param kh     window height (taps)
 * @param kw     window width (taps)
 * @param sh     stride along the height
 * @param sw     stride along the width
 * @param dh     dilation along the height
 * @param dw     dilation along the width
 * @param top    padding rows above
 * @param bottom padding rows below
 * @param left   padding columns on the left
 * @param right  padding columns on the right
 * @param oh     output height
 * @param ow     output width
 */
public record Window2d(
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

    /** Checks that every extent is positive (n and c may be 0), and that every window fits the padded input. */
    public Window2d {
        String problem = null;
        if (n < 0 || c < 0 || h < 1 || w < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1) {
            problem = "expected positive sizes, strides and dilation";
        } else if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            problem = "expected padding ≥ 0";
        } else if (oh < 1
                || ow < 1
                || (oh - 1L) * sh + (kh - 1L) * dh >= h + top + bottom
                || (ow - 1L) * sw + (kw - 1L) * dw >= w + left + right) {
            problem = "expected oh×ow windows that fit the padded input";
        }
        if (problem != null) {
            throw new IllegalArgumentException(
                    describe(n, h, w, c, kh, kw, sh, sw, dh, dw, top, bottom, left, right, oh, ow) + ": " + problem);
        }
    }

    /** The geometry in words, for messages ({@code toString} cannot serve: the fields are not set yet). */
    private static String describe(int... g) {
        return "window of input " + g[0] + "×" + g[1] + "×" + g[2] + "×" + g[3] + ", taps " + g[4] + "×" + g[5]
                + ", strides " + g[6] + "×" + g[7] + ", dilation " + g[8] + "×" + g[9] + ", padding " + g[10] + "/"
                + g[11] + "/" + g[12] + "/" + g[13] + ", output " + g[14] + "×" + g[15];
    }

    public int paddedH() {
        return h + top + bottom;
    }

    public int paddedW() {
        return w + left + right;
    }

    public boolean padded() {
        return top + bottom + left + right > 0;
    }

    /** kh·kw. */
    public int taps() {
        return kh * kw;
    }

    /** n·oh·ow: the number of windows per channel, the rows of the im2col matrix. */
    public long windows() {
        return (long) n * oh * ow;
    }

    /** The same geometry over {@code batch} items of the batch. */
    public Window2d withBatch(int batch) {
        return new Window2d(batch, h, w, c, kh, kw, sh, sw, dh, dw, top, bottom, left, right, oh, ow);
    }
}
