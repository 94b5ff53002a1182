package dev.nabla.cpu;

import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.View;

/**
 * Fast paths for FLOAT32 reductions. Sums accumulate in double like the general path: the sums of
 * the rows of a contiguous block (vectorized; a long row, as in a full sum, split into blocks
 * across cores) and the sums of the columns of a matrix (the bias gradient: blocks of rows added
 * whole into rows of accumulators). Column maxima and minima make one pass down the rows; maxima,
 * minima and their indices over contiguous blocks one pass along each. Returns false for anything
 * else.
 */
final class FloatReductions {
    private FloatReductions() {}

    static boolean reduce(ReduceOp op, View x, int reducedAxes, View out) {
        if (!FloatPaths.isFloat(x) || x.size() == 0) {
            return false;
        }
        if (op == ReduceOp.SUM) {
            return sum(x, reducedAxes, out);
        }
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && isColumns(x, reducedAxes)) {
            columnExtremes(op == ReduceOp.MAX, x, out);
            return true;
        }
        if (x.isContiguous()) {
            rowExtremes(op, x, reducedAxes, out);
            return true;
        }
        return false;
    }

    /**
     * The largest or smallest value, or its index, of each contiguous block of the reduced trailing
     * axes (a classifier's predicted class: argmax over the rows of [batch, classes]). The rule is
     * the general path's: the first of equal values is kept, and a NaN wins (and stays).
     */
    private static void rowExtremes(ReduceOp op, View x, int reducedAxes, View out) {
        int rank = x.rank();
        long length = 1;
        for (int a = rank - reducedAxes; a < rank; a++) {
            length *= x.shape()[a];
        }
        int rows = (int) (x.size() / length), len = (int) length;
        boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX, index = op.producesIndex();
        float[] xa = FloatPaths.floats(x);
        Object oa = ((CpuBuffer) out.buffer()).array;
        int xo = (int) x.offset(), oo = (int) out.offset();
        Parallel.Range blocks = (from, to) -> {
            for (int r = from; r < to; r++) {
                int start = xo + r * len, best = start;
                float b = xa[start];
                for (int i = start + 1, end = start + len; i < end; i++) {
                    float v = xa[i];
                    if ((max ? v > b : v < b) || (v != v && b == b)) {
                        b = v;
                        best = i;
                    }
                }
                Arrays3.set(oa, oo + r, index ? best - start : b);
            }
        };
        if (FloatPaths.split(x.size()) && rows > 1) {
            Parallel.split(rows, Parallel.THREADS, 1, 4, blocks);
        } else {
            blocks.run(0, rows);
        }
    }

    /** Whether x is a matrix reduced along its second axis whose first axis is contiguous: the columns of a row-major matrix. */
    private static boolean isColumns(View x, int reducedAxes) {
        return x.rank() == 2 && reducedAxes == 1 && x.strides()[0] == 1;
    }

    /**
     * The largest (or smallest) value of each column, one pass down the rows. The comparison is the
     * general path's: the first of equal values is kept, and a NaN wins (and stays).
     */
    private static void columnExtremes(boolean max, View x, View out) {
        int cols = x.shape()[0], rows = x.shape()[1];
        long ld = x.strides()[1];
        float[] xa = FloatPaths.floats(x), oa = FloatPaths.floats(out);
        int xo = (int) x.offset(), oo = (int) out.offset();
        Parallel.Range columns = (from, to) -> {
            int n = to - from;
            float[] best = Scratch.floats(3, n);
            System.arraycopy(xa, xo + from, best, 0, n);
            for (int r = 1; r < rows; r++) {
                int row = (int) (xo + r * ld) + from;
                for (int j = 0; j < n; j++) {
                    float v = xa[row + j], b = best[j];
                    if ((max ? v > b : v < b) || (v != v && b == b)) {
                        best[j] = v;
                    }
                }
            }
            System.arraycopy(best, 0, oa, oo + from, n);
        };
        if (FloatPaths.split(x.size()) && cols >= 2 * 64) {
            Parallel.split(cols, Parallel.THREADS, 64, 4, columns);
        } else {
            columns.run(0, cols);
        }
    }

    private static boolean sum(View x, int reducedAxes, View out) {
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
            if (len == 1) { // an axis of extent 1: each sum is its one element (+ 0, as the sum from 0 turns −0 into
                // +0)
                for (int r = 0; r < outs; r++) {
                    oa[oo + r] = xa[xo + r] + 0f;
                }
                return true;
            }
            if (outs < Parallel.THREADS && len >= 2 * BLOCK && FloatPaths.split(x.size())) {
                sumInBlocks(xa, xo, outs, len, oa, oo);
                return true;
            }
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
        if (isColumns(x, reducedAxes)) {
            columnSums(x, out);
            return true;
        }
        return false;
    }

    /**
     * Block length of a long sum split across cores. The blocks are fixed by the length alone, and
     * their sums are added in block order, so the result does not depend on the number of threads.
     */
    static final int BLOCK = 1 << 15;

    /** The most row blocks a column sum is cut into (bounding its per-block sums to 64 rows' worth). */
    private static final int MAX_ROW_BLOCKS = 64;

    /**
     * The sums of the columns (a bias gradient): blocks of whole rows, each added row by row into
     * double sums of its own, then the blocks' sums added in block order. Every row is read whole,
     * front to back, and the blocks are fixed by the shape alone, so the result does not depend on
     * the number of threads.
     */
    private static void columnSums(View x, View out) {
        int cols = x.shape()[0], rows = x.shape()[1];
        long ld = x.strides()[1];
        float[] xa = FloatPaths.floats(x), oa = FloatPaths.floats(out);
        int xo = (int) x.offset(), oo = (int) out.offset();
        int rowsPerBlock = Math.max(Math.max(1, BLOCK / cols), (rows + MAX_ROW_BLOCKS - 1) / MAX_ROW_BLOCKS);
        int blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
        double[] sums = Scratch.doubles(3, (long) blocks * cols); // the caller's, written by the workers for this call
        Parallel.Range rowBlocks = (from, to) -> {
            for (int b = from; b < to; b++) {
                int at = b * cols;
                java.util.Arrays.fill(sums, at, at + cols, 0.0);
                int first = b * rowsPerBlock, end = Math.min(rows, first + rowsPerBlock);
                LaneKernels.SELECTED.addRowsInto(xa, (int) (xo + first * ld), (int) ld, end - first, sums, at, cols);
            }
        };
        if (blocks > 1 && FloatPaths.split(x.size())) {
            Parallel.split(blocks, Parallel.THREADS, 1, 4, rowBlocks);
        } else {
            rowBlocks.run(0, blocks);
        }
        for (int b = 1; b < blocks; b++) {
            for (int j = 0, at = b * cols; j < cols; j++) {
                sums[j] += sums[at + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            oa[oo + j] = (float) sums[j];
        }
    }

    /** Sums of a few long contiguous rows (a full sum: one row): blocks of each row in parallel, then each row's blocks in order. */
    private static void sumInBlocks(float[] xa, int xo, int rows, int len, float[] oa, int oo) {
        int blocks = (len + BLOCK - 1) / BLOCK;
        double[] partial = new double[rows * blocks];
        Parallel.split(rows * blocks, Parallel.THREADS, 1, 4, (from, to) -> {
            for (int b = from; b < to; b++) {
                int row = b / blocks, start = (b % blocks) * BLOCK;
                partial[b] = sum(xa, xo + row * len + start, Math.min(BLOCK, len - start));
            }
        });
        for (int row = 0; row < rows; row++) {
            double total = 0;
            for (int b = 0; b < blocks; b++) {
                total += partial[row * blocks + b];
            }
            oa[oo + row] = (float) total;
        }
    }

    /** Σ x[from, from + n) in double ({@link LaneKernels#sum}: vectorized where the Vector API is present). */
    static double sum(float[] x, int from, int n) {
        return LaneKernels.SELECTED.sum(x, from, n);
    }
}
