package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * conv2d, maxPool2d, avgPool2d and pad (NHWC) against the reference's plain loops, and their gradients
 * against central differences: stride 1 and 2, SAME and VALID, dilation 2, odd sizes, batch 1, one
 * channel and many, groups and depthwise.
 */
abstract class ConvolutionSpec extends Spec {

    protected ConvolutionSpec(Kit kit) {
        super(kit);
    }

    private long seed = 9000;

    /** One conv2d configuration: input and kernel shapes, strides, padding, dilation, groups. */
    record Conv(int[] x, int[] kernel, int[] strides, Padding padding, int[] dilation, int groups) {
        static Conv of(int[] x, int[] kernel, int stride, Padding padding, int dilation, int groups) {
            return new Conv(x, kernel, new int[] {stride, stride}, padding, new int[] {dilation, dilation}, groups);
        }

        @Override
        public String toString() {
            return "conv2d of " + Arrays.toString(x) + " with kernel " + Arrays.toString(kernel) + ", strides "
                    + Arrays.toString(strides) + ", " + padding + ", dilation " + Arrays.toString(dilation)
                    + ", groups "
                    + groups;
        }

        Tensor apply(Tensor input, Tensor k) {
            return input.conv2d(k, strides, padding, dilation, groups);
        }

        HostArray reference(HostArray input, HostArray k) {
            return Reference.conv2d(input, k, strides, padding == Padding.SAME, dilation, groups);
        }
    }

    static final Conv[] FORWARD = {
        Conv.of(new int[] {2, 7, 5, 3}, new int[] {3, 3, 3, 4}, 1, Padding.VALID, 1, 1),
        Conv.of(new int[] {2, 7, 5, 3}, new int[] {3, 3, 3, 4}, 1, Padding.SAME, 1, 1),
        Conv.of(new int[] {2, 7, 5, 3}, new int[] {3, 2, 3, 4}, 2, Padding.VALID, 1, 1),
        Conv.of(new int[] {2, 7, 5, 3}, new int[] {3, 3, 3, 4}, 2, Padding.SAME, 1, 1),
        Conv.of(
                new int[] {2, 6, 6, 2},
                new int[] {4, 4, 2, 3},
                2,
                Padding.SAME,
                1,
                1), // even kernel: pad 1 before, 2 after
        Conv.of(new int[] {1, 7, 5, 1}, new int[] {3, 3, 1, 2}, 1, Padding.SAME, 2, 1),
        Conv.of(new int[] {1, 9, 8, 2}, new int[] {3, 3, 2, 3}, 1, Padding.VALID, 2, 1),
        new Conv(new int[] {1, 9, 8, 2}, new int[] {3, 2, 2, 3}, new int[] {2, 1}, Padding.SAME, new int[] {2, 1}, 1),
        Conv.of(new int[] {2, 6, 5, 4}, new int[] {3, 3, 2, 6}, 1, Padding.SAME, 1, 2),
        Conv.of(new int[] {2, 6, 5, 4}, new int[] {3, 3, 1, 8}, 1, Padding.VALID, 1, 4), // depthwise, multiplier 2
        Conv.of(new int[] {1, 5, 5, 3}, new int[] {3, 3, 1, 3}, 2, Padding.SAME, 1, 3), // depthwise
        Conv.of(new int[] {2, 4, 4, 5}, new int[] {1, 1, 5, 3}, 1, Padding.VALID, 1, 1),
        Conv.of(new int[] {1, 3, 3, 2}, new int[] {3, 3, 2, 1}, 1, Padding.VALID, 1, 1), // one output cell
        Conv.of(new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 1, Padding.SAME, 1, 1),
    };

    static final Conv[] GRADIENT = {
        Conv.of(new int[] {2, 5, 4, 3}, new int[] {3, 3, 3, 2}, 1, Padding.VALID, 1, 1),
        Conv.of(new int[] {1, 5, 4, 2}, new int[] {3, 3, 2, 2}, 2, Padding.SAME, 1, 1),
        Conv.of(new int[] {1, 6, 5, 1}, new int[] {2, 2, 1, 3}, 2, Padding.VALID, 1, 1),
        Conv.of(new int[] {1, 6, 5, 1}, new int[] {3, 3, 1, 2}, 1, Padding.SAME, 2, 1),
        Conv.of(new int[] {2, 4, 4, 4}, new int[] {3, 3, 2, 4}, 1, Padding.SAME, 1, 2),
        Conv.of(new int[] {1, 5, 5, 3}, new int[] {3, 3, 1, 3}, 2, Padding.SAME, 1, 3),
    };

    private HostArray random(DType dtype, int... shape) {
        return kit.random(seed++, Domain.ANY, dtype, shape);
    }

    private Tensor input(int... shape) {
        return kit.upload(random(DType.FLOAT32, shape), DType.FLOAT32);
    }

