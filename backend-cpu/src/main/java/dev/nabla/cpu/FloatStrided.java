package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;

/**
 * FLOAT32 elementwise ops on operands of any layout (transposed, sliced, broadcast), for what
 * {@link FloatPaths} leaves: the {@link Strided} walk hands out chunks along the innermost axis,
 * each operand's chunk is gathered into float scratch at index 0, the same float kernels as the
 * contiguous paths run on it ({@link FloatKernels}, so the results are the same), and the result
 * is scattered to the output. No conversion to double, unlike the general walk for other dtypes.
 * A large matrix with a transposed operand goes tile by tile instead ({@link Strided#forEachTile}),
 * each tile transposed through scratch so that every operand is read along its unit stride.
 */
final class FloatStrided {
    private FloatStrided() {}

    static boolean unary(UnaryOp op, View x, View out, double a, double b) {
        if (!FloatPaths.isFloat(x) || !FloatPaths.isFloat(out)) {
            return false;
        }
        float[] xa = FloatPaths.floats(x), oa = FloatPaths.floats(out);
        Strided walk = Strided.of(out, x);
        if (walk.forEachTile((off, rs, cs, rows, cols) -> {
            int n = rows * cols;
            float[] s = Scratch.floats(3, n);
            gatherTile(xa, off[1], rs[1], cs[1], rows, cols, s);
            FloatKernels.unary(op, s, s, 0, n, a, b);
            scatterTile(s, oa, off[0], rs[0], cs[0], rows, cols);
        })) {
            return true;
        }
        walk.forEach(0, (off, st, n, unused) -> {
            float[] s = Scratch.floats(3, n);
            gather(xa, off[1], st[1], s, n);
            FloatKernels.unary(op, s, s, 0, n, a, b);
            scatter(s, oa, off[0], st[0], n);
        });
        return true;
    }

    static boolean binary(BinaryOp op, View x, View y, View out, double a) {
        if (!FloatPaths.isFloat(x) || !FloatPaths.isFloat(y) || !FloatPaths.isFloat(out)) {
            return false;
        }
        float[] xa = FloatPaths.floats(x), ya = FloatPaths.floats(y), oa = FloatPaths.floats(out);
        Strided walk = Strided.of(out, x, y);
        if (walk.forEachTile((off, rs, cs, rows, cols) -> {
            int n = rows * cols;
            float[] sx = Scratch.floats(3, n), sy = Scratch.floats(2, n), so = Scratch.floats(1, n);
            gatherTile(xa, off[1], rs[1], cs[1], rows, cols, sx);
            gatherTile(ya, off[2], rs[2], cs[2], rows, cols, sy);
            FloatKernels.binary(op, sx, sy, so, 0, n, a);
            scatterTile(so, oa, off[0], rs[0], cs[0], rows, cols);
        })) {
            return true;
        }
        walk.forEach(0, (off, st, n, unused) -> {
            float[] sx = Scratch.floats(3, n), sy = Scratch.floats(2, n), so = Scratch.floats(1, n);
            gather(xa, off[1], st[1], sx, n);
            gather(ya, off[2], st[2], sy, n);
            FloatKernels.binary(op, sx, sy, so, 0, n, a);
            scatter(so, oa, off[0], st[0], n);
        });
        return true;
    }

    /** out = x for float views of any layout (e.g. making a transposed tensor contiguous). */
    static boolean copy(View src, View dst) {
        if (!FloatPaths.isFloat(src) || !FloatPaths.isFloat(dst)) {
            return false;
        }
        float[] xa = FloatPaths.floats(src), oa = FloatPaths.floats(dst);
        Strided walk = Strided.of(dst, src);
        if (walk.forEachTile((off, rs, cs, rows, cols) -> {
            float[] s = Scratch.floats(3, rows * cols);
            gatherTile(xa, off[1], rs[1], cs[1], rows, cols, s);
            scatterTile(s, oa, off[0], rs[0], cs[0], rows, cols);
        })) {
            return true;
        }
        walk.forEach(0, (off, st, n, unused) -> {
            if (st[0] == 1) {
                gather(xa, off[1], st[1], oa, (int) off[0], n);
            } else {
                float[] s = Scratch.floats(3, n);
                gather(xa, off[1], st[1], s, n);
                scatter(s, oa, off[0], st[0], n);
            }
        });
        return true;
    }

    /**
     * A tile into dst as rows × cols, row-major. A transposed operand (unit stride down the rows)
     * is read along that unit stride, column by column, so each cache line is read once.
     */
    private static void gatherTile(
            float[] src, long offset, long rowStride, long colStride, int rows, int cols, float[] dst) {
        int o = (int) offset, rs = (int) rowStride, cs = (int) colStride;
        if (rs == 1 && cs != 1) {
            for (int c = 0; c < cols; c++) {
                for (int r = 0, from = o + c * cs; r < rows; r++) {
                    dst[r * cols + c] = src[from + r];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                gather(src, o + (long) r * rs, cs, dst, r * cols, cols);
            }
        }
    }

    /** A rows × cols row-major tile from src into its place; a transposed output is written along its unit stride. */
    private static void scatterTile(
            float[] src, float[] dst, long offset, long rowStride, long colStride, int rows, int cols) {
        int o = (int) offset, rs = (int) rowStride, cs = (int) colStride;
        if (rs == 1 && cs != 1) {
            for (int c = 0; c < cols; c++) {
                for (int r = 0, to = o + c * cs; r < rows; r++) {
                    dst[to + r] = src[r * cols + c];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                int at = o + r * rs;
                if (cs == 1) {
                    System.arraycopy(src, r * cols, dst, at, cols);
                } else {
                    for (int c = 0; c < cols; c++) {
                        dst[at + c * cs] = src[r * cols + c];
                    }
                }
            }
        }
    }

    private static void gather(float[] src, long offset, long stride, float[] dst, int n) {
        gather(src, offset, stride, dst, 0, n);
    }

    private static void gather(float[] src, long offset, long stride, float[] dst, int at, int n) {
        int o = (int) offset, s = (int) stride;
        if (s == 1) {
            System.arraycopy(src, o, dst, at, n);
        } else if (s == 0) {
            java.util.Arrays.fill(dst, at, at + n, src[o]);
        } else {
            for (int i = 0; i < n; i++) {
                dst[at + i] = src[o + i * s];
            }
        }
    }

    private static void scatter(float[] src, float[] dst, long offset, long stride, int n) {
        int o = (int) offset, s = (int) stride;
        if (s == 1) {
            System.arraycopy(src, 0, dst, o, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst[o + i * s] = src[i];
            }
        }
    }
}
