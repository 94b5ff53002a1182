package dev.nabla.opencl;

import static dev.nabla.opencl.OpenClTestSupport.assertClose;
import static dev.nabla.opencl.OpenClTestSupport.backend;
import static dev.nabla.opencl.OpenClTestSupport.download;
import static dev.nabla.opencl.OpenClTestSupport.downloadDouble;
import static dev.nabla.opencl.OpenClTestSupport.downloadInt;
import static dev.nabla.opencl.OpenClTestSupport.empty;
import static dev.nabla.opencl.OpenClTestSupport.release;
import static dev.nabla.opencl.OpenClTestSupport.upload;
import static dev.nabla.opencl.OpenClTestSupport.uploadDouble;
import static dev.nabla.opencl.OpenClTestSupport.uploadInt;
import static dev.nabla.opencl.OpenClTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Elementwise kernels against UnaryOp.apply / BinaryOp.apply, on contiguous, strided and broadcast views. */
class OpenClElementwiseTest {
    /** Ops whose FLOAT32 kernel goes through a transcendental function (a few ulp in OpenCL C). */
    private static final Set<UnaryOp> TRANSCENDENTAL = EnumSet.of(
            UnaryOp.EXP,
            UnaryOp.LOG,
            UnaryOp.SQRT,
            UnaryOp.POW_SCALAR,
            UnaryOp.SIGMOID,
            UnaryOp.TANH,
            UnaryOp.SOFTPLUS,
            UnaryOp.SWISH);

    /** The reference value at row-major index i of a view over host data (offset, strides in elements). */
    static double at(float[] host, View v, long i) {
        return host[(int) hostOffset(v, i)];
    }