    private Tensor distinct(int... shape) {
        return kit.upload(kit.distinct(seed++, DType.FLOAT32, shape), DType.FLOAT32);
    }

    @Test
    @DisplayName("conv2d matches plain loops: strides, SAME and VALID, dilation, odd sizes, groups, depthwise")
    void conv2dForward() {
        for (DType dtype : kit.floatTypes) {
            for (Conv c : FORWARD) {
                HostArray x = random(dtype, c.x());
                HostArray k = random(dtype, c.kernel());
                Tensor out = c.apply(kit.upload(x, dtype), kit.upload(k, dtype));
                kit.assertClose(c + " " + dtype, c.reference(x, k), out, Tolerance.accumulated(dtype));
            }
            HostArray x = random(dtype, 2, 6, 5, 3);
            HostArray k = random(dtype, 3, 3, 3, 2);
            kit.assertClose(
                    "conv2d(kernel) is stride 1, VALID, no dilation, one group " + dtype,
                    Reference.conv2d(x, k, new int[] {1, 1}, false, new int[] {1, 1}, 1),
                    kit.upload(x, dtype).conv2d(kit.upload(k, dtype)),
                    Tolerance.accumulated(dtype));
        }
    }

    @Test
    @DisplayName("conv2d of NCHW data through permute(0, 2, 3, 1), and of strided views")
    void conv2dOfViews() {
        for (DType dtype : kit.floatTypes) {
            HostArray nchw = random(dtype, 2, 3, 6, 5);
            HostArray k = random(dtype, 3, 3, 3, 4);
            HostArray nhwc = nchw.permute(0, 2, 3, 1);
            Tensor x = kit.upload(nchw, dtype).permute(0, 2, 3, 1);
            Tensor kernel = kit.upload(k, dtype);
            HostArray expected = Reference.conv2d(nhwc, k, new int[] {1, 1}, true, new int[] {1, 1}, 1);
            Tensor out = x.conv2d(kernel, new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, 1);
            kit.assertClose("conv2d of a permuted NCHW tensor " + dtype, expected, out, Tolerance.accumulated(dtype));
            kit.assertClose(
                    "conv2d's result permuted back to NCHW " + dtype,
                    expected.permute(0, 3, 1, 2),
                    out.permute(0, 3, 1, 2),
                    Tolerance.accumulated(dtype));
            Tensor transposedKernel = kit.upload(k.permute(3, 0, 1, 2), dtype).permute(1, 2, 3, 0);
            kit.assertClose(
                    "conv2d with a permuted kernel view " + dtype,
                    expected,
                    x.conv2d(transposedKernel, new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, 1),
                    Tolerance.accumulated(dtype));
        }
    }

    @Test
    @DisplayName("maxPool2d and avgPool2d match plain loops; SAME never lets padding win or count")
    void poolingForward() {
        int[][][] cases = { // {input shape}, {pool}, {strides}
            {{2, 7, 5, 3}, {2, 2}, {2, 2}},
            {{2, 7, 5, 3}, {3, 3}, {2, 2}},
            {{1, 6, 6, 1}, {3, 3}, {1, 1}},
            {{2, 5, 7, 2}, {2, 3}, {1, 2}},
            {{1, 4, 4, 4}, {4, 4}, {4, 4}},
            {{1, 3, 3, 1}, {1, 1}, {1, 1}},
        };
        for (DType dtype : kit.floatTypes) {
            for (int[][] c : cases) {
                for (Padding padding : Padding.values()) {
                    String what = Arrays.toString(c[0]) + " pool " + Arrays.toString(c[1]) + " strides "
                            + Arrays.toString(c[2]) + " " + padding + " " + dtype;
                    // all negative values: a padded 0 would win a max, and a padded cell would shrink a mean
                    HostArray x = kit.random(seed++, new Domain(-3, -0.5, 0, false), dtype, c[0]);
                    Tensor xt = kit.upload(x, dtype);
                    boolean same = padding == Padding.SAME;
                    kit.assertClose(
                            "maxPool2d " + what,
                            Reference.pool2d(x, c[1], c[2], same, true),
                            xt.maxPool2d(c[1], c[2], padding),
                            Tolerance.EXACT);
                    kit.assertClose(
                            "avgPool2d " + what,
                            Reference.pool2d(x, c[1], c[2], same, false),
                            xt.avgPool2d(c[1], c[2], padding),
                            Tolerance.accumulated(dtype));
                }
            }
            HostArray x = random(dtype, 1, 5, 5, 2);
            kit.assertClose(
                    "maxPool2d with strides null takes the pool size " + dtype,
                    Reference.pool2d(x, new int[] {2, 2}, new int[] {2, 2}, false, true),
                    kit.upload(x, dtype).maxPool2d(new int[] {2, 2}, null, Padding.VALID),
                    Tolerance.EXACT);
        }
    }

