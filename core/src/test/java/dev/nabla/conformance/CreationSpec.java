package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.conformance.Kit.Layout;
import dev.nabla.conformance.Kit.Operand;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Creation (zeros, ones, full, arange, from arrays, scalars), host reads and numpy-like printing. */
abstract class CreationSpec extends Spec {

    protected CreationSpec(Kit kit) {
        super(kit);
    }

    @Test
    @DisplayName("zeros, ones and full fill every element, in every dtype, for odd, empty and rank-0 shapes")
    void fills() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
            if (!backend.supports(dtype)) {
                continue;
            }
            for (int[] shape : new int[][] {{7, 13}, {1}, {}, {0}, {3, 0, 2}, {2, 3, 5}}) {
                int n = (int) HostArray.size(shape);
                kit.assertExact(
                        "zeros " + java.util.Arrays.toString(shape) + " " + dtype,
                        HostArray.of(new double[n], shape),
                        t.zeros(dtype, shape));
                kit.assertExact(
                        "ones " + java.util.Arrays.toString(shape) + " " + dtype,
                        HostArray.of(filled(n, 1), shape),
                        t.ones(dtype, shape));
                kit.assertExact(
                        "full(−2.5) " + java.util.Arrays.toString(shape) + " " + dtype,
                        HostArray.of(filled(n, HostArray.round(-2.5, dtype)), shape),
                        t.full(dtype, -2.5, shape));
                kit.assertEquals("dtype of full", dtype, t.full(dtype, 1, shape).dtype());
            }
        }
    }

    private static double[] filled(int n, double value) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, value);
        return values;
    }

    @Test
    @DisplayName("arange counts like numpy: [0, 0.25, 0.5, 0.75], [5, 3, 1], and nothing when the range is empty")
    void arange() {
        kit.assertValues("arange(0, 1, 0.25)", new double[] {0, 0.25, 0.5, 0.75}, t.arange(0, 1, 0.25), 0);
        kit.assertValues("arange(5, 0, −2)", new double[] {5, 3, 1}, t.arange(5, 0, -2), 0);
        kit.assertShape("arange(3, 3, 1)", new int[] {0}, t.arange(3, 3, 1));
        kit.assertEquals(
                "arange gives FLOAT32", DType.FLOAT32, t.arange(0, 3, 1).dtype());
    }

    @Test
    @DisplayName("tensors from Java arrays hold the values in row-major order, and a scalar has rank 0")
    void fromArrays() {
        Tensor m = t.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        kit.assertShape("of(float[][])", new int[] {2, 3}, m);
        kit.assertValues("of(float[][])", new double[] {1, 2, 3, 4, 5, 6}, m, 0);
        kit.assertShape("of(float[]) without a shape is 1-D", new int[] {4}, t.of(new float[] {1, 2, 3, 4}));
        kit.assertEquals(
                "of(int[]) is INT32", DType.INT32, t.of(new int[] {1, 2}).dtype());
        Tensor s = t.scalar(2.5);
        kit.assertEquals("scalar rank", 0, s.rank());
        kit.assertEquals("scalar size", 1L, s.size());
        kit.assertValue("scalar item", 2.5, s.item(), 0);
        if (backend.supports(DType.FLOAT64)) {
            Tensor d = t.of(new double[] {Math.PI, -1e-300}, 2);
            kit.assertTrue(
                    "FLOAT64 keeps every bit",
                    java.util.Arrays.equals(new double[] {Math.PI, -1e-300}, d.toDoubleArray()));
        }
    }

    @Test
    @DisplayName(
            "rowsOf gathers whole rows of a host matrix in the order given (a shuffled batch), or consecutive rows without an order")
    void gathersRows() {
        float[] source = new float[10 * 6]; // ten rows of [2, 3]
        for (int i = 0; i < source.length; i++) {
            source[i] = i;
        }
        Tensor picked = t.rowsOf(source, new int[] {9, 0, 4, 4, 7}, 1, 3, 2, 3);
        kit.assertShape("rows 0, 4, 4 of rank-2 rows", new int[] {3, 2, 3}, picked);
        kit.assertValues(
                "rows 0, 4, 4",
                new double[] {0, 1, 2, 3, 4, 5, 24, 25, 26, 27, 28, 29, 24, 25, 26, 27, 28, 29},
                picked,
                0);
        kit.assertValues(
                "rows 8 and 9 without an order",
                new double[] {48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59},
                t.rowsOf(source, null, 8, 2, 6),
                0);
        kit.assertShape("no rows", new int[] {0, 6}, t.rowsOf(source, new int[] {1}, 1, 0, 6));

        int rows = 300, width = 785; // a batch large enough for a backend to gather on several threads
        float[] big = new float[rows * width];
        for (int i = 0; i < big.length; i++) {
            big[i] = i % 9973;
        }
        int[] order = new int[rows];
        for (int k = 0; k < rows; k++) {
            order[k] = (k * 7 + 3) % rows;
        }
        double[] expected = new double[(rows - 2) * width];
        for (int k = 0; k < rows - 2; k++) {
            for (int j = 0; j < width; j++) {
                expected[k * width + j] = big[order[k + 2] * width + j];
            }
        }
        kit.assertValues("298 shuffled rows of 785", expected, t.rowsOf(big, order, 2, rows - 2, width), 0);
    }

    @Test
    @DisplayName("rowsOf refuses a row index or range outside its source, naming it")
    void refusesRowsOutOfRange() {
        float[] source = new float[4 * 3];
        kit.assertThrows(
                "an index past the last row",
                IllegalArgumentException.class,
                () -> t.rowsOf(source, new int[] {0, 4}, 0, 2, 3),
                "order[1] is row 4",
                "[0, 4)");
        kit.assertThrows(
                "a negative index",
                IllegalArgumentException.class,
                () -> t.rowsOf(source, new int[] {-1}, 0, 1, 3),
                "order[0] is row -1");
        kit.assertThrows(
                "more rows than the order holds",
                IllegalArgumentException.class,
                () -> t.rowsOf(source, new int[] {0, 1}, 1, 2, 3),
                "rows 1 to 3",
                "an order of 2 rows");
        kit.assertThrows(
                "consecutive rows past the end",
                IllegalArgumentException.class,
                () -> t.rowsOf(source, null, 3, 2, 3),
                "rows 3 to 5",
                "holding 4 rows of 3 values");
    }

    @Test
    @DisplayName(
            "host reads convert: floats to doubles, floats to ints toward zero, ints to floats; views read in logical order")
    void hostReads() {
        Tensor f = t.of(new float[] {-2.7f, -0.5f, 0.5f, 2.7f}, 2, 2);
        kit.assertTrue(
                "toIntArray truncates toward zero", java.util.Arrays.equals(new int[] {-2, 0, 0, 2}, f.toIntArray()));
        kit.assertTrue(
                "toDoubleArray of FLOAT32",
                java.util.Arrays.equals(new double[] {-2.7f, -0.5f, 0.5f, 2.7f}, f.toDoubleArray()));
        Tensor i = t.of(new int[] {-3, 7}, 2);
        kit.assertTrue("toFloatArray of INT32", java.util.Arrays.equals(new float[] {-3, 7}, i.toFloatArray()));
        kit.assertTrue(
                "toFloatArray of a transposed view reads in logical order",
                java.util.Arrays.equals(new float[] {-2.7f, 0.5f, -0.5f, 2.7f}, f.t().toFloatArray()));
        kit.assertValue("item of a [1, 1] tensor", 5, t.full(5, 1, 1).item(), 0);
        for (DType dtype : kit.floatTypes) {
            Operand x = kit.operand(Layout.STRIDED, dtype, Domain.ANY, 1, 7, 13);
            kit.assertExact("read of a stepped slice", x.host(), x.tensor());
        }
    }

    @Test
    @DisplayName("toString prints like numpy's str()")
    void printsLikeNumpy() {
        kit.assertEquals(
                "Tensor.of(new float[] {1, 2.5f, 3, 4}, 2, 2)",
                "[[1.  2.5]\n [3.  4. ]]",
                t.of(new float[] {1, 2.5f, 3, 4}, 2, 2).toString());
        kit.assertEquals(
                "whole floats", "[1. 2. 3.]", t.of(new float[] {1, 2, 3}).toString());
        kit.assertEquals(
                "negative and positive",
                "[-1.5  2. ]",
                t.of(new float[] {-1.5f, 2}).toString());
        kit.assertEquals(
                "different decimals",
                "[0.1  0.25]",
                t.of(new float[] {0.1f, 0.25f}).toString());
        kit.assertEquals(
                "mixed magnitudes, aligned on the point",
                "[  0.5    -0.25  100.125]",
                t.of(new float[] {0.5f, -0.25f, 100.125f}).toString());
        kit.assertEquals(
                "small values switch to scientific notation",
                "[1.e-05 1.e+00]",
                t.of(new float[] {1e-5f, 1}).toString());
        kit.assertEquals(
                "nan and inf",
                "[ 1. nan inf]",
                t.of(new float[] {1, Float.NaN, Float.POSITIVE_INFINITY}).toString());
        kit.assertEquals(
                "scientific notation pads mantissas with zeros",
                "[ 1.5e-05 -1.0e+00  2.5e+08]",
                t.of(new float[] {1.5e-5f, -1, 2.5e8f}).toString());
        kit.assertEquals("integers", "[1 2 3]", t.of(new int[] {1, 2, 3}).toString());
        kit.assertEquals(
                "integers, aligned",
                "[[ 1 -2]\n [30  4]]",
                t.of(new int[] {1, -2, 30, 4}, 2, 2).toString());
        kit.assertEquals("a scalar", "3.5", t.scalar(3.5).toString());
        kit.assertEquals("an empty tensor", "[]", t.zeros(0).toString());
        kit.assertEquals(
                "rank 3",
                "[[[0. 1.]\n  [2. 3.]]\n\n [[4. 5.]\n  [6. 7.]]]",
                t.arange(0, 8, 1).reshape(2, 2, 2).toString());
        kit.assertEquals(
                "a FLOAT32 value prints with float precision",
                "[0.1]",
                t.of(new float[] {0.1f}).toString());
        kit.assertEquals(
                "more than 1000 elements are summarized",
                "[   0.    1.    2. ...  998.  999. 1000.]",
                t.arange(0, 1001, 1).toString());
    }
}
