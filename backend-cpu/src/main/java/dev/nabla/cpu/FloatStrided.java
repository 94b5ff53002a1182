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
 */
final class FloatStrided {
    private FloatStrided() {
    }

    static boolean unary(UnaryOp op, View x, View out, double a, double b) {
        if (!FloatPaths.isFloat(x) || !FloatPaths.isFloat(out)) {
            return false;
        }
        float[] xa = FloatPaths.floats(x), oa = FloatPaths.floats(out);
        Strided.of(out, x).forEach(0, (off, st, n, unused) -> {
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
        Strided.of(out, x, y).forEach(0, (off, st, n, unused) -> {
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
        Strided.of(dst, src).forEach(0, (off, st, n, unused) -> {
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
