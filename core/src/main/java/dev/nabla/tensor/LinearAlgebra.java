package dev.nabla.tensor;

import dev.nabla.backend.View;
import java.util.Arrays;

/** Matrix products, dispatched to the backend's batched GEMM with transposes instead of copies. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static Tensor matmul(Tensor a, Tensor b) {
        Checks.compatible("matmul", a, b);
        Checks.floating("matmul", a);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: operands need rank ≥ 1, got shapes "
                    + Shapes.str(a.view.shape()) + " and " + Shapes.str(b.view.shape()) + " (use mul for scalars)");
        }
        if (a.rank() == 1 || b.rank() == 1) {
            // numpy: promote a vector to a row (left) or a column (right), then drop the added axes
            Tensor left = a.rank() == 1 ? a.unsqueeze(0) : a;
            Tensor right = b.rank() == 1 ? b.unsqueeze(1) : b;
            Tensor product = matmul(left, right);
            int[] ps = product.view.shape();
            int[] shape;
            if (a.rank() == 1 && b.rank() == 1) {
                shape = Arrays.copyOf(ps, ps.length - 2);
            } else if (a.rank() == 1) {
                shape = Arrays.copyOf(ps, ps.length - 1);
                shape[shape.length - 1] = ps[ps.length - 1];
            } else {
                shape = Arrays.copyOf(ps, ps.length - 1);
            }
            Tensor out = product.reshape(shape);
            closeUnlessTracked(left == a ? null : left, right == b ? null : right, product);
            return out;
        }
        int[] as = a.view.shape();
        int[] bs = b.view.shape();
        int m = as[as.length - 2], k = as[as.length - 1];
        int k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(as) + " and " + Shapes.str(bs)
                    + " do not chain: the first has " + k + " columns, the second " + k2
                    + " rows; expected [.., m, k] · [.., k, n]");
        }
        int[] batch = Shapes.broadcast(
                "matmul (batch axes)", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int batchCount = (int) Shapes.size(batch);
        Tensor out = Tensor.empty(a.backend(), a.dtype(), Tensor.concatShape(batch, m, n));
        if (out.size() > 0) {
            if (k == 0) {
                a.backend().fill(out.view, 0);
            } else {
                Operand left = operand(a, batch, batchCount);
                Operand right = operand(b, batch, batchCount);
                View result = new View(
                        out.view.buffer(), out.dtype(), 0, new int[] {batchCount, m, n}, new long[] {(long) m * n, n, 1
                        });
                a.backend().matmul(left.view, left.transposed, right.view, right.transposed, result);
                left.close();
                right.close();
            }
        }
        NanCheck.check("matmul", out, a, b);
        if (Autograd.needed(a, b)) {
            Autograd.record(out, "matmul", new Tensor[] {a, b}, g -> new Tensor[] {
                a.tracksGrad() ? Elementwise.sumTo(g.matmul(b.t()), a) : null,
                b.tracksGrad() ? Elementwise.sumTo(a.t().matmul(g), b) : null
            });
        }
        return out;
    }

    private static void closeUnlessTracked(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && !t.tracksGrad()) {
                t.close();
            }
        }
    }

    /** A GEMM operand: a rank-3 stored view [batch, rows, cols] with unit column stride, and whether it is transposed. */
    private record Operand(View view, boolean transposed, Tensor temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (temporary != null) {
                temporary.close();
            }
        }
    }

    private static Operand operand(Tensor x, int[] batch, int batchCount) {
        int[] shape = x.view.shape();
        int rows = shape[shape.length - 2], cols = shape[shape.length - 1];
        View expanded = Elementwise.expand(x.view, Tensor.concatShape(batch, rows, cols));
        long[] strides = expanded.strides();
        int r = strides.length;
        long rowStride = rows == 1 ? Math.max(cols, 1) : strides[r - 2];
        long colStride = cols == 1 ? 1 : strides[r - 1];
        Long batchStride = batchStride(expanded, batch);
        if (batchStride != null) {
            if (colStride == 1 && rowStride >= cols) {
                return new Operand(
                        new View(
                                expanded.buffer(),
                                x.dtype(),
                                expanded.offset(),
                                new int[] {batchCount, rows, cols},
                                new long[] {batchStride, rowStride, 1}),
                        false,
                        null);
            }
            long tRowStride = cols == 1 ? Math.max(rows, 1) : strides[r - 1];
            long tColStride = rows == 1 ? 1 : strides[r - 2];
            if (tColStride == 1 && tRowStride >= rows) { // a transposed row-major matrix
                return new Operand(
                        new View(
                                expanded.buffer(),
                                x.dtype(),
                                expanded.offset(),
                                new int[] {batchCount, cols, rows},
                                new long[] {batchStride, tRowStride, 1}),
                        true,
                        null);
            }
        }
        Tensor copy = Tensor.empty(x.backend(), x.dtype(), expanded.shape());
        x.backend().copy(expanded, copy.view);
        return new Operand(
                new View(copy.view.buffer(), x.dtype(), 0, new int[] {batchCount, rows, cols}, new long[] {
                    (long) rows * cols, cols, 1
                }),
                false,
                copy);
    }

    /** The single stride that walks all batch axes in row-major order, or null if there is none. */
    private static Long batchStride(View v, int[] batch) {
        if (batch.length == 0) {
            return 0L;
        }
        long[] strides = v.strides();
        Long stride = null;
        long expected = -1;
        for (int i = batch.length - 1; i >= 0; i--) {
            if (batch[i] == 1) {
                continue;
            }
            if (stride == null) {
                stride = strides[i];
                expected = strides[i] * batch[i];
            } else if (stride == 0 ? strides[i] != 0 : strides[i] != expected) {
                return null;
            } else {
                expected = strides[i] * batch[i];
            }
        }
        return stride == null ? 0L : stride;
    }
}
