package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.backend.Availability;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.Philox;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jcuda.jcublas.cublasMath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every primitive of the CUDA backend against core's reference semantics (UnaryOp.apply,
 * BinaryOp.apply, Philox.sample, the SPI's Javadoc) on random data, plus the allocator, OOM and
 * TF32 promises. Needs a GPU: skipped, with the reason, where the driver or device is missing.
 * Matrix products are checked only where cuBLAS is usable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaBackendGpuTest {
    private CudaBackend cuda;
    private final Random random = new Random(42);
    /** Why the tests cannot run here, or null. */
    private String missing;

    @BeforeAll
    void open() {
        Availability driver = CudaProbe.driver();
        System.out.println("[cuda-gpu] driver: " + driver + "; cuBLAS: " + CudaProbe.cublas());
        if (!driver.available()) { // each test is then reported as skipped with this reason (not "Tests run: 0")
            missing = "no GPU: " + driver.detail();
            System.out.println("[cuda-gpu] every test skipped: " + missing);
            return;
        }
        cuda = new CudaBackend(0);
        System.out.println("[cuda-gpu] running on " + cuda.deviceName());
    }

    @BeforeEach
    void needsAGpu() {
        Assumptions.assumeTrue(missing == null, missing);
    }

    @AfterAll
    void close() {
        if (cuda != null) {
            cuda.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private View upload(float[] data, int... shape) {
        DeviceBuffer b = cuda.allocate(DType.FLOAT32, data.length);
        cuda.write(b, 0, data, 0, data.length);
        return View.contiguous(b, shape);
    }

    private View upload(double[] data, int... shape) {
        DeviceBuffer b = cuda.allocate(DType.FLOAT64, data.length);
        cuda.write(b, 0, data, 0, data.length);
        return View.contiguous(b, shape);
    }

    private View upload(int[] data, int... shape) {
        DeviceBuffer b = cuda.allocate(DType.INT32, data.length);
        cuda.write(b, 0, data, 0, data.length);
        return View.contiguous(b, shape);
    }

    private View empty(DType dtype, int... shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return View.contiguous(cuda.allocate(dtype, n), shape);
    }

    private float[] floats(View v) {
        float[] out = new float[(int) v.size()];
        cuda.read(v.buffer(), v.offset(), out, 0, out.length);
        return out;
    }

    private double[] doubles(View v) {
        double[] out = new double[(int) v.size()];
        cuda.read(v.buffer(), v.offset(), out, 0, out.length);
        return out;
    }

    private int[] ints(View v) {
        int[] out = new int[(int) v.size()];
        cuda.read(v.buffer(), v.offset(), out, 0, out.length);
        return out;
    }

    private float[] randomFloats(int n, double low, double high) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return x;
    }

    private static View transposed(View v) { // [r, c] → [c, r] view
        return new View(v.buffer(), v.dtype(), v.offset(), new int[] {v.shape()[1], v.shape()[0]}, new long[] {
            v.strides()[1], v.strides()[0]
        });
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual) || expected == actual) {
            return;
        }
        double scale = Math.max(1, Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tolerance * scale)) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    private void release(View... views) {
        for (View v : views) {
            cuda.release(v.buffer());
        }
    }

    // ---------------------------------------------------------------- module loading

    @Test
    void everyPtxModuleLoadsAndEveryEntryIsFound() {
        cuda.loadAllKernels();
    }

    // ---------------------------------------------------------------- memory and transfer

    @Test
    void writesAndReadsRoundTripAcrossChunksAndOffsets() {
        int n = (int) (PinnedStaging.CHUNK_BYTES / 4) * 2 + 12345; // three chunks
        float[] data = randomFloats(n, -1, 1);
        DeviceBuffer b = cuda.allocate(DType.FLOAT32, n + 7);
        cuda.write(b, 7, data, 0, n);
        float[] back = new float[n];
        cuda.read(b, 7, back, 0, n);
        assertArrayEquals(data, back);
        int[] ints = {5, -3, Integer.MAX_VALUE, Integer.MIN_VALUE};
        DeviceBuffer ib = cuda.allocate(DType.INT32, 4);
        cuda.write(ib, 0, ints, 0, 4);
        int[] intsBack = new int[6];
        cuda.read(ib, 1, intsBack, 2, 3);
        assertArrayEquals(new int[] {0, 0, -3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, intsBack);
        cuda.release(b);
        cuda.release(ib);
    }

    @Test
    void manyAsynchronousWritesFromOneReusedArrayLandIntact() {
        float[] host = new float[1000];
        List<DeviceBuffer> buffers = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            java.util.Arrays.fill(host, k); // the caller reuses its array at once
            DeviceBuffer b = cuda.allocate(DType.FLOAT32, host.length);
            cuda.write(b, 0, host, 0, host.length);
            buffers.add(b);
        }
        for (int k = 0; k < buffers.size(); k++) {
            float[] back = new float[host.length];
            cuda.read(buffers.get(k), 0, back, 0, back.length);
            for (float v : back) {
                assertEquals(k, v, "buffer " + k);
            }
            cuda.release(buffers.get(k));
        }
    }

    @Test
    void aTrainingLikeStepAllocatesNothingFromTheDriverAfterWarmUp() {
        View w = upload(randomFloats(64 * 32, -1, 1), 64, 32);
        long[] driverAllocations = new long[4];
        for (int step = 0; step < 4; step++) {
            View h = empty(DType.FLOAT32, 128, 32);
            cuda.fill(h, 0.5);
            View r = empty(DType.FLOAT32, 128, 32);
            cuda.unary(UnaryOp.RELU, h, r, 0, 0);
            View s = empty(DType.FLOAT32, 128);
            cuda.reduce(ReduceOp.SUM, r, 1, s);
            View g = empty(DType.FLOAT32, 64, 32);
            cuda.fill(g, 0.01);
            cuda.sgdUpdate(w, g, null, 0.1, 0, false);
            release(h, r, s, g);
            driverAllocations[step] = cuda.memoryStats().driverAllocations();
        }
        cuda.synchronize();
        assertEquals(driverAllocations[1], driverAllocations[3], "driver allocations after warm-up");
        release(w);
    }

    @Test
    void anImpossibleAllocationIsAnOutOfMemoryExceptionAndTheBackendGoesOn() {
        DeviceOutOfMemoryException e = assertThrows(
                DeviceOutOfMemoryException.class, () -> cuda.allocate(DType.FLOAT32, (1L << 40) / 4)); // 1 TiB
        System.out.println("[cuda-gpu] " + e.getMessage());
        assertTrue(e.requestedBytes() >= 1L << 40);
        assertTrue(e.freeBytes() > 0, "the message reports the free memory");
        View x = upload(new float[] {1, 2, 3}, 3);
        View y = empty(DType.FLOAT32, 3);
        cuda.unary(UnaryOp.MUL_SCALAR, x, y, 2, 0);
        assertArrayEquals(new float[] {2, 4, 6}, floats(y));
        release(x, y);
    }

    @Test
    void memoryStatsCountLiveAndCachedBuffers() {
        MemoryStats before = cuda.memoryStats();
        DeviceBuffer b = cuda.allocate(DType.FLOAT32, 1000);
        assertEquals(before.liveBuffers() + 1, cuda.memoryStats().liveBuffers());
        cuda.release(b);
        assertEquals(before.liveBuffers(), cuda.memoryStats().liveBuffers());
        assertTrue(cuda.memoryStats().cachedBytes() >= 4000);
    }

    // ---------------------------------------------------------------- fill and copy

    @Test
    void fillSetsContiguousAndStridedViewsOfEveryType() {
        View f = empty(DType.FLOAT32, 3, 4);
        cuda.fill(f, -2.5);
        assertArrayEquals(
                new float[] {-2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f},
                floats(f));
        View column = new View(f.buffer(), DType.FLOAT32, 1, new int[] {3}, new long[] {4}); // column 1
        cuda.fill(column, 7);
        float[] back = floats(f);
        for (int i = 0; i < 12; i++) {
            assertEquals(i % 4 == 1 ? 7f : -2.5f, back[i], "element " + i);
        }
        View d = empty(DType.FLOAT64, 5);
        cuda.fill(d, Math.PI);
        assertArrayEquals(new double[] {Math.PI, Math.PI, Math.PI, Math.PI, Math.PI}, doubles(d));
        View i = empty(DType.INT32, 4);
        cuda.fill(i, -3.9);
        assertArrayEquals(new int[] {-3, -3, -3, -3}, ints(i));
        release(f, d, i);
    }

    @Test
    void copyTransposesAndCastsLikeJava() {
        float[] data = randomFloats(6 * 5, -10, 10);
        View x = upload(data, 6, 5);
        View t = empty(DType.FLOAT32, 5, 6);
        cuda.copy(transposed(x), t);
        float[] back = floats(t);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 6; c++) {
                assertEquals(data[c * 5 + r], back[r * 6 + c]);
            }
        }
        View special = upload(new float[] {-1.7f, 2.9f, Float.NaN, 1e10f, -1e10f, -0.5f}, 6);
        View asInt = empty(DType.INT32, 6);
        cuda.copy(special, asInt);
        assertArrayEquals(new int[] {-1, 2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, ints(asInt));
        View backToFloat = empty(DType.FLOAT32, 6);
        cuda.copy(asInt, backToFloat);
        assertArrayEquals(
                new float[] {-1, 2, 0, (float) Integer.MAX_VALUE, (float) Integer.MIN_VALUE, 0}, floats(backToFloat));
        View asDouble = empty(DType.FLOAT64, 6, 5);
        cuda.copy(x, asDouble);
        double[] doubles = doubles(asDouble);
        for (int i = 0; i < data.length; i++) {
            assertEquals((double) data[i], doubles[i]);
        }
        release(x, t, special, asInt, backToFloat, asDouble);
    }

    // ---------------------------------------------------------------- unary, binary, where

    private static double[] domain(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT, POW_SCALAR, RECIPROCAL, RDIV_SCALAR -> new double[] {0.1, 5};
            default -> new double[] {-4, 4};
        };
    }

    @Test
    void everyUnaryOpMatchesTheReferenceOnContiguousAndStridedViews() {
        double a = 0.7;
        double b = 1.9;
        for (UnaryOp op : UnaryOp.values()) {
            double[] range = domain(op);
            float[] data = randomFloats(33 * 17, range[0], range[1]);
            data[0] = 0;
            data[1] = -0f;
            data[2] = (float) a; // exact ties for the comparisons
            View x = upload(data, 33, 17);
            View out = empty(DType.FLOAT32, 33, 17);
            cuda.unary(op, x, out, a, b);
            float[] got = floats(out);
            for (int i = 0; i < data.length; i++) {
                assertClose((float) op.apply(data[i], (float) a, (float) b), got[i], 2e-6, op + "(" + data[i] + ")");
            }
            View outT = empty(DType.FLOAT32, 17, 33);
            cuda.unary(op, transposed(x), outT, a, b);
            float[] gotT = floats(outT);
            for (int r = 0; r < 17; r++) {
                for (int c = 0; c < 33; c++) {
                    float v = data[c * 17 + r];
                    assertClose((float) op.apply(v, (float) a, (float) b), gotT[r * 33 + c], 2e-6, op + " strided");
                }
            }
            double[] d = new double[data.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = data[i] * 1.0000001;
            }
            View xd = upload(d, d.length);
            View outD = empty(DType.FLOAT64, d.length);
            cuda.unary(op, xd, outD, a, b);
            double[] gotD = doubles(outD);
            for (int i = 0; i < d.length; i++) {
                assertClose(op.apply(d[i], a, b), gotD[i], 1e-13, op + " f64(" + d[i] + ")");
            }
            release(x, out, outT, xd, outD);
        }
    }

    @Test
    void everyBinaryOpMatchesTheReferenceIncludingBroadcasts() {
        double a = 0.3;
        for (BinaryOp op : BinaryOp.values()) {
            boolean positive = op == BinaryOp.POW || op == BinaryOp.DIV;
            float[] xs = randomFloats(40 * 24, positive ? 0.2 : -3, 3);
            float[] ys = randomFloats(40 * 24, positive ? 0.2 : -3, 3);
            for (int i = 0; i < 40; i++) {
                ys[i * 3] = xs[i * 3]; // equal pairs for the comparisons
            }
            View x = upload(xs, 40, 24);
            View y = upload(ys, 40, 24);
            View out = empty(DType.FLOAT32, 40, 24);
            cuda.binary(op, x, y, out, a);
            float[] got = floats(out);
            for (int i = 0; i < xs.length; i++) {
                assertClose(
                        (float) op.apply(xs[i], ys[i], (float) a), got[i], 2e-6, op + "(" + xs[i] + ", " + ys[i] + ")");
            }
            View row = new View(
                    y.buffer(), DType.FLOAT32, 0, new int[] {40, 24}, new long[] {0, 1}); // y's first row, broadcast
            cuda.binary(op, x, row, out, a);
            got = floats(out);
            for (int i = 0; i < xs.length; i++) {
                assertClose((float) op.apply(xs[i], ys[i % 24], (float) a), got[i], 2e-6, op + " broadcast");
            }
            release(x, y, out);
        }
        View xi = upload(new int[] {1, 5, -2, 7}, 4);
        View yi = upload(new int[] {1, 3, -2, 9}, 4);
        View oi = empty(DType.INT32, 4);
        cuda.binary(BinaryOp.EQ, xi, yi, oi, 0);
        assertArrayEquals(new int[] {1, 0, 1, 0}, ints(oi));
        cuda.binary(BinaryOp.LT, xi, yi, oi, 0);
        assertArrayEquals(new int[] {0, 0, 0, 1}, ints(oi));
        release(xi, yi, oi);
    }

    @Test
    void binaryWorksInPlaceAsAutogradAccumulatesGradients() {
        View acc = upload(new float[] {1, 2, 3, 4}, 4);
        View g = upload(new float[] {10, 20, 30, 40}, 4);
        cuda.binary(BinaryOp.ADD, acc, g, acc, 0);
        assertArrayEquals(new float[] {11, 22, 33, 44}, floats(acc));
        release(acc, g);
    }

    @Test
    void whereChoosesPerElementWithBroadcastCondition() {
        View cond = upload(new float[] {1, 0, Float.NaN}, 1, 3);
        View c = new View(cond.buffer(), DType.FLOAT32, 0, new int[] {2, 3}, new long[] {0, 1});
        View x = upload(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        View y = upload(new float[] {-1, -2, -3, -4, -5, -6}, 2, 3);
        View out = empty(DType.FLOAT32, 2, 3);
        cuda.where(c, x, y, out);
        assertArrayEquals(new float[] {1, -2, 3, 4, -5, 6}, floats(out));
        release(cond, x, y, out);
    }

    // ---------------------------------------------------------------- reductions

    private static double reference(ReduceOp op, float[] values) {
        double best = op == ReduceOp.MAX || op == ReduceOp.ARGMAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        int index = 0;
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            boolean better = op == ReduceOp.MAX || op == ReduceOp.ARGMAX ? values[i] > best : values[i] < best;
            if (better) {
                best = values[i];
                index = i;
            }
        }
        return switch (op) {
            case SUM -> sum;
            case MAX, MIN -> best;
            case ARGMAX, ARGMIN -> index;
        };
    }

    private void checkReduction(ReduceOp op, int rows, int cols, boolean overRows) {
        float[] data = randomFloats(rows * cols, -5, 5);
        if (cols > 3 && rows > 2) {
            data[cols + 1] = data[cols + 3] = 9; // a tie in row 1: the first index wins
        }
        View x = upload(data, rows, cols);
        View in = overRows ? transposed(x) : x; // reduce each column: the reduced axis has stride cols
        int outputs = overRows ? cols : rows;
        int length = overRows ? rows : cols;
        View out = empty(op.producesIndex() ? DType.INT32 : DType.FLOAT32, outputs);
        cuda.reduce(op, in, 1, out);
        double[] got = new double[outputs];
        if (op.producesIndex()) {
            int[] g = ints(out);
            for (int i = 0; i < outputs; i++) {
                got[i] = g[i];
            }
        } else {
            float[] g = floats(out);
            for (int i = 0; i < outputs; i++) {
                got[i] = g[i];
            }
        }
        for (int o = 0; o < outputs; o++) {
            float[] line = new float[length];
            for (int j = 0; j < length; j++) {
                line[j] = overRows ? data[j * cols + o] : data[o * cols + j];
            }
            assertClose(
                    reference(op, line),
                    got[o],
                    op == ReduceOp.SUM ? 1e-5 * Math.sqrt(length) : 0,
                    op + " " + rows + "x" + cols + (overRows ? " over rows" : "") + " output " + o);
        }
        release(x, out);
    }

    @Test
    void reductionsOverTheLastAxisMatchTheReference() {
        for (ReduceOp op : ReduceOp.values()) {
            checkReduction(op, 37, 10, false);
            checkReduction(op, 5, 3001, false);
            checkReduction(op, 300, 1, false);
        }
    }

    @Test
    void reductionsOverAStridedAxisMatchTheReference() {
        for (ReduceOp op : ReduceOp.values()) {
            checkReduction(op, 128, 1024, true); // bias gradient: column sums (32-wide column tiles)
            checkReduction(op, 6000, 10, true); // few outputs, long strided rows
        }
    }

    @Test
    void aFullReductionOfManyElementsIsSplitAndCombined() {
        int n = (1 << 21) + 17;
        for (ReduceOp op : ReduceOp.values()) {
            float[] data = randomFloats(n, -1, 1);
            data[n - 5] = 3; // a unique extreme far from the start
            data[123] = -3;
            View x = upload(data, n);
            View out = empty(op.producesIndex() ? DType.INT32 : DType.FLOAT32, new int[0]);
            cuda.reduce(op, x, 1, out);
            double got = op.producesIndex() ? ints(out)[0] : floats(out)[0];
            assertClose(reference(op, data), got, op == ReduceOp.SUM ? 1e-3 : 0, op + " of " + n);
            release(x, out);
        }
    }

    @Test
    void emptyReductionsGiveTheIdentityAndZeroAxesCopy() {
        View x = empty(DType.FLOAT32, 3, 0);
        View out = empty(DType.FLOAT32, 3);
        cuda.reduce(ReduceOp.SUM, x, 1, out);
        assertArrayEquals(new float[] {0, 0, 0}, floats(out));
        cuda.reduce(ReduceOp.MAX, x, 1, out);
        assertArrayEquals(
                new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, floats(out));
        cuda.reduce(ReduceOp.MIN, x, 1, out);
        assertArrayEquals(
                new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, floats(out));
        View y = upload(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        View copy = empty(DType.FLOAT32, 3, 2);
        cuda.reduce(ReduceOp.SUM, transposed(y), 0, copy);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, floats(copy));
        View nan = upload(new float[] {1, Float.NaN, 5, Float.NaN}, 4);
        View idx = empty(DType.INT32, new int[0]);
        cuda.reduce(ReduceOp.ARGMAX, nan, 1, idx);
        assertArrayEquals(new int[] {1}, ints(idx), "the first NaN wins, as on the CPU");
        release(x, out, y, copy, nan, idx);
    }

    // ---------------------------------------------------------------- fused kernels

    private static double[] softmaxRow(float[] x, int offset, int cols, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, x[offset + c]);
        }
        double sum = 0;
        for (int c = 0; c < cols; c++) {
            sum += Math.exp(x[offset + c] - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[cols];
        for (int c = 0; c < cols; c++) {
            out[c] = log ? x[offset + c] - lse : Math.exp(x[offset + c] - lse);
        }
        return out;
    }

    @Test
    void softmaxAndLogSoftmaxAreStableForNarrowAndWideRows() {
        for (int cols : new int[] {10, 1000, 3000}) {
            int rows = 37;
            float[] data = randomFloats(rows * cols, -20, 20);
            data[5] = 1000; // would overflow without the max subtraction
            View x = upload(data, rows, cols);
            View out = empty(DType.FLOAT32, rows, cols);
            for (boolean log : new boolean[] {false, true}) {
                cuda.softmax(x, out, log);
                float[] got = floats(out);
                for (int r = 0; r < rows; r++) {
                    double[] expected = softmaxRow(data, r * cols, cols, log);
                    for (int c = 0; c < cols; c++) {
                        assertClose(
                                expected[c],
                                got[r * cols + c],
                                1e-5,
                                (log ? "log-softmax " : "softmax ") + cols + " cols [" + r + "," + c + "]");
                    }
                }
            }
            release(x, out);
        }
    }

    @Test
    void softmaxCrossEntropyAndItsBackwardMatchTheReference() {
        for (int cols : new int[] {10, 2000}) {
            int rows = 19;
            float[] logits = randomFloats(rows * cols, -6, 6);
            float[] targets = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                targets[r * cols + random.nextInt(cols)] = 0.75f;
                targets[r * cols + random.nextInt(cols)] += 0.25f;
            }
            View x = upload(logits, rows, cols);
            View t = upload(targets, rows, cols);
            View loss = empty(DType.FLOAT32, rows);
            View probs = empty(DType.FLOAT32, rows, cols);
            cuda.softmaxCrossEntropy(x, t, loss, probs);
            float[] gotLoss = floats(loss);
            float[] gotProbs = floats(probs);
            float[] gradLoss = randomFloats(rows, 0.5, 2);
            View g = upload(gradLoss, rows);
            View grad = empty(DType.FLOAT32, rows, cols);
            cuda.softmaxCrossEntropyBackward(probs, t, g, grad);
            float[] gotGrad = floats(grad);
            for (int r = 0; r < rows; r++) {
                double[] logP = softmaxRow(logits, r * cols, cols, true);
                double l = 0;
                for (int c = 0; c < cols; c++) {
                    if (targets[r * cols + c] != 0) {
                        l -= targets[r * cols + c] * logP[c];
                    }
                    double p = Math.exp(logP[c]);
                    assertClose(p, gotProbs[r * cols + c], 1e-5, "probs");
                    assertClose(
                            (gotProbs[r * cols + c] - targets[r * cols + c]) * gradLoss[r],
                            gotGrad[r * cols + c],
                            1e-6,
                            "gradient");
                }
                assertClose(l, gotLoss[r], 1e-5, "loss of row " + r);
            }
            release(x, t, loss, probs, g, grad);
        }
    }

    @Test
    void oneHotSetsOneColumnPerRow() {
        View idx = upload(new int[] {2, 0, 3}, 3);
        View out = empty(DType.FLOAT32, 3, 4);
        cuda.oneHot(idx, out);
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, floats(out));
        release(idx, out);
    }

    @Test
    void biasActivationMatchesAddThenTheActivation() {
        int rows = 33;
        int cols = 50;
        float[] x = randomFloats(rows * cols, -3, 3);
        float[] bias = randomFloats(cols, -1, 1);
        View xv = upload(x, rows, cols);
        View bv = upload(bias, cols);
        View out = empty(DType.FLOAT32, rows, cols);
        UnaryOp[] activations = {
            null, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.SOFTPLUS, UnaryOp.SWISH
        };
        for (UnaryOp act : activations) {
            double a = act == UnaryOp.LEAKY_RELU ? 0.01 : 1.5;
            cuda.biasActivation(xv, bv, act, a, out);
            float[] got = floats(out);
            for (int i = 0; i < x.length; i++) {
                float pre = x[i] + bias[i % cols];
                double expected = act == null ? pre : act.apply(pre, (float) a, 0);
                assertClose(expected, got[i], 2e-6, act + " at " + i);
            }
        }
        release(xv, bv, out);
    }

    @Test
    void randomDrawsArePhiloxBitForBit() {
        long seed = 0x1234_5678_9ABC_DEF0L;
        long counter = (1L << 32) - 3; // the block counter carries into its high word
        int n = 1001;
        for (RandomKind kind : RandomKind.values()) {
            double a = kind == RandomKind.DROPOUT_MASK ? 0.8 : -2;
            double b = 3;
            View out = empty(DType.FLOAT32, n);
            cuda.random(kind, seed, counter, a, b, out);
            float[] got = floats(out);
            View outD = empty(DType.FLOAT64, n);
            cuda.random(kind, seed, counter, a, b, outD);
            double[] gotD = doubles(outD);
            for (int i = 0; i < n; i++) {
                double expected = Philox.sample(kind, seed, counter, i, a, b);
                if (kind == RandomKind.NORMAL) {
                    assertClose((float) expected, got[i], 1e-6, kind + " f32 element " + i);
                    assertClose(expected, gotD[i], 1e-14, kind + " f64 element " + i);
                } else {
                    assertEquals((float) expected, got[i], kind + " f32 element " + i);
                    assertEquals(expected, gotD[i], kind + " f64 element " + i);
                }
            }
            release(out, outD);
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Test
    void optimizerUpdatesFollowTheFormulas() {
        int n = 1003;
        float[] p = randomFloats(n, -1, 1);
        float[] g = randomFloats(n, -1, 1);
        float[] s1 = randomFloats(n, 0, 1);
        float[] s2 = randomFloats(n, 0, 1);
        // SGD with Nesterov momentum
        View pv = upload(p, n);
        View gv = upload(g, n);
        View vv = upload(s1, n);
        cuda.sgdUpdate(pv, gv, vv, 0.1, 0.9, true);
        float[] gotP = floats(pv);
        float[] gotV = floats(vv);
        for (int i = 0; i < n; i++) {
            double vel = 0.9 * s1[i] - 0.1 * g[i];
            assertClose(vel, gotV[i], 1e-6, "sgd velocity");
            assertClose(p[i] + 0.9 * vel - 0.1 * g[i], gotP[i], 1e-6, "sgd param");
        }
        release(pv, gv, vv);
        // RMSprop
        pv = upload(p, n);
        gv = upload(g, n);
        View ms = upload(s1, n);
        cuda.rmspropUpdate(pv, gv, ms, 0.01, 0.9, 1e-7);
        gotP = floats(pv);
        float[] gotMs = floats(ms);
        for (int i = 0; i < n; i++) {
            double m = 0.9 * s1[i] + 0.1 * g[i] * g[i];
            assertClose(m, gotMs[i], 1e-6, "rmsprop mean square");
            assertClose(p[i] - 0.01 * g[i] / Math.sqrt(m + 1e-7), gotP[i], 1e-5, "rmsprop param");
        }
        release(pv, gv, ms);
        // AdamW
        pv = upload(p, n);
        gv = upload(g, n);
        View m = upload(s1, n);
        View v = upload(s2, n);
        cuda.adamUpdate(pv, gv, m, v, 1e-3, 0.9, 0.999, 1e-7, 0.01);
        gotP = floats(pv);
        float[] gotM = floats(m);
        float[] gotV2 = floats(v);
        for (int i = 0; i < n; i++) {
            double mi = s1[i] + (g[i] - s1[i]) * 0.1;
            double vi = s2[i] + (g[i] * g[i] - s2[i]) * (1 - 0.999);
            assertClose(mi, gotM[i], 1e-6, "adam m");
            assertClose(vi, gotV2[i], 1e-6, "adam v");
            assertClose(p[i] * 0.99 - 1e-3 * mi / (Math.sqrt(vi) + 1e-7), gotP[i], 1e-5, "adam param");
        }
        release(pv, gv, m, v);
    }

    // ---------------------------------------------------------------- matrix multiply (cuBLAS)

    private static float[] matmulReference(
            float[] a,
            int[] aShape,
            long[] aStrides,
            boolean ta,
            float[] b,
            int[] bShape,
            long[] bStrides,
            boolean tb,
            int batch) {
        int m = ta ? aShape[2] : aShape[1];
        int k = ta ? aShape[1] : aShape[2];
        int n = tb ? bShape[1] : bShape[2];
        float[] out = new float[batch * m * n];
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) {
                        long ai = q * aStrides[0]
                                + (ta ? l * aStrides[1] + i * aStrides[2] : i * aStrides[1] + l * aStrides[2]);
                        long bi = q * bStrides[0]
                                + (tb ? j * bStrides[1] + l * bStrides[2] : l * bStrides[1] + j * bStrides[2]);
                        s += (double) a[(int) ai] * b[(int) bi];
                    }
                    out[(q * m + i) * n + j] = (float) s;
                }
            }
        }
        return out;
    }

    @Test
    void matmulHandlesTransposesBatchesBroadcastsAndLeadingDimensions() {
        Assumptions.assumeTrue(
                CudaProbe.cublas().available(), () -> CudaProbe.cublas().detail());
        int batch = 3;
        int m = 17;
        int k = 29;
        int n = 11;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int[] aShape = ta ? new int[] {batch, k, m} : new int[] {batch, m, k};
                int[] bShape = tb ? new int[] {batch, n, k} : new int[] {batch, k, n};
                float[] a = randomFloats(batch * m * k, -1, 1);
                float[] b = randomFloats(batch * k * n, -1, 1);
                View av = upload(a, aShape);
                View bv = upload(b, bShape);
                View out = empty(DType.FLOAT32, batch, m, n);
                cuda.matmul(av, ta, bv, tb, out);
                assertFloatsClose(
                        matmulReference(a, aShape, av.strides(), ta, b, bShape, bv.strides(), tb, batch),
                        floats(out),
                        1e-5,
                        "matmul ta=" + ta + " tb=" + tb);
                // b broadcast over the batch (stride 0): a weight shared by every batch entry
                View shared = new View(bv.buffer(), DType.FLOAT32, 0, bShape, new long[] {0, bv.strides()[1], 1});
                cuda.matmul(av, ta, shared, tb, out);
                assertFloatsClose(
                        matmulReference(a, aShape, av.strides(), ta, b, bShape, shared.strides(), tb, batch),
                        floats(out),
                        1e-5,
                        "matmul with a broadcast b, ta=" + ta + " tb=" + tb);
                release(av, bv, out);
            }
        }
        // a leading dimension larger than the columns: the left half of a wider matrix
        float[] wide = randomFloats(8 * 10, -1, 1);
        View whole = upload(wide, 1, 8, 10);
        View left = new View(whole.buffer(), DType.FLOAT32, 0, new int[] {1, 8, 5}, new long[] {80, 10, 1});
        float[] b = randomFloats(5 * 4, -1, 1);
        View bv = upload(b, 1, 5, 4);
        View out = empty(DType.FLOAT32, 1, 8, 4);
        cuda.matmul(left, false, bv, false, out);
        assertFloatsClose(
                matmulReference(wide, left.shape(), left.strides(), false, b, bv.shape(), bv.strides(), false, 1),
                floats(out),
                1e-5,
                "matmul with lda > k");
        // a row broadcast (middle stride 0) cuBLAS cannot read directly
        View rowRepeated = new View(bv.buffer(), DType.FLOAT32, 0, new int[] {1, 5, 4}, new long[] {20, 0, 1});
        View sq = upload(randomFloats(3 * 5, -1, 1), 1, 3, 5);
        View out2 = empty(DType.FLOAT32, 1, 3, 4);
        cuda.matmul(sq, false, rowRepeated, false, out2);
        assertFloatsClose(
                matmulReference(
                        floats(sq),
                        sq.shape(),
                        sq.strides(),
                        false,
                        b,
                        rowRepeated.shape(),
                        rowRepeated.strides(),
                        false,
                        1),
                floats(out2),
                1e-5,
                "matmul with a stride-0 row axis");
        release(whole, bv, out, sq, out2);
    }

    @Test
    void matmulInDoublePrecision() {
        Assumptions.assumeTrue(
                CudaProbe.cublas().available(), () -> CudaProbe.cublas().detail());
        double[] a = {1, 2, 3, 4, 5, 6};
        double[] b = {7, 8, 9, 10, 11, 12};
        View av = upload(a, 1, 2, 3);
        View bv = upload(b, 1, 3, 2);
        View out = empty(DType.FLOAT64, 1, 2, 2);
        cuda.matmul(av, false, bv, false, out);
        assertArrayEquals(new double[] {58, 64, 139, 154}, doubles(out));
        release(av, bv, out);
    }

    @Test
    void tf32IsOffUnlessAskedFor() {
        assertFalse(cuda.tf32(), "TF32 must be off by default (-D" + CudaBackend.TF32_PROPERTY + "=true turns it on)");
        if (CudaProbe.cublas().available()) {
            assertEquals(cublasMath.CUBLAS_DEFAULT_MATH, cuda.cublasMathMode());
        }
    }

    private static void assertFloatsClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], tolerance, what + " element " + i);
        }
    }
}