    @Test
    @DisplayName("pad copies into a filled tensor on any axes; FLOAT and INT32")
    void padForward() {
        int[][][] cases = {
            {{1, 0}, {0, 2}, {1, 1}},
            {{0, 0}, {0, 0}, {0, 0}},
            {{2, 3}, {0, 0}, {0, 1}},
        };
        for (DType dtype : kit.floatTypes) {
            for (int[][] widths : cases) {
                for (double value : new double[] {0, -1.5}) {
                    HostArray x = random(dtype, 2, 3, 4);
                    kit.assertExact(
                            "pad " + Arrays.deepToString(widths) + " with " + value + " " + dtype,
                            Reference.pad(x, widths, value),
                            kit.upload(x, dtype).pad(widths, value));
                }
            }
            HostArray image = random(dtype, 1, 3, 3, 2);
            int[][] widths = {{0, 0}, {1, 2}, {2, 1}, {0, 0}};
            kit.assertExact(
                    "pad of an NHWC image " + dtype,
                    Reference.pad(image, widths, 0),
                    kit.upload(image, dtype).pad(widths, 0));
            HostArray column = random(dtype, 4, 1);
            kit.assertExact(
                    "pad of a transposed view " + dtype,
                    Reference.pad(column.t(), new int[][] {{1, 1}, {0, 2}}, 7),
                    kit.upload(column, dtype).t().pad(new int[][] {{1, 1}, {0, 2}}, 7));
        }
        HostArray ints = HostArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        kit.assertExact(
                "pad of INT32",
                Reference.pad(ints, new int[][] {{1, 0}, {0, 1}}, -1),
                kit.upload(ints, DType.INT32).pad(new int[][] {{1, 0}, {0, 1}}, -1));
    }

    @Test
    @DisplayName("conv2d's gradients for the input and the kernel match central differences")
    void conv2dGradients() {
        for (Conv c : GRADIENT) {
            kit.assertGradients(c.toString(), in -> c.apply(in.get(0), in.get(1)), input(c.x()), input(c.kernel()));
        }
        Tensor kernel = input(3, 3, 2, 2);
        kit.assertGradients(
                "conv2d of permuted NCHW data, input only",
                in -> in.get(0)
                        .permute(0, 2, 3, 1)
                        .conv2d(kernel.to(in.get(0).dtype()), new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, 1)
                        .permute(0, 3, 1, 2),
                input(1, 2, 4, 5));
        Tensor x = input(2, 4, 5, 2);
        kit.assertGradients("conv2d, kernel only", in -> x.to(in.get(0).dtype()).conv2d(in.get(0)), input(2, 3, 2, 3));
    }

    @Test
    @DisplayName("maxPool2d routes the gradient to each window's maximum; avgPool2d shares it over valid cells")
    void poolingGradients() {
        int[][][] cases = {
            {{1, 5, 4, 2}, {2, 2}, {2, 2}},
            {{1, 5, 5, 1}, {3, 3}, {2, 2}},
            {{2, 4, 5, 2}, {2, 3}, {1, 1}},
        };
        for (int[][] c : cases) {
            for (Padding padding : Padding.values()) {
                String what = Arrays.toString(c[0]) + " pool " + Arrays.toString(c[1]) + " strides "
                        + Arrays.toString(c[2]) + " " + padding;
                kit.assertGradients(
                        "maxPool2d " + what, in -> in.get(0).maxPool2d(c[1], c[2], padding), distinct(c[0]));
                kit.assertGradients("avgPool2d " + what, in -> in.get(0).avgPool2d(c[1], c[2], padding), input(c[0]));
            }
        }
    }

    @Test
    @DisplayName("maxPool2d's gradient goes to the first maximum of a window on ties")
    void maxPoolTies() {
        for (DType dtype : kit.floatTypes) {
            Tensor x = t.of(new float[] {1, 1, 1, 1}, 1, 2, 2, 1).to(dtype).requiresGrad(true);
            x.maxPool2d(new int[] {2, 2}, null, Padding.VALID).sum().backward();
            kit.assertValues("gradient of a tied 2×2 window " + dtype, new double[] {1, 0, 0, 0}, x.grad(), 0);
            x.close();
        }
    }

    @Test
    @DisplayName("pad's gradient is the gradient's interior")
    void padGradients() {
        kit.assertGradients(
                "pad {{1, 0}, {0, 2}, {1, 1}}",
                in -> in.get(0).pad(new int[][] {{1, 0}, {0, 2}, {1, 1}}, 0.5),
                input(2, 3, 2));
        kit.assertGradients(
                "pad then conv2d (explicit padding)",
                in -> in.get(0)
                        .pad(new int[][] {{0, 0}, {1, 1}, {2, 0}, {0, 0}}, 0)
                        .conv2d(in.get(1)),
                input(1, 3, 3, 2),
                input(2, 2, 2, 2));
    }
}
