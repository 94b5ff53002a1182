package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.conformance.Kit.Layout;
import dev.nabla.conformance.Kit.Operand;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Views (reshape, permute, slice, broadcastTo, squeeze/unsqueeze) and copies (contiguous, concat, stack, to). */
abstract class ViewSpec extends Spec {

    protected ViewSpec(Kit kit) {
        super(kit);
    }

    private long seed = 1400;

    private Operand operand(Layout layout, DType dtype, int... shape) {
        return kit.operand(layout, dtype, Domain.ANY, seed++, shape);
    }

    @Test
    @DisplayName("reshape of a contiguous tensor is a view sharing its buffer; of a strided one a copy; −1 is inferred")
    void reshape() {
        for (DType dtype : kit.floatTypes) {
            Operand x = operand(Layout.CONTIGUOUS, dtype, 6, 10);
            Tensor r = x.tensor().reshape(3, -1, 4);
            kit.assertExact("reshape(3, −1, 4) of " + x.describe(), x.host().reshape(3, 5, 4), r);
            x.tensor().assign(t.zeros(dtype, 6, 10));
            kit.assertExact("a reshaped view sees writes to its base", HostArray.of(new double[60], 3, 5, 4), r);
            for (Layout layout : new Layout[] {Layout.TRANSPOSED, Layout.STRIDED, Layout.BROADCAST}) {
                Operand y = operand(layout, dtype, 6, 10);
                kit.assertExact(
                        "reshape(−1) of " + y.describe(),
                        y.host().reshape(60),
                        y.tensor().reshape(-1));
                kit.assertExact(
                        "flatten of " + y.describe(), y.host(), y.tensor().flatten());
            }
            kit.assertExact(
                    "reshape of a scalar to [1, 1]",
                    HostArray.of(new double[] {2}, 1, 1),
                    t.full(dtype, 2).reshape(1, 1));
            kit.assertShape(
                    "reshape of an empty tensor",
                    new int[] {0, 5},
                    t.zeros(dtype, 5, 0).reshape(0, 5));
        }
    }

