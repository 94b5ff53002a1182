package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.tensor.DType;

/**
 * Fast paths for FLOAT32 elementwise ops whose operands are contiguous (or a broadcast scalar):
 * straight loops over the {@code float[]}s, split across cores only when the work is large
 * enough to pay for waking a second thread. Each method returns false when its operands do not
 * fit, and the caller runs the general strided engine.
 */
final class FloatPaths {
    /** Elements × relative cost from which an elementwise op is split across cores. */
    static final long SPLIT_WORK = 1L << 17;
    /** Split points fall on multiples of this many elements (a cache line is 16 floats). */
    static final int GRAIN = 1024;

    private FloatPaths() {
    }

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
        if (!split((long) n * FloatKernels.cost(op))) {
            FloatKernels.unary(op, xa, xo, oa, oo, n, a, b);
        } else {
            Parallel.split(n, Parallel.THREADS, GRAIN,
                    (from, to) -> FloatKernels.unary(op, xa, xo + from, oa, oo + from, to - from, a, b));
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
        if (xc && yc && !split) {
            FloatKernels.binary(op, xa, xo, ya, yo, oa, oo, n, a);
            return true;
        }
        Parallel.Range run;
        if (xc && yc) {
            run = (from, to) -> FloatKernels.binary(op, xa, xo + from, ya, yo + from, oa, oo + from, to - from, a);
        } else {
            // a broadcast scalar operand: repeat it into a scratch chunk, then run the contiguous kernel
            run = (from, to) -> {
                float[] scalar = Scratch.floats(3, GRAIN);
                java.util.Arrays.fill(scalar, 0, GRAIN, xc ? ya[yo] : xa[xo]);
                for (int c = from; c < to; c += GRAIN) {
                    int len = Math.min(GRAIN, to - c);
                    if (xc) {
                        FloatKernels.binary(op, xa, xo + c, scalar, 0, oa, oo + c, len, a);
                    } else if (yc) {
                        FloatKernels.binary(op, scalar, 0, ya, yo + c, oa, oo + c, len, a);
                    } else {
                        float[] other = Scratch.floats(2, GRAIN);
                        java.util.Arrays.fill(other, 0, len, ya[yo]);
                        FloatKernels.binary(op, scalar, 0, other, 0, oa, oo + c, len, a);
                    }
                }
            };
        }
        if (!split) {
            run.run(0, n);
        } else {
            Parallel.split(n, Parallel.THREADS, GRAIN, run);
        }
        return true;
    }
}
