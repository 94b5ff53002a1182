package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The FLOAT32 fast paths give the reference semantics ({@link UnaryOp#apply}, {@link BinaryOp#apply},
 * the Backend Javadoc formulas) rounded to float, for small tensors and for tensors large enough to
 * be split across cores.
 */
class FloatFastPathsTest {
    private final CpuBackend cpu = new CpuBackend();
    private static final int[] LENGTHS = {1, 17, 1000, 300_001};

    private View floats(float[] data, int... shape) {
        return View.contiguous(new CpuBuffer(cpu, DType.FLOAT32, data, data.length * 4L), shape);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 11) {
                case 0 -> 0f;
                case 1 -> -0f;
                default -> (float) r.nextDouble(-3, 3);
            };
        }
        return x;
    }

    @Test
    void everyUnaryOpIsItsReferenceRoundedToFloat() {
        for (int n : LENGTHS) {
            float[] x = random(n, n);
            for (UnaryOp op : UnaryOp.values()) {
                for (double a : new double[] {0.1, 2, 1.5}) {
                    float[] out = new float[n];
                    cpu.unary(op, floats(x, n), floats(out, n), a, a + 1);
                    for (int i = 0; i < n; i++) {
                        float expected = (float) op.apply(x[i], a, a + 1);
                        // the Vector API's tanh and exp (when the module is present) are within 1 ulp
                        float ulps = op == UnaryOp.TANH || op == UnaryOp.EXP ? Math.ulp(expected) : 0;
                        if (Float.compare(expected, out[i]) != 0 && !(expected == 0f && out[i] == 0f)) {
                            assertEquals(expected, out[i], ulps, op + " a=" + a + " of " + x[i] + " (n=" + n + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyBinaryOpIsItsReferenceRoundedToFloatIncludingBroadcastScalars() {
        for (int n : LENGTHS) {
            float[] x = random(n, 2L * n), y = random(n, 3L * n);
            float[] scalar = {1.25f};
            View scalarView = new View(floats(scalar, 1).buffer(), DType.FLOAT32, 0, new int[] {n}, new long[] {0});
            for (BinaryOp op : BinaryOp.values()) {
                float[] out = new float[n], outScalarY = new float[n], outScalarX = new float[n];
                cpu.binary(op, floats(x, n), floats(y, n), floats(out, n), 0.3);
                cpu.binary(op, floats(x, n), scalarView, floats(outScalarY, n), 0.3);
                cpu.binary(op, scalarView, floats(y, n), floats(outScalarX, n), 0.3);
                for (int i = 0; i < n; i++) {
                    assertEquals((float) op.apply(x[i], y[i], 0.3), out[i], op + " at " + i);
                    assertEquals((float) op.apply(x[i], 1.25, 0.3), outScalarY[i], op + " with scalar y at " + i);
                    assertEquals((float) op.apply(1.25, y[i], 0.3), outScalarX[i], op + " with scalar x at " + i);
                }
            }
        }
    }

    @Test
    void operandsAtDifferentOffsetsGiveTheSameResults() {
        for (int n : LENGTHS) {
            float[] x = random(n + 3, 21), y = random(n + 5, 22);
            View xv = new View(floats(x, n + 3).buffer(), DType.FLOAT32, 3, new int[] {n}, new long[] {1});
            View yv = new View(floats(y, n + 5).buffer(), DType.FLOAT32, 5, new int[] {n}, new long[] {1});
            float[] out = new float[n + 1];
            View ov = new View(floats(out, n + 1).buffer(), DType.FLOAT32, 1, new int[] {n}, new long[] {1});
            cpu.binary(BinaryOp.SUB, xv, yv, ov, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i + 3] - y[i + 5], out[i + 1]);
            }
            cpu.unary(UnaryOp.EXP, xv, ov, 0, 0);
            for (int i = 0; i < n; i++) {
                assertEquals((float) Math.exp(x[i + 3]), out[i + 1], Math.ulp(out[i + 1]));
            }
        }
        float[] p = random(1003, 23), g = random(1003, 24), m = new float[1000], v = new float[1000];
        View pv = new View(floats(p, 1003).buffer(), DType.FLOAT32, 3, new int[] {1000}, new long[] {1});
        float before = p[3];
        cpu.adamUpdate(pv, floats(g, 1000), floats(m, 1000), floats(v, 1000), 1e-3, 0.9, 0.999, 1e-7, 0);
        double mi = 0.1 * g[0], vi = 0.001 * g[0] * g[0];
        assertEquals(before - 1e-3 * mi / (Math.sqrt(vi) + 1e-7), p[3], 1e-6, "the general path, for shifted views");
    }

    /** A [rows, cols] view of the [cols, rows] row-major matrix data: its transpose. */
    private View transposedOf(float[] data, int rows, int cols) {
        return new View(
                floats(data, data.length).buffer(), DType.FLOAT32, 0, new int[] {rows, cols}, new long[] {1, rows});
    }

    @Test
    void everyOpOnTransposedSlicedAndBroadcastOperandsIsItsReferenceRoundedToFloat() {
        for (int[] s : new int[][] {{3, 5}, {70, 33}, {300, 260}}) { // the last one is split across threads
            int rows = s[0], cols = s[1], n = rows * cols;
            float[] x = random(n, rows), y = random(2 * n, cols), row = random(cols, 5);
            View xt = transposedOf(x, rows, cols); // x[c * rows + r] at (r, c)
            View ySliced = new View(
                    floats(y, 2 * n).buffer(), DType.FLOAT32, 1, new int[] {rows, cols}, new long[] {2L * cols, 2
                    }); // y[1 + 2 (r·cols + c)]
            View rowBroadcast =
                    new View(floats(row, cols).buffer(), DType.FLOAT32, 0, new int[] {rows, cols}, new long[] {0, 1});
            for (BinaryOp op : BinaryOp.values()) {
                float[] out = new float[n], outBroadcast = new float[n];
                cpu.binary(op, xt, ySliced, floats(out, rows, cols), 0.3);
                cpu.binary(op, xt, rowBroadcast, floats(outBroadcast, rows, cols), 0.3);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        float xi = x[c * rows + r], yi = y[1 + 2 * (r * cols + c)];
                        assertEquals((float) op.apply(xi, yi, 0.3), out[r * cols + c], op + " at " + r + "," + c);
                        assertEquals(
                                (float) op.apply(xi, row[c], 0.3),
                                outBroadcast[r * cols + c],
                                op + " broadcast at " + r + "," + c);
                    }
                }
            }
            for (UnaryOp op : UnaryOp.values()) {
                float[] out = new float[2 * n];
                // into a strided output too: every second element
                View outSliced = new View(
                        floats(out, 2 * n).buffer(), DType.FLOAT32, 0, new int[] {rows, cols}, new long[] {2L * cols, 2
                        });
                cpu.unary(op, xt, outSliced, 1.5, 2.5);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        float expected = (float) op.apply(x[c * rows + r], 1.5, 2.5), actual = out[2 * (r * cols + c)];
                        float ulps = op == UnaryOp.TANH || op == UnaryOp.EXP ? Math.ulp(expected) : 0;
                        if (Float.compare(expected, actual) != 0 && !(expected == 0f && actual == 0f)) {
                            assertEquals(expected, actual, ulps, op + " at " + r + "," + c);
                        }
                    }
                }
            }
            float[] copied = new float[n];
            cpu.copy(xt, floats(copied, rows, cols));
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(x[c * rows + r], copied[r * cols + c]);
                }
            }
        }
    }

    @Test
    void aLargeTransposedOperandIsWalkedInTilesWithTheSameResults() {
        int rows = 1100, cols = 1000; // above Strided.TILED_FROM, with partial tiles at both edges
        float[] x = random(rows * cols, 31), y = random(rows * cols, 32);
        float[] sum = new float[rows * cols], copied = new float[rows * cols];
        double[] wide = new double[rows * cols], wideSum = new double[rows * cols];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = x[i];
        }
        View xt = transposedOf(x, rows, cols);
        cpu.binary(BinaryOp.SUB, xt, floats(y, rows, cols), floats(sum, rows, cols), 0);
        cpu.copy(xt, floats(copied, rows, cols));
        View wideT = new View(
                new CpuBuffer(cpu, DType.FLOAT64, wide, wide.length * 8L),
                DType.FLOAT64,
                0,
                new int[] {rows, cols},
                new long[] {1, rows});
        cpu.unary(
                UnaryOp.NEG,
                wideT,
                View.contiguous(new CpuBuffer(cpu, DType.FLOAT64, wideSum, wide.length * 8L), rows, cols),
                0,
                0);
        float[] negatedInto = new float[rows * cols]; // written through its transpose: a transposed output
        cpu.unary(UnaryOp.NEG, floats(y, rows, cols), transposedOf(negatedInto, rows, cols), 0, 0);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float xi = x[c * rows + r];
                assertEquals(-y[r * cols + c], negatedInto[c * rows + r]);
                assertEquals(xi - y[r * cols + c], sum[r * cols + c], "at " + r + "," + c);
                assertEquals(xi, copied[r * cols + c]);
                assertEquals(-xi, wideSum[r * cols + c], 0.0, "the general walk (FLOAT64) tiles too");
            }
        }
    }

    @Test
    void rowMaximaMinimaAndTheirIndicesKeepTheGeneralPathsRulesForNaNAndEqualValues() {
        for (int[] s : new int[][] {{1, 1}, {128, 10}, {3, 7}, {300, 400}}) {
            int rows = s[0], cols = s[1];
            float[] x = random(rows * cols, 13);
            if (cols > 3 && rows > 3) {
                x[cols + 2] = Float.NaN; // row 1: a NaN wins from there on, over a larger value after it
                x[cols + 3] = 1e9f;
                java.util.Arrays.fill(x, 2 * cols, 3 * cols, 5f); // row 2: all equal, the first is kept
                x[3 * cols] = -0f; // row 3 starts at -0 and an equal +0 follows: -0 stays
                x[3 * cols + 1] = 0f;
                for (int j = 2; j < cols; j++) {
                    x[3 * cols + j] = -1f;
                }
                x[0] = Float.NEGATIVE_INFINITY; // row 0 starts at -inf
            }
            double[] wide = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                wide[i] = x[i];
            }
            View wideRows = View.contiguous(new CpuBuffer(cpu, DType.FLOAT64, wide, wide.length * 8L), rows, cols);
            for (ReduceOp op : ReduceOp.values()) {
                if (op == ReduceOp.SUM) {
                    continue;
                }
                double[] general = new double[rows]; // FLOAT64 runs the general strided path
                cpu.reduce(
                        op, wideRows, 1, View.contiguous(new CpuBuffer(cpu, DType.FLOAT64, general, rows * 8L), rows));
                if (op.producesIndex()) {
                    int[] fast = new int[rows];
                    cpu.reduce(
                            op,
                            floats(x, rows, cols),
                            1,
                            View.contiguous(new CpuBuffer(cpu, DType.INT32, fast, rows * 4L), rows));
                    for (int r = 0; r < rows; r++) {
                        assertEquals((int) general[r], fast[r], op + " of row " + r + " of " + rows + "×" + cols);
                    }
                } else {
                    float[] fast = new float[rows];
                    cpu.reduce(op, floats(x, rows, cols), 1, floats(fast, rows));
                    for (int r = 0; r < rows; r++) {
                        assertEquals(
                                Float.floatToIntBits((float) general[r]),
                                Float.floatToIntBits(fast[r]),
                                op + " of row " + r);
                    }
                }
            }
            float[] whole = new float[1];
            cpu.reduce(ReduceOp.MAX, floats(x, rows, cols), 2, floats(whole));
            double[] wholeGeneral = new double[1];
            cpu.reduce(ReduceOp.MAX, wideRows, 2, View.contiguous(new CpuBuffer(cpu, DType.FLOAT64, wholeGeneral, 8L)));
            assertEquals(
                    Float.floatToIntBits((float) wholeGeneral[0]),
                    Float.floatToIntBits(whole[0]),
                    "MAX over both axes");
        }
    }

    @Test
    void columnMaximaAndMinimaKeepTheGeneralPathsRulesForNaNAndEqualValues() {
        for (int[] s : new int[][] {{1, 1}, {5, 3}, {400, 600}}) {
            int rows = s[0], cols = s[1];
            float[] x = random(rows * cols, 11);
            if (rows > 1) {
                x[cols + 1] = Float.NaN; // column 1, row 1: the NaN wins from there on
                x[2] = -0f; // column 2 starts at -0 ...
                x[cols + 2] = 0f; // ... an equal +0 later does not replace it
                for (int r = 2; r < rows; r++) {
                    x[r * cols + 2] = -1f;
                }
            }
            View columnsLast = new View(
                    floats(x, rows, cols).buffer(), DType.FLOAT32, 0, new int[] {cols, rows}, new long[] {1, cols});
            for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
                float[] fast = new float[cols];
                cpu.reduce(op, columnsLast, 1, floats(fast, cols));
                double[] wide = new double[rows * cols];
                for (int i = 0; i < wide.length; i++) {
                    wide[i] = x[i];
                }
                double[] general = new double[cols]; // FLOAT64 runs the general strided path
                View wideColumns = new View(
                        new CpuBuffer(cpu, DType.FLOAT64, wide, wide.length * 8L),
                        DType.FLOAT64,
                        0,
                        new int[] {cols, rows},
                        new long[] {1, cols});
                cpu.reduce(
                        op,
                        wideColumns,
                        1,
                        View.contiguous(new CpuBuffer(cpu, DType.FLOAT64, general, cols * 8L), cols));
                for (int c = 0; c < cols; c++) {
                    assertEquals(
                            Float.floatToIntBits((float) general[c]),
                            Float.floatToIntBits(fast[c]),
                            op + " of column " + c);
                }
            }
        }
    }

    @Test
    void reluShapedKernelsTurnNaNIntoZeroLikeTheReference() {
        int n = 1000;
        float[] x = random(n, 31), y = random(n, 32), bias = random(n, 33);
        for (int i = 0; i < n; i += 7) {
            x[i] = i % 2 == 0 ? Float.NaN : (i % 3 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
        }
        float[] relu = new float[n], back = new float[n], biased = new float[n];
        cpu.unary(UnaryOp.RELU, floats(x, n), floats(relu, n), 0, 0);
        cpu.binary(BinaryOp.RELU_BACKWARD, floats(x, n), floats(y, n), floats(back, n), 0);
        cpu.biasActivation(floats(x, 1, n), floats(bias, n), UnaryOp.RELU, 0, floats(biased, 1, n));
        for (int i = 0; i < n; i++) {
            assertEquals((float) UnaryOp.RELU.apply(x[i], 0, 0), relu[i], "relu of " + x[i]);
            assertEquals((float) BinaryOp.RELU_BACKWARD.apply(x[i], y[i], 0), back[i], "relu backward at " + x[i]);
            assertEquals(
                    (float) UnaryOp.RELU.apply((double) x[i] + bias[i], 0, 0), biased[i], "bias + relu of " + x[i]);
        }
    }

    @Test
    void inPlaceAccumulationReadsEachElementBeforeWritingIt() {
        float[] acc = random(300_001, 5), g = random(300_001, 6);
        float[] expected = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            expected[i] = acc[i] + g[i];
        }
        View accView = floats(acc, acc.length);
        cpu.binary(BinaryOp.ADD, accView, floats(g, g.length), accView, 0);
        for (int i = 0; i < acc.length; i++) {
            assertEquals(expected[i], acc[i]);
        }
    }

    @Test
    void rowAndColumnSumsMatchDoubleSums() {
        for (int[] s : new int[][] {{1, 1}, {3, 1000}, {128, 1024}, {700, 513}}) {
            int rows = s[0], cols = s[1];
            float[] x = random(rows * cols, rows);
            View matrix = floats(x, rows, cols);
            float[] rowSums = new float[rows], colSums = new float[cols];
            cpu.reduce(ReduceOp.SUM, matrix, 1, floats(rowSums, rows));
            // the bias gradient: core permutes the reduced axis to the end, a strided [cols, rows] view
            View transposed = new View(matrix.buffer(), DType.FLOAT32, 0, new int[] {cols, rows}, new long[] {1, cols});
            cpu.reduce(ReduceOp.SUM, transposed, 1, floats(colSums, cols));
            for (int r = 0; r < rows; r++) {
                double e = 0;
                for (int c = 0; c < cols; c++) {
                    e += x[r * cols + c];
                }
                assertEquals((float) e, rowSums[r], 1e-5 * cols);
            }
            for (int c = 0; c < cols; c++) {
                double e = 0;
                for (int r = 0; r < rows; r++) {
                    e += x[r * cols + c];
                }
                assertEquals((float) e, colSums[c], 1e-5 * rows);
            }
            float[] total = new float[1];
            cpu.reduce(ReduceOp.SUM, matrix, 2, floats(total));
            double e = 0;
            for (float v : x) {
                e += v;
            }
            assertEquals(e, total[0], 1e-4 * Math.sqrt(x.length) + 1e-4);
        }
    }

    @Test
    void sumsOverAnAxisOfExtentOneAreTheElementsWithMinusZeroMadePlus() {
        float[] x = {1.5f, -0f, Float.NaN, -2f};
        float[] sums = new float[4];
        cpu.reduce(ReduceOp.SUM, floats(x, 4, 1), 1, floats(sums, 4));
        assertEquals(1.5f, sums[0]);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(sums[1]), "0 + −0 is +0, as in the general path");
        assertTrue(Float.isNaN(sums[2]));
        assertEquals(-2f, sums[3]);
    }

    @Test
    void aLongSumIsSplitIntoFixedBlocksSoTheThreadCountCannotChangeIt() {
        int n = 5 * FloatReductions.BLOCK + 123;
        float[] x = random(n, 7);
        float[] total = new float[1];
        cpu.reduce(ReduceOp.SUM, floats(x, n), 1, floats(total));
        double expected = 0;
        for (int from = 0; from < n; from += FloatReductions.BLOCK) {
            expected += FloatReductions.sum(x, from, Math.min(FloatReductions.BLOCK, n - from));
        }
        assertEquals((float) expected, total[0], 0f, "blocks summed in order, whichever thread summed each");
    }

    @Test
    void aLargeGeneralReductionSplitByOutputMatchesTheReference() {
        int rows = 600,
                cols = 400; // MAX over a transposed view: the general strided path, split across threads by output
        float[] x = random(rows * cols, 3);
        View transposed = new View(
                floats(x, rows, cols).buffer(), DType.FLOAT32, 0, new int[] {cols, rows}, new long[] {1, cols});
        float[] max = new float[cols];
        cpu.reduce(ReduceOp.MAX, transposed, 1, floats(max, cols));
        for (int c = 0; c < cols; c++) {
            float e = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                e = Math.max(e, x[r * cols + c]);
            }
            assertEquals(e, max[c], 0f);
        }
    }

    @Test
    void biasActivationAddsTheBiasToEveryRow() {
        int rows = 300, cols = 1000;
        float[] x = random(rows * cols, 9), bias = random(cols, 10);
        for (UnaryOp act : new UnaryOp[] {null, UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            float[] out = new float[rows * cols];
            cpu.biasActivation(floats(x, rows, cols), floats(bias, cols), act, 1, floats(out, rows, cols));
            for (int i = 0; i < out.length; i++) {
                double pre = (double) x[i] + bias[i % cols];
                float expected = (float) (act == null ? pre : act.apply(pre, 1, 0));
                assertEquals(expected, out[i], 2 * Math.ulp(expected), act + " at " + i);
            }
        }
    }

    @Test
    void adamSgdAndRmspropFollowTheirFormulas() {
        int n = 300_001;
        float[] p = random(n, 11), g = random(n, 12), m = random(n, 13), v = random(n, 14);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[] p0 = p.clone(), m0 = m.clone(), v0 = v.clone();
        cpu.adamUpdate(floats(p, n), floats(g, n), floats(m, n), floats(v, n), 1e-3, 0.9, 0.999, 1e-7, 0.01);
        for (int i = 0; i < n; i++) {
            double mi = m0[i] + (g[i] - m0[i]) * 0.1, vi = v0[i] + ((double) g[i] * g[i] - v0[i]) * 0.001;
            double pi = p0[i] * 0.99 - 1e-3 * mi / (Math.sqrt(vi) + 1e-7);
            assertEquals(mi, m[i], 1e-6 * (1 + Math.abs(mi)));
            assertEquals(vi, v[i], 1e-6 * (1 + Math.abs(vi)));
            assertEquals(pi, p[i], 2e-6 * (1 + Math.abs(pi)), "adam at " + i);
        }
        float[] q = p.clone(), vel = new float[n];
        cpu.sgdUpdate(floats(q, n), floats(g, n), floats(vel, n), 0.01, 0.9, true);
        for (int i = 0; i < n; i++) {
            double velocity = -0.01 * g[i];
            assertEquals(velocity, vel[i], 1e-7);
            assertEquals(p[i] + 0.9 * velocity - 0.01 * g[i], q[i], 1e-6 * (1 + Math.abs(p[i])));
        }
        float[] r = p.clone(), ms = new float[n];
        cpu.rmspropUpdate(floats(r, n), floats(g, n), floats(ms, n), 0.01, 0.9, 1e-7);
        for (int i = 0; i < n; i++) {
            double msi = 0.1 * g[i] * g[i];
            assertEquals(msi, ms[i], 1e-6 * (1 + msi));
            assertEquals(
                    p[i] - 0.01 * g[i] / Math.sqrt(msi + 1e-7), r[i], 1e-5 * (1 + Math.abs(p[i])), "rmsprop at " + i);
        }
    }
}