    @Test
    @DisplayName("permute, transpose and t() reorder axes without copying (every permutation of rank 3)")
    void permute() {
        int[][] permutations = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (DType dtype : kit.floatTypes) {
            for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.STRIDED}) {
                Operand x = operand(layout, dtype, 2, 3, 5);
                for (int[] p : permutations) {
                    kit.assertExact(
                            "permute" + Arrays.toString(p) + " of " + x.describe(),
                            x.host().permute(p),
                            x.tensor().permute(p));
                }
                kit.assertExact(
                        "transpose(0, −1) of " + x.describe(),
                        x.host().permute(2, 1, 0),
                        x.tensor().transpose(0, -1));
                kit.assertExact(
                        "t() of " + x.describe(), x.host().t(), x.tensor().t());
                kit.assertExact(
                        "t().t() of " + x.describe(), x.host(), x.tensor().t().t());
            }
        }
    }

    @Test
    @DisplayName("slice with steps, negative bounds, past-the-end bounds and empty ranges; select removes the axis")
    void slice() {
        for (DType dtype : kit.floatTypes) {
            Operand x = operand(Layout.CONTIGUOUS, dtype, 7, 13);
            Tensor v = x.tensor();
            kit.assertExact("slice(1, 2, 11, 3)", x.host().slice(1, 2, 11, 3), v.slice(1, 2, 11, 3));
            kit.assertExact("slice(0, −3, 7)", x.host().slice(0, 4, 7, 1), v.slice(0, -3, 7));
            kit.assertExact("slice(0, 1, 100, 2)", x.host().slice(0, 1, 7, 2), v.slice(0, 1, 100, 2));
            kit.assertExact("slice(1, 0, −1, 5)", x.host().slice(1, 0, 12, 5), v.slice(1, 0, -1, 5));
            kit.assertShape("slice(1, 5, 5) is empty", new int[] {7, 0}, v.slice(1, 5, 5));
            kit.assertShape("slice(1, 9, 2) is empty", new int[] {7, 0}, v.slice(1, 9, 2));
            kit.assertExact(
                    "slice of a slice of a transpose",
                    x.host().t().slice(0, 1, 13, 2).slice(1, 1, 7, 3),
                    v.t().slice(0, 1, 13, 2).slice(1, 1, 7, 3));
            kit.assertExact("select(0, 2)", x.host().slice(0, 2, 3, 1).reshape(13), v.select(0, 2));
            kit.assertExact("select(1, −1)", x.host().slice(1, 12, 13, 1).reshape(7), v.select(1, -1));
            kit.assertExact(
                    "select of a row, then of an element, is rank 0",
                    HostArray.scalar(x.host().get(3, 4)),
                    v.select(0, 3).select(0, 4));
        }
    }

    @Test
    @DisplayName(
            "broadcastTo repeats along extent-1 and new leading axes; squeeze and unsqueeze add and remove extent-1 axes")
    void broadcastSqueezeUnsqueeze() {
        for (DType dtype : kit.floatTypes) {
            Operand column = operand(Layout.CONTIGUOUS, dtype, 3, 1);
            kit.assertExact(
                    "broadcastTo([2, 3, 4]) of " + column.describe(),
                    column.host().broadcastTo(2, 3, 4),
                    column.tensor().broadcastTo(2, 3, 4));
            Operand scalar = operand(Layout.CONTIGUOUS, dtype);
            kit.assertExact(
                    "broadcastTo([5]) of a scalar",
                    scalar.host().broadcastTo(5),
                    scalar.tensor().broadcastTo(5));
            kit.assertShape(
                    "broadcastTo([0, 3]) of [1, 3]",
                    new int[] {0, 3},
                    t.ones(dtype, 1, 3).broadcastTo(0, 3));
            Operand x = operand(Layout.STRIDED, dtype, 1, 4, 1, 3);
            kit.assertExact(
                    "squeeze() of " + x.describe(),
                    x.host().reshape(4, 3),
                    x.tensor().squeeze());
            kit.assertExact(
                    "squeeze(2) of " + x.describe(),
                    x.host().reshape(1, 4, 3),
                    x.tensor().squeeze(2));
            kit.assertExact(
                    "squeeze(0, −2) of " + x.describe(),
                    x.host().reshape(4, 3),
                    x.tensor().squeeze(0, -2));
            Operand y = operand(Layout.TRANSPOSED, dtype, 4, 3);
            kit.assertExact(
                    "unsqueeze(0)", y.host().reshape(1, 4, 3), y.tensor().unsqueeze(0));
            kit.assertExact(
                    "unsqueeze(1)", y.host().reshape(4, 1, 3), y.tensor().unsqueeze(1));
            kit.assertExact(
                    "unsqueeze(−1)", y.host().reshape(4, 3, 1), y.tensor().unsqueeze(-1));
            kit.assertExact(
                    "unsqueeze then broadcast",
                    y.host().reshape(4, 1, 3).broadcastTo(4, 2, 3),
                    y.tensor().unsqueeze(1).broadcastTo(4, 2, 3));
        }
    }

    @Test
    @DisplayName("contiguous and copy give exact contiguous copies of every layout; copy does not share the buffer")
    void contiguousAndCopy() {
        for (DType dtype : kit.floatTypes) {
            for (Layout layout : Layout.values()) {
                Operand x = operand(layout, dtype, 7, 13);
                Tensor c = x.tensor().contiguous();
                kit.assertTrue("contiguous() of " + x.describe() + " is contiguous", c.isContiguous());
                kit.assertExact("contiguous() of " + x.describe(), x.host(), c);
                kit.assertExact(
                        "copy() of " + x.describe(), x.host(), x.tensor().copy());
            }
            Operand x = operand(Layout.CONTIGUOUS, dtype, 4, 5);
            Tensor copy = x.tensor().copy();
            x.tensor().assign(t.zeros(dtype, 4, 5));
            kit.assertExact("a copy keeps its values when the original changes", x.host(), copy);
        }
    }

    @Test
    @DisplayName(
            "assign from a view of the target's own storage reads the source as it was: x.assign(x.t()), a shifted slice")
    void assignFromAViewOfItself() {
        for (DType dtype : kit.floatTypes) {
            for (int n : new int[] {3, 1024}) { // 1024²: large enough for the CPU backend's tiled walk
                double[] values = new double[n * n];
                for (int i = 0; i < values.length; i++) {
                    values[i] = i % 1000;
                }
                HostArray square = HostArray.of(values, n, n);
                Tensor x = t.of(values, n, n).to(dtype);
                x.assign(x.t());
                kit.assertExact("x.assign(x.t()) of a " + n + "×" + n + " " + dtype, square.t(), x);
            }
            double[] line = {1, 2, 3, 4, 5, 6};
            Tensor v = t.of(line, 6).to(dtype);
            v.slice(0, 0, 5).assign(v.slice(0, 1, 6));
            kit.assertExact("v[0:5].assign(v[1:6])", HostArray.of(new double[] {2, 3, 4, 5, 6, 6}, 6), v);
            Tensor w = t.of(line, 6).to(dtype);
            w.slice(0, 1, 6).assign(w.slice(0, 0, 5));
            kit.assertExact("v[1:6].assign(v[0:5])", HostArray.of(new double[] {1, 1, 2, 3, 4, 5}, 6), w);
        }
    }

    @Test
    @DisplayName("concat along each axis and stack along a new axis, from inputs of mixed layouts")
    void concatAndStack() {
        for (DType dtype : kit.floatTypes) {
            for (int axis = 0; axis < 3; axis++) {
                List<HostArray> hosts = new ArrayList<>();
                List<Tensor> tensors = new ArrayList<>();
                Layout[] layouts = {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.STRIDED};
                for (int i = 0; i < 3; i++) {
                    int[] shape = {2, 3, 4};
                    shape[axis] = i + 1;
                    Operand part = operand(layouts[i], dtype, shape);
                    hosts.add(part.host());
                    tensors.add(part.tensor());
                }
                kit.assertExact(
                        "concat along " + axis + " of mixed layouts",
                        Reference.concat(hosts, axis),
                        Tensor.concat(tensors, axis));
            }
            kit.assertExact(
                    "concat with an empty part",
                    HostArray.of(new double[] {1, 1, 1}, 3),
                    Tensor.concat(List.of(t.ones(dtype, 3), t.zeros(dtype, 0)), 0));
            for (int axis = 0; axis <= 2; axis++) {
                List<HostArray> hosts = new ArrayList<>();
                List<Tensor> tensors = new ArrayList<>();
                for (Layout layout :
                        new Layout[] {Layout.CONTIGUOUS, Layout.BROADCAST, Layout.TRANSPOSED, Layout.STRIDED}) {
                    Operand part = operand(layout, dtype, 3, 4);
                    hosts.add(part.host());
                    tensors.add(part.tensor());
                }
                kit.assertExact("stack along " + axis, Reference.stack(hosts, axis), Tensor.stack(tensors, axis));
            }
            kit.assertExact(
                    "stack of scalars",
                    HostArray.of(new double[] {1, 2}, 2),
                    Tensor.stack(List.of(t.full(dtype, 1), t.full(dtype, 2)), 0));
        }
    }

    @Test
    @DisplayName("to(dtype) converts between FLOAT32, FLOAT64 and INT32 (toward zero) from any layout")
    void conversions() {
        List<DType> types = new ArrayList<>(kit.floatTypes);
        types.add(DType.INT32);
        for (DType from : kit.floatTypes) {
            Operand x = kit.operand(Layout.TRANSPOSED, from, new Domain(-5, 5, 0, false), seed++, 7, 13);
            for (DType to : types) {
                Tensor converted = x.tensor().to(to);
                kit.assertEquals("to(" + to + ") dtype", to, converted.dtype());
                kit.assertExact(
                        from + " " + x.describe() + " to " + to, x.host().roundedTo(to), converted);
            }
        }
        HostArray ints = HostArray.of(new double[] {-7, 0, 3, 16777217}, 4);
        for (DType to : kit.floatTypes) {
            kit.assertExact(
                    "INT32 to " + to,
                    ints.roundedTo(to),
                    kit.upload(ints, DType.INT32).to(to));
        }
    }

    @Test
    @DisplayName("assign writes a broadcast source into a strided window of another tensor")
    void assign() {
        for (DType dtype : kit.floatTypes) {
            Tensor target = t.zeros(dtype, 4, 6);
            Operand row = operand(Layout.CONTIGUOUS, dtype, 3);
            target.slice(1, 0, 6, 2).assign(row.tensor());
            double[] expected = new double[24];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 3; c++) {
                    expected[r * 6 + 2 * c] = row.host().data[c];
                }
            }
            kit.assertExact("a row assigned to every second column", HostArray.of(expected, 4, 6), target);
        }
    }
}
