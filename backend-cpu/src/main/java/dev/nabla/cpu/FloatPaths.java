package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;

/**
 * Fast paths for FLOAT32 elementwise ops whose operands are contiguous (or a broadcast scalar):
 * straight loops over the {@code float[]}s, split across cores only when the work is large
 * enough to pay for waking a second thread. Each method returns false when its operands do not
 * fit, and the caller runs the general strided engine.
 */
final class FloatPaths {
    /**
     * Elements × relative cost from which an elementwise op is split across cores. The pool's
     * workers spin between jobs, so a split costs about a microsecond: from 32 Ki elements on, the
     * [128, 512] activations of the deep MLP too (its step ~1 % faster than at 128 Ki, A/B in one run).
     */
    static final long SPLIT_WORK = 1L << 15;
    /** Split points fall on multiples of this many elements (a cache line is 16 floats). */
    static final int GRAIN = 1024;

    private FloatPaths() {}

    static float[] floats(View v) {
        return (float[]) ((CpuBuffer) v.buffer()).array;
    }

    static boolean isFloat(View v) {
        return v.dtype() == DType.FLOAT32;
    }

    /** Whether every stride is 0: one value repeated. */
    static boolean isScalar(View v) {
        for (long s : v.strides()) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean split(long work) {
        return work >= SPLIT_WORK && Parallel.available();
    }

    static boolean fill(View out, double value) {
        if (!isFloat(out) || !out.isContiguous()) {
            return false;
        }
        float[] o = floats(out);
        int from = (int) out.offset();
        java.util.Arrays.fill(o, from, from + (int) out.size(), (float) value);
        return true;
    }

    static boolean copy(View src, View dst) {
        if (!isFloat(src) || !isFloat(dst) || !dst.isContiguous()) {
            return false;
        }
        int n = (int) dst.size();
        if (src.isContiguous()) {
            System.arraycopy(floats(src), (int) src.offset(), floats(dst), (int) dst.offset(), n);
            return true;
        }
        if (isScalar(src)) {
            int from = (int) dst.offset();
            java.util.Arrays.fill(floats(dst), from, from + n, floats(src)[(int) src.offset()]);
            return true;
        }
        return false;
    }

    static boolean unary(UnaryOp op, View x, View out, double a, double b) {
        if (!isFloat(x) || !isFloat(out) || !out.isContiguous() || !x.isContiguous()) {
            return false;
        }
        float[] xa = floats(x), oa = floats(out);
        int n = (int) out.size(), xo = (int) x.offset(), oo = (int) out.offset();
        boolean split = split((long) n * FloatKernels.cost(op));
        if (xo == oo && !split) {
            FloatKernels.unary(op, xa, oa, oo, oo + n, a, b);
            return true;
        }
        Parallel.Range run = xo == oo
                ? (from, to) -> FloatKernels.unary(op, xa, oa, oo + from, oo + to, a, b)
                : (from, to) -> {
                    // different offsets: run each chunk on a scratch copy at index 0
                    float[] s = Scratch.floats(3, GRAIN);
                    for (int c = from; c < to; c += GRAIN) {
                        int len = Math.min(GRAIN, to - c);
                        System.arraycopy(xa, xo + c, s, 0, len);
                        FloatKernels.unary(op, s, s, 0, len, a, b);
                        System.arraycopy(s, 0, oa, oo + c, len);
                    }
                };
        if (split) {
            Parallel.split(n, Parallel.THREADS, GRAIN, 4, run);
        } else {
            run.run(0, n);
        }
        return true;
    }

    static boolean binary(BinaryOp op, View x, View y, View out, double a) {
        if (!isFloat(x) || !isFloat(y) || !isFloat(out) || !out.isContiguous()) {
            return false;
        }
        boolean xc = x.isContiguous(), yc = y.isContiguous();
        if (!(xc || isScalar(x)) || !(yc || isScalar(y))) {
            return false;
        }
        float[] xa = floats(x), ya = floats(y), oa = floats(out);
        int n = (int) out.size(), xo = (int) x.offset(), yo = (int) y.offset(), oo = (int) out.offset();
        boolean split = split((long) n * FloatKernels.cost(op));
        boolean sameIndex = xc && yc && xo == oo && yo == oo;
        if (sameIndex && !split) {
            FloatKernels.binary(op, xa, ya, oa, oo, oo + n, a);
            return true;
        }
        Parallel.Range run = sameIndex
                ? (from, to) -> FloatKernels.binary(op, xa, ya, oa, oo + from, oo + to, a)
                : (from, to) -> {
                    // different offsets or a broadcast scalar: chunks on scratch copies at index 0
                    float[] sx = Scratch.floats(3, GRAIN), sy = Scratch.floats(2, GRAIN), so = Scratch.floats(1, GRAIN);
                    if (!xc) {
                        java.util.Arrays.fill(sx, 0, GRAIN, xa[xo]);
                    }
                    if (!yc) {
                        java.util.Arrays.fill(sy, 0, GRAIN, ya[yo]);
                    }
                    for (int c = from; c < to; c += GRAIN) {
                        int len = Math.min(GRAIN, to - c);
                        if (xc) {
                            System.arraycopy(xa, xo + c, sx, 0, len);
                        }
                        if (yc) {
                            System.arraycopy(ya, yo + c, sy, 0, len);
                        }
                        FloatKernels.binary(op, sx, sy, so, 0, len, a);
                        System.arraycopy(so, 0, oa, oo + c, len);
                    }
                };
        if (split) {
            Parallel.split(n, Parallel.THREADS, GRAIN, 4, run);
        } else {
            run.run(0, n);
        }
        return true;
    }
}