    static long hostOffset(View v, long i) {
        long offset = v.offset();
        for (int axis = v.rank() - 1; axis >= 0; axis--) {
            offset += (i % v.shape()[axis]) * v.strides()[axis];
            i /= v.shape()[axis];
        }
        return offset;
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void everyUnaryOpMatchesTheReferenceOnAContiguousView(UnaryOp op) {
        float[] x = values(257, op.ordinal(), -4, 4);
        x[0] = 0;
        x[1] = -0.0f;
        x[2] = 0.5f;
        double a = op == UnaryOp.POW_SCALAR ? 2 : op == UnaryOp.CLIP ? -1 : op == UnaryOp.LEAKY_RELU ? 0.01 : 0.5;
        double b = op == UnaryOp.CLIP ? 1.5 : 0;
        if (op == UnaryOp.SIGMOID || op == UnaryOp.SOFTPLUS || op == UnaryOp.SWISH) {
            a = 1.5;
        }
        View in = upload(x, x.length);
        View out = empty(DType.FLOAT32, x.length);
        backend().unary(op, in, out, a, b);
        float[] got = download(out);
        double rel = TRANSCENDENTAL.contains(op) ? 4e-6 : 1e-7;
        for (int i = 0; i < x.length; i++) {
            double expected = (float) op.apply(x[i], a, b);
            assertClose(expected, got[i], rel, 1e-7, op + " at x=" + x[i]);
        }
        release(in, out);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void everyBinaryOpBroadcastsLikeTheReference(BinaryOp op) {
        // x [3, 1, 5] broadcast along axis 1, y [1, 4, 5] along axis 0, out [3, 4, 5]
        float[] xs = values(15, 10 + op.ordinal(), op == BinaryOp.POW ? 0.5 : -2, 2);
        float[] ys = values(20, 50 + op.ordinal(), -2, 2);
        xs[3] = ys[3]; // an equal pair for the comparisons
        View x = upload(xs, 3, 1, 5);
        View y = upload(ys, 1, 4, 5);
        View xb = new View(x.buffer(), DType.FLOAT32, 0, new int[] {3, 4, 5}, new long[] {5, 0, 1});
        View yb = new View(y.buffer(), DType.FLOAT32, 0, new int[] {3, 4, 5}, new long[] {0, 5, 1});
        View out = empty(DType.FLOAT32, 3, 4, 5);
        backend().binary(op, xb, yb, out, 0.3);
        float[] got = download(out);
        for (int i = 0; i < 60; i++) {
            double expected = (float) op.apply(at(xs, xb, i), at(ys, yb, i), 0.3);
            assertClose(expected, got[i], op == BinaryOp.POW ? 4e-6 : 1e-6, 1e-7, op + " at " + i);
        }
        release(x, y, out);
    }

    @Test
    void aScalarBroadcastTakesTheContiguousPath() {
        View x = upload(new float[] {1, 2, 3, 4}, 4);
        View s = upload(new float[] {10}, 1);
        View out = empty(DType.FLOAT32, 4);
        backend()
                .binary(BinaryOp.SUB, x, new View(s.buffer(), DType.FLOAT32, 0, new int[] {4}, new long[] {0}), out, 0);
        assertArrayEquals(new float[] {-9, -8, -7, -6}, download(out));
        release(x, s, out);
    }

    @Test
    void aTransposedSlicedViewWithAnOffsetIsReadThroughItsStrides() {
        float[] data = values(6 * 7, 3, -1, 1);
        View base = upload(data, 6, 7);
        // rows 1..4, columns 2..6 (step 2), transposed: shape [3, 4], strides [2, 7], offset 7 + 2
        View x = new View(base.buffer(), DType.FLOAT32, 9, new int[] {3, 4}, new long[] {2, 7});
        View out = empty(DType.FLOAT32, 3, 4);
        backend().unary(UnaryOp.MUL_SCALAR, x, out, 3, 0);
        float[] got = download(out);
        for (int i = 0; i < 12; i++) {
            assertEquals((float) (at(data, x, i) * 3), got[i], 0, "element " + i);
        }
        release(base, out);
    }

    @Test
    void aStridedOutputIsWrittenInPlace() {
        View out = upload(new float[12], 3, 4);
        View column = new View(out.buffer(), DType.FLOAT32, 1, new int[] {3}, new long[] {4});
        backend().fill(column, 7);
        View x = upload(new float[] {1, 2, 3}, 3);
        View lastColumn = new View(out.buffer(), DType.FLOAT32, 3, new int[] {3}, new long[] {4});
        backend().unary(UnaryOp.NEG, x, lastColumn, 0, 0);
        assertArrayEquals(new float[] {0, 7, 0, -1, 0, 7, 0, -2, 0, 7, 0, -3}, download(out));
        release(out, x);
    }

    @Test
    void viewsOfMoreThanEightUnmergeableAxesAreSplitIntoSeveralLaunches() {
        int rank = 10;
        int[] shape = new int[rank];
        long[] reversed = new long[rank];
        java.util.Arrays.fill(shape, 2);
        for (int axis = 0; axis < rank; axis++) {
            reversed[axis] = 1L << axis; // the transpose of a contiguous [2]^10 tensor: no two axes merge
        }
        float[] data = values(1 << rank, 5, -1, 1);
        View base = upload(data, 1 << rank);
        View x = new View(base.buffer(), DType.FLOAT32, 0, shape, reversed);
        View out = empty(DType.FLOAT32, shape);
        backend().unary(UnaryOp.ADD_SCALAR, x, out, 1, 0);
        float[] got = download(out);
        for (int i = 0; i < got.length; i++) {
            assertEquals((float) (at(data, x, i) + 1), got[i], 0, "element " + i);
        }
        release(base, out);
    }

    @Test
    void whereTakesConditionsOfAnyTypeAndBroadcastsThem() {
        View x = upload(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        View y = upload(new float[] {-1, -2, -3, -4, -5, -6}, 2, 3);
        View intCond = uploadInt(new int[] {1, 0, 1}, 3);
        View floatCond = upload(new float[] {0, 2.5f}, 2, 1);
        View out = empty(DType.FLOAT32, 2, 3);
        backend().where(new View(intCond.buffer(), DType.INT32, 0, new int[] {2, 3}, new long[] {0, 1}), x, y, out);
        assertArrayEquals(new float[] {1, -2, 3, 4, -5, 6}, download(out));
        backend().where(new View(floatCond.buffer(), DType.FLOAT32, 0, new int[] {2, 3}, new long[] {1, 0}), x, y, out);
        assertArrayEquals(new float[] {-1, -2, -3, 4, 5, 6}, download(out));
        release(x, y, intCond, floatCond, out);
    }

    @Test
    void copyCastsFloatToIntLikeJava() {
        float[] x = {1.9f, -1.9f, 0.5f, -0.5f, Float.NaN, 3e9f, -3e9f, 7};
        View in = upload(x, x.length);
        View out = empty(DType.INT32, x.length);
        backend().copy(in, out);
        int[] expected = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = (int) x[i];
        }
        assertArrayEquals(expected, downloadInt(out));
        release(in, out);
    }

    @Test
    void copyCastsIntToFloatIntoAStridedDestination() {
        View in = uploadInt(new int[] {1, -2, 16777217, 4}, 2, 2);
        View out = empty(DType.FLOAT32, 2, 2);
        View transposed = new View(out.buffer(), DType.FLOAT32, 0, new int[] {2, 2}, new long[] {1, 2});
        backend().copy(in, transposed);
        assertArrayEquals(new float[] {1, 16777217f, -2, 4}, download(out));
        release(in, out);
    }

    @Test
    void fillWritesIntsAndFloats() {
        View ints = empty(DType.INT32, 5);
        backend().fill(ints, 3.9);
        assertArrayEquals(new int[] {3, 3, 3, 3, 3}, downloadInt(ints));
        View floats = empty(DType.FLOAT32, 0);
        backend().fill(floats, 1); // empty: nothing to do, no error
        release(ints, floats);
    }

    @Test
    void writesAtAnOffsetAndReadsAtAnOffset() {
        View v = upload(new float[8], 8);
        backend().write(v.buffer(), 3, new float[] {9, 8, 7, 6}, 1, 3);
        float[] window = new float[5];
        backend().read(v.buffer(), 2, window, 1, 4);
        assertArrayEquals(new float[] {0, 0, 8, 7, 6}, window);
        release(v);
    }

    @Test
    void manyQueuedWritesAndOpsAreReadBackInOrder() {
        View v = upload(new float[4], 4);
        for (int step = 1; step <= 50; step++) {
            backend().write(v.buffer(), 0, new float[] {step, step, step, step}, 0, 4);
            backend().unary(UnaryOp.MUL_SCALAR, v, v, 2, 0);
        }
        assertArrayEquals(new float[] {100, 100, 100, 100}, download(v));
        release(v);
    }

    @Test
    void doublesComputeInDoublePrecisionWhereTheDeviceHasFp64() {
        assumeTrue(
                backend().supports(DType.FLOAT64),
                "no cl_khr_fp64 on " + backend().deviceName());
        double[] x = {0.1, 1.0 / 3, Math.PI, -2.5e-8};
        View in = uploadDouble(x, 4);
        View out = empty(DType.FLOAT64, 4);
        backend().unary(UnaryOp.ADD_SCALAR, in, out, 1e-9, 0);
        double[] got = downloadDouble(out);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + 1e-9, got[i], 0, "element " + i);
        }
        backend().unary(UnaryOp.EXP, in, out, 0, 0);
        got = downloadDouble(out);
        for (int i = 0; i < x.length; i++) {
            assertClose(Math.exp(x[i]), got[i], 1e-15, 0, "exp " + x[i]);
        }
        release(in, out);
    }
}
