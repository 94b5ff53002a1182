package dev.nabla.cpu;

import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.View;

/**
 * Fast paths for FLOAT32 sums, accumulated in double like the general path: the sums of the
 * rows of a contiguous block (eight independent accumulators, so the adds overlap), and the sums
 * of the columns of a matrix (the bias gradient: one pass down the rows adding whole rows into a
 * row of accumulators). Returns false for anything else.
 */
final class FloatReductions {
    private FloatReductions() {
    }

    static boolean reduce(ReduceOp op, View x, int reducedAxes, View out) {
        if (op != ReduceOp.SUM || !FloatPaths.isFloat(x) || x.size() == 0) {
            return false;
        }
        int rank = x.rank(), keptRank = rank - reducedAxes;
        long outCount = 1;
        for (int a = 0; a < keptRank; a++) {
            outCount *= x.shape()[a];
        }
        long length = x.size() / outCount;
        float[] xa = FloatPaths.floats(x), oa = FloatPaths.floats(out);
        int xo = (int) x.offset(), oo = (int) out.offset();
        if (x.isContiguous()) {
            int outs = (int) outCount, len = (int) length;
            Parallel.Range rows = (from, to) -> {
                for (int r = from; r < to; r++) {
                    oa[oo + r] = (float) sum(xa, xo + r * len, len);
                }
            };
            if (FloatPaths.split(x.size()) && outs > 1) {
                Parallel.split(outs, Parallel.THREADS, 1, 4, rows);
            } else {
                rows.run(0, outs);
            }
            return true;
        }
        if (keptRank == 1 && reducedAxes == 1 && x.strides()[0] == 1) {
            int cols = x.shape()[0], rows = x.shape()[1];
            long ld = x.strides()[1];
            Parallel.Range columns = (from, to) -> {
                double[] acc = Scratch.doubles(3, to - from);
                java.util.Arrays.fill(acc, 0, to - from, 0.0);
                for (int r = 0; r < rows; r++) {
                    LaneKernels.SELECTED.addInto(xa, (int) (xo + r * ld) + from, acc, 0, to - from);
                }
                for (int j = from; j < to; j++) {
                    oa[oo + j] = (float) acc[j - from];
                }
            };
            if (FloatPaths.split(x.size()) && cols >= 2 * 64) {
                Parallel.split(cols, Parallel.THREADS, 64, 4, columns);
            } else {
                columns.run(0, cols);
            }
            return true;
        }
        return false;
    }

    /** Σ x[from, from + n) in double, with eight independent accumulators. */
    static double sum(float[] x, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from, end = from + n, end8 = from + (n & ~7);
        for (; i < end8; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        for (; i < end; i++) {
            s0 += x[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
