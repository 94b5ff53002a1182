package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;

/** Fused kernels over the rows of contiguous matrices: softmax, cross-entropy, bias + activation. */
final class RowKernels {
    private RowKernels() {}

    private static Object array(View v) {
        return ((CpuBuffer) v.buffer()).array;
    }

    /** Runs body over rows [0, rows), split across cores when the matrix is large. */
    private static void rows(int rows, int cols, Parallel.Range body) {
        if (FloatPaths.split((long) rows * cols) && rows > 1) {
            Parallel.split(rows, Parallel.THREADS, 1, 4, body);
        } else {
            body.run(0, rows);
        }
    }

    /** log Σ exp(x − max) + max, and the max, of one row. */
    private static double logSumExp(double[] x, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        if (Double.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[i] - max);
        }
        return max + Math.log(sum);
    }

    static void softmax(View x, View out, boolean log) {
        int rows = x.shape()[0], cols = x.shape()[1];
        Object xa = array(x), oa = array(out);
        rows(rows, cols, (from, to) -> {
            double[] row = Scratch.doubles(0, cols);
            for (int r = from; r < to; r++) {
                Arrays3.load(xa, x.offset() + (long) r * cols, 1, row, cols);
                double lse = logSumExp(row, cols);
                for (int i = 0; i < cols; i++) {
                    row[i] = log ? row[i] - lse : Math.exp(row[i] - lse);
                }
                Arrays3.store(row, oa, out.offset() + (long) r * cols, 1, cols);
            }
        });
    }

    static void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        int rows = logits.shape()[0], cols = logits.shape()[1];
        Object xa = array(logits), ta = array(targets), la = array(loss), pa = array(probs);
        rows(rows, cols, (from, to) -> {
            double[] row = Scratch.doubles(0, cols);
            double[] t = Scratch.doubles(1, cols);
            double[] l = Scratch.doubles(2, 1);
            double[] e = Scratch.doubles(3, cols);
            for (int r = from; r < to; r++) {
                Arrays3.load(xa, logits.offset() + (long) r * cols, 1, row, cols);
                Arrays3.load(ta, targets.offset() + (long) r * cols, 1, t, cols);
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < cols; i++) {
                    max = Math.max(max, row[i]);
                }
                // one exp per element: p = e / Σe, log p = x − max − log Σe (with an infinite max, the general form)
                double sum = 0;
                for (int i = 0; i < cols; i++) {
                    e[i] = Math.exp(row[i] - max);
                    sum += e[i];
                }
                double lse = Double.isInfinite(max) ? max : max + Math.log(sum);
                l[0] = 0;
                for (int i = 0; i < cols; i++) {
                    double logP = row[i] - lse;
                    if (t[i] != 0) {
                        l[0] -= t[i] * logP;
                    }
                    row[i] = Double.isInfinite(max) ? Math.exp(logP) : e[i] / sum;
                }
                Arrays3.store(row, pa, probs.offset() + (long) r * cols, 1, cols);
                Arrays3.store(l, la, loss.offset() + r, 1, 1);
            }
        });
    }

    static void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        int rows = probs.shape()[0], cols = probs.shape()[1];
        Object pa = array(probs), ta = array(targets), ga = array(gradLoss), oa = array(out);
        rows(rows, cols, (from, to) -> {
            double[] p = Scratch.doubles(0, cols);
            double[] t = Scratch.doubles(1, cols);
            for (int r = from; r < to; r++) {
                Arrays3.load(pa, probs.offset() + (long) r * cols, 1, p, cols);
                Arrays3.load(ta, targets.offset() + (long) r * cols, 1, t, cols);
                double g = Arrays3.get(ga, gradLoss.offset() + r);
                for (int i = 0; i < cols; i++) {
                    p[i] = (p[i] - t[i]) * g;
                }
                Arrays3.store(p, oa, out.offset() + (long) r * cols, 1, cols);
            }
        });
    }

    static void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        int rows = x.shape()[0], cols = x.shape()[1];
        Object xa = array(x), ba = array(bias), oa = array(out);
        if (xa instanceof float[] xf
                && (activation == null || activation == UnaryOp.RELU || activation == UnaryOp.TANH)) {
            // x + b rounded to float is exactly the double sum rounded, and ReLU commutes with the rounding;
            // tanh: see LaneKernels
            float[] bf = (float[]) ba, of = (float[]) oa;
            int xo = (int) x.offset(), bo = (int) bias.offset(), oo = (int) out.offset();
            rows(rows, cols, (from, to) -> {
                int xi = xo + from * cols, oi = oo + from * cols;
                if (activation == UnaryOp.RELU) {
                    LaneKernels.SELECTED.biasRelu(xf, xi, bf, bo, of, oi, to - from, cols);
                } else if (activation == UnaryOp.TANH) {
                    LaneKernels.SELECTED.biasTanh(xf, xi, bf, bo, of, oi, to - from, cols);
                } else {
                    for (int r = from; r < to; r++) {
                        biasRow(xf, xo + r * cols, bf, bo, of, oo + r * cols, cols);
                    }
                }
            });
            return;
        }
        double[] b = new double[cols];
        Arrays3.load(ba, bias.offset(), 1, b, cols);
        rows(rows, cols, (from, to) -> {
            double[] row = Scratch.doubles(0, cols);
            for (int r = from; r < to; r++) {
                Arrays3.load(xa, x.offset() + (long) r * cols, 1, row, cols);
                for (int i = 0; i < cols; i++) {
                    row[i] += b[i];
                }
                if (activation != null) {
                    ChunkKernels.unary(activation, row, row, cols, a, 0);
                }
                Arrays3.store(row, oa, out.offset() + (long) r * cols, 1, cols);
            }
        });
    }

    /**
     * Elements whose derivative one call computes before their rows' column sums: 16 KiB, still in L1 for the sums, and
     * many rows per call when rows are narrow (6 columns: 17 → 3 ms for 100,352 rows; 32 and 64 columns unchanged).
     */
    private static final int DERIVATIVE_ELEMENTS = 4096;

    /**
     * The fused backward of bias + activation for FLOAT32 operands at one common offset: blocks of
     * rows, each written with the activation's backward op and added, row by row while still in
     * cache, into the block's own double column sums; the blocks' sums are then added in block
     * order, so the result does not depend on which thread ran which block. Returns false for
     * other operands.
     */
    static boolean biasActivationBackward(
            View out, View gradOut, BinaryOp derivative, double a, View gradIn, View gradBias) {
        if (!FloatPaths.isFloat(out)
                || !FloatPaths.isFloat(gradOut)
                || !FloatPaths.isFloat(gradIn)
                || !FloatPaths.isFloat(gradBias)
                || out.offset() != gradOut.offset()
                || out.offset() != gradIn.offset()) {
            return false;
        }
        int rows = out.shape()[0], cols = out.shape()[1];
        float[] oa = FloatPaths.floats(out), ga = FloatPaths.floats(gradOut), ia = FloatPaths.floats(gradIn);
        float[] ba = FloatPaths.floats(gradBias);
        int offset = (int) out.offset(), bo = (int) gradBias.offset();
        int blocks = FloatPaths.split((long) rows * cols) ? Math.min(rows, 2 * Parallel.THREADS) : 1;
        int step = Math.max(1, DERIVATIVE_ELEMENTS / Math.max(cols, 1));
        double[] sums =
                Scratch.doubles(3, (long) blocks * cols); // the caller's scratch, shared with the workers for this call
        java.util.Arrays.fill(sums, 0, blocks * cols, 0.0);
        Parallel.split(blocks, Parallel.THREADS, 1, 1, (first, last) -> {
            for (int block = first; block < last; block++) {
                int from = (int) ((long) rows * block / blocks), to = (int) ((long) rows * (block + 1) / blocks);
                for (int r = from; r < to; r += step) { // narrow rows: one derivative call for several
                    int end = Math.min(to, r + step);
                    FloatKernels.binary(derivative, oa, ga, ia, offset + r * cols, offset + end * cols, a);
                    LaneKernels.SELECTED.addRowsInto(ia, offset + r * cols, cols, end - r, sums, block * cols, cols);
                }
            }
        });
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int block = 0; block < blocks; block++) {
                sum += sums[block * cols + j];
            }
            ba[bo + j] = (float) sum;
        }
        return true;
    }

    /** o[oo + j] = x[xo + j] + b[bo + j] for j in [0, n). */
    private static void biasRow(float[] x, int xo, float[] b, int bo, float[] o, int oo, int n) {
        if (xo != oo) {
            System.arraycopy(x, xo, o, oo, n); // then from o itself: the JIT vectorizes a loop with one index only
            x = o;
        }
        for (int j = 0; j < n; j++) {
            o[oo + j] = x[oo + j] + b[bo + j];
        }
    }
}
