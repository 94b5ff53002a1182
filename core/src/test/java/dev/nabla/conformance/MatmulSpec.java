package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.conformance.Kit.Domain;
import dev.nabla.conformance.Kit.Layout;
import dev.nabla.conformance.Kit.Operand;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** matmul with numpy semantics, against the reference's triple loop. */
abstract class MatmulSpec extends Spec {

    protected MatmulSpec(Kit kit) {
        super(kit);
    }

    private long seed = 700;

    private void check(String what, Operand a, Operand b, DType dtype) {
        kit.assertClose(
                what + ": " + a.describe() + " · " + b.describe(),
                Reference.matmul(a.host(), b.host()),
                a.tensor().matmul(b.tensor()),
                Tolerance.accumulated(dtype));
    }

    private void check(String what, int[] aShape, Layout aLayout, int[] bShape, Layout bLayout, DType dtype) {
        check(
                what,
                kit.operand(aLayout, dtype, Domain.ANY, seed++, aShape),
                kit.operand(bLayout, dtype, Domain.ANY, seed++, bShape),
                dtype);
    }

    @Test
    @DisplayName("2-D products of odd shapes: primes, single rows and columns, 1 × 1")
    void matrices() {
        for (DType dtype : kit.floatTypes) {
            int[][][] shapes = {
                {{7, 13}, {13, 5}},
                {{1, 1}, {1, 1}},
                {{1, 7}, {7, 1}},
                {{7, 1}, {1, 13}},
                {{3, 17}, {17, 1}},
                {{31, 29}, {29, 37}}
            };
            for (int[][] s : shapes) {
                check("matmul", s[0], Layout.CONTIGUOUS, s[1], Layout.CONTIGUOUS, dtype);
            }
        }
    }

    @Test
    @DisplayName("transposed operands as .t() views, and stepped slices that need a copy")
    void transposedAndStridedOperands() {
        for (DType dtype : kit.floatTypes) {
            for (Layout left : Layout.values()) {
                for (Layout right : Layout.values()) {
                    check("matmul", new int[] {7, 13}, left, new int[] {13, 5}, right, dtype);
                }
            }
            // a column slice with step 2: the row stride is not the column count
            HostArray wide = kit.random(seed++, Domain.ANY, dtype, 6, 26);
            Operand a =
                    new Operand(wide.slice(1, 0, 26, 2), kit.upload(wide, dtype).slice(1, 0, 26, 2), Layout.STRIDED);
            check(
                    "matmul of a column-stepped slice",
                    a,
                    kit.operand(Layout.TRANSPOSED, dtype, Domain.ANY, seed++, 13, 4),
                    dtype);
            // a window of columns [2, 15): unit column stride, row stride 20
            HostArray window = kit.random(seed++, Domain.ANY, dtype, 5, 20);
            Operand w = new Operand(
                    window.slice(1, 2, 15, 1), kit.upload(window, dtype).slice(1, 2, 15), Layout.STRIDED);
            check(
                    "matmul of a column window",
                    w,
                    kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, 13, 3),
                    dtype);
        }
    }

    @Test
    @DisplayName("batched products, broadcast batch axes, and transposed batches")
    void batches() {
        for (DType dtype : kit.floatTypes) {
            check("batched", new int[] {4, 7, 13}, Layout.CONTIGUOUS, new int[] {4, 13, 5}, Layout.CONTIGUOUS, dtype);
            check(
                    "batch against one matrix",
                    new int[] {4, 7, 13},
                    Layout.CONTIGUOUS,
                    new int[] {13, 5},
                    Layout.CONTIGUOUS,
                    dtype);
            check(
                    "one matrix against a batch",
                    new int[] {7, 13},
                    Layout.TRANSPOSED,
                    new int[] {3, 13, 5},
                    Layout.CONTIGUOUS,
                    dtype);
            check(
                    "broadcast batch axes",
                    new int[] {2, 1, 3, 4},
                    Layout.CONTIGUOUS,
                    new int[] {5, 4, 6},
                    Layout.CONTIGUOUS,
                    dtype);
            check(
                    "transposed batches",
                    new int[] {4, 7, 13},
                    Layout.TRANSPOSED,
                    new int[] {4, 13, 5},
                    Layout.TRANSPOSED,
                    dtype);
            check(
                    "a batch broadcast along its batch axis",
                    new int[] {4, 7, 13},
                    Layout.BROADCAST,
                    new int[] {4, 13, 5},
                    Layout.STRIDED,
                    dtype);
            // a permuted batch: [5, 4, 3] stored as [4, 5, 3], batch axis strided by 3
            HostArray stored = kit.random(seed++, Domain.ANY, dtype, 4, 5, 3);
            Operand permuted = new Operand(
                    stored.permute(1, 0, 2), kit.upload(stored, dtype).permute(1, 0, 2), Layout.TRANSPOSED);
            check(
                    "a batch with permuted axes",
                    permuted,
                    kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, 5, 3, 2),
                    dtype);
        }
    }

    @Test
    @DisplayName(
            "1-D operands are promoted and the added axis removed (vector·matrix, matrix·vector, dot, batch·vector)")
    void vectors() {
        for (DType dtype : kit.floatTypes) {
            check("vector · matrix", new int[] {13}, Layout.CONTIGUOUS, new int[] {13, 5}, Layout.CONTIGUOUS, dtype);
            check("matrix · vector", new int[] {7, 13}, Layout.TRANSPOSED, new int[] {13}, Layout.STRIDED, dtype);
            check("dot product", new int[] {13}, Layout.STRIDED, new int[] {13}, Layout.CONTIGUOUS, dtype);
            check("batch · vector", new int[] {4, 7, 13}, Layout.CONTIGUOUS, new int[] {13}, Layout.CONTIGUOUS, dtype);
            check("vector · batch", new int[] {7}, Layout.CONTIGUOUS, new int[] {4, 7, 13}, Layout.CONTIGUOUS, dtype);
        }
    }

    @Test
    @DisplayName("empty products: a 0 inner extent gives zeros, a 0 outer extent an empty result")
    void emptyProducts() {
        for (DType dtype : kit.floatTypes) {
            Tensor a = t.zeros(dtype, 3, 0);
            Tensor b = t.zeros(dtype, 0, 4);
            kit.assertValues("[3, 0] · [0, 4] is a [3, 4] of zeros", new double[12], a.matmul(b), 0);
            kit.assertShape("[3, 0] · [0, 4]", new int[] {3, 4}, a.matmul(b));
            kit.assertShape(
                    "[0, 3] · [3, 4]", new int[] {0, 4}, t.zeros(dtype, 0, 3).matmul(t.ones(dtype, 3, 4)));
            kit.assertShape(
                    "[2, 0, 3] · [3, 4]",
                    new int[] {2, 0, 4},
                    t.zeros(dtype, 2, 0, 3).matmul(t.ones(dtype, 3, 4)));
        }
    }

    @Test
    @DisplayName("large: [1000, 513] · [513, 64] and its transposed form")
    void large() {
        DType dtype = DType.FLOAT32;
        Operand a = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, 1000, 513);
        Operand b = kit.operand(Layout.CONTIGUOUS, dtype, Domain.ANY, seed++, 513, 64);
        check("large", a, b, dtype);
        Operand at = kit.operand(Layout.TRANSPOSED, dtype, Domain.ANY, seed++, 64, 513);
        check("large, transposed left", at, kit.operand(Layout.TRANSPOSED, dtype, Domain.ANY, seed++, 513, 9), dtype);
    }
}
