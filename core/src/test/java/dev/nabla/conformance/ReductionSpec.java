package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.conformance.Kit.Layout;
import dev.nabla.conformance.Kit.Operand;
import dev.nabla.conformance.Reference.Reduce;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** sum, mean, max, min, variance, argmax, argmin along any axes, with keepDims, on any layout. */
abstract class ReductionSpec extends Spec {

    protected ReductionSpec(Kit kit) {
        super(kit);
    }

    /** Axis sets of a rank-3 tensor: none (all), single, negative, pairs, all three. */
    private static final int[][] AXES_OF_RANK_3 = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {-3, -2}, {0, 1, 2}};

    /** Distinct values (no ties for max, min and argmax) laid out as {@code layout}. */
    private Operand distinctOperand(Layout layout, DType dtype, long seed, int... shape) {
        return kit.operand(kit.distinct(seed, dtype, shape), layout, dtype);
    }

    @Test
    @DisplayName(
            "sum, mean, max, min and variance over every axis set of a rank-3 tensor, keepDims or not, on every layout")
    void reductionsOverAxes() {
        long seed = 200;
        for (DType dtype : kit.floatTypes) {
            for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.STRIDED}) {
                Operand x = distinctOperand(layout, dtype, seed++, 3, 4, 5);
                for (int[] axes : AXES_OF_RANK_3) {
                    for (boolean keep : new boolean[] {false, true}) {
                        String what =
                                " over " + Arrays.toString(axes) + (keep ? " keepDims" : "") + " of " + x.describe();
                        Tensor in = x.tensor();
                        kit.assertClose(
                                "sum" + what,
                                Reference.reduce(Reduce.SUM, x.host(), axes, keep),
                                in.sum(axes, keep),
                                Tolerance.accumulated(dtype));
                        kit.assertClose(
                                "mean" + what,
                                Reference.mean(x.host(), axes, keep),
                                in.mean(axes, keep),
                                Tolerance.accumulated(dtype));
                        kit.assertExact(
                                "max" + what, Reference.reduce(Reduce.MAX, x.host(), axes, keep), in.max(axes, keep));
                        kit.assertExact(
                                "min" + what, Reference.reduce(Reduce.MIN, x.host(), axes, keep), in.min(axes, keep));
                        kit.assertClose(
                                "variance" + what,
                                Reference.variance(x.host(), axes, keep),
                                in.variance(axes, keep),
                                Tolerance.composite(dtype));
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("a broadcast view reduces like the materialized array")
    void reductionsOfBroadcastViews() {
        for (DType dtype : kit.floatTypes) {
            Operand x = kit.operand(Layout.BROADCAST, dtype, Kit.Domain.ANY, 300, 6, 7);
            for (int[] axes : new int[][] {{}, {0}, {1}}) {
                kit.assertClose(
                        "sum over " + Arrays.toString(axes) + " of " + x.describe(),
                        Reference.reduce(Reduce.SUM, x.host(), axes, false),
                        x.tensor().sum(axes),
                        Tolerance.accumulated(dtype));
                kit.assertExact(
                        "max over " + Arrays.toString(axes) + " of " + x.describe(),
                        Reference.reduce(Reduce.MAX, x.host(), axes, false),
                        x.tensor().max(axes));
            }
        }
    }

    @Test
    @DisplayName("argmax and argmin along each axis give INT32 indices, the first on ties")
    void argReductions() {
        long seed = 400;
        for (DType dtype : kit.floatTypes) {
            for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED}) {
                Operand x = distinctOperand(layout, dtype, seed++, 3, 4, 5);
                for (int axis : new int[] {0, 1, 2, -1}) {
                    for (boolean keep : new boolean[] {false, true}) {
                        String what = " along " + axis + (keep ? " keepDims" : "") + " of " + x.describe();
                        Tensor argmax = x.tensor().argmax(axis, keep);
                        kit.assertEquals("argmax dtype", DType.INT32, argmax.dtype());
                        kit.assertExact(
                                "argmax" + what,
                                Reference.reduce(Reduce.ARGMAX, x.host(), new int[] {axis}, keep),
                                argmax);
                    }
                    kit.assertExact(
                            "argmin along " + axis + " of " + x.describe(),
                            Reference.reduce(Reduce.ARGMIN, x.host(), new int[] {axis}, false),
                            x.tensor().argmin(axis));
                }
            }
            Tensor ties = kit.upload(HostArray.of(new double[] {1, 3, 3, 2, 0, 0, -1, 0}, 2, 4), dtype);
            kit.assertValues(
                    "argmax of [[1, 3, 3, 2], [0, 0, −1, 0]] picks the first of equal values",
                    new double[] {1, 0},
                    ties.argmax(1),
                    0);
            kit.assertValues("argmin of [[1, 3, 3, 2], [0, 0, −1, 0]]", new double[] {0, 2}, ties.argmin(1), 0);
            kit.assertValues("argmax() of the flattened tensor", new double[] {1}, ties.argmax(), 0);
        }
    }

    @Test
    @DisplayName("odd shapes: prime extents, a single element, a scalar")
    void oddShapes() {
        long seed = 500;
        for (DType dtype : kit.floatTypes) {
            for (int[] shape : new int[][] {{7, 13}, {1}, {1, 1}, {}}) {
                Operand x = kit.operand(Layout.CONTIGUOUS, dtype, Kit.Domain.ANY, seed++, shape);
                kit.assertClose(
                        "sum of all of " + x.describe(),
                        Reference.reduce(Reduce.SUM, x.host(), new int[0], false),
                        x.tensor().sum(),
                        Tolerance.accumulated(dtype));
                kit.assertExact(
                        "max of all of " + x.describe(),
                        Reference.reduce(Reduce.MAX, x.host(), new int[0], true),
                        x.tensor().max(new int[0], true));
                if (shape.length == 2) {
                    kit.assertClose(
                            "mean along 1 of " + x.describe(),
                            Reference.mean(x.host(), new int[] {1}, false),
                            x.tensor().mean(1),
                            Tolerance.accumulated(dtype));
                }
            }
        }
    }

    @Test
    @DisplayName(
            "empty tensors: a sum over nothing is 0, a max −∞, a min +∞; reducing the other axis keeps the 0 extent")
    void emptyTensors() {
        for (DType dtype : kit.floatTypes) {
            Tensor x = t.zeros(dtype, 4, 0);
            kit.assertValues("sum along the empty axis of [4, 0]", new double[] {0, 0, 0, 0}, x.sum(1), 0);
            kit.assertValues(
                    "max along the empty axis of [4, 0]",
                    new double[] {
                        Double.NEGATIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Double.NEGATIVE_INFINITY
                    },
                    x.max(1),
                    0);
            kit.assertValues(
                    "min along the empty axis of [4, 0]",
                    new double[] {
                        Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY
                    },
                    x.min(1),
                    0);
            kit.assertShape("sum along the non-empty axis of [4, 0]", new int[] {0}, x.sum(0));
            kit.assertShape("sum along 0 of [4, 0] with keepDims", new int[] {1, 0}, x.sum(new int[] {0}, true));
            kit.assertValues("sum of everything in [4, 0]", new double[] {0}, x.sum(), 0);
        }
    }

    @Test
    @DisplayName("large: column and row sums of a 1000 × 513 matrix")
    void largeReductions() {
        Operand x = kit.operand(Layout.CONTIGUOUS, DType.FLOAT32, Kit.Domain.ANY, 600, 1000, 513);
        for (int axis : new int[] {0, 1}) {
            kit.assertClose(
                    "sum along " + axis + " of [1000, 513]",
                    Reference.reduce(Reduce.SUM, x.host(), new int[] {axis}, false),
                    x.tensor().sum(axis),
                    Tolerance.accumulated(DType.FLOAT32));
        }
        kit.assertClose(
                "mean of all of [1000, 513]",
                Reference.mean(x.host(), new int[0], false),
                x.tensor().mean(),
                Tolerance.accumulated(DType.FLOAT32));
    }
}
