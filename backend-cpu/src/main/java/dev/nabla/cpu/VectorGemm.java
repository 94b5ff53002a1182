package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM with the Vector API ({@code jdk.incubator.vector}), the pure-Java kernel used when no
 * native BLAS loads. The classic packed scheme: op(B) is packed in blocks of KC rows into strips
 * NR columns wide, op(A) into strips MR rows high, and a register-blocked micro-kernel keeps an
 * MR × NR tile of C in 12 vector registers while it streams both strips (one FMA per register
 * per step of k). Products are split across cores by columns (or rows, when C is narrow); a C at
 * most half a tile wide is computed transposed, so that its long side runs along the vectors. The
 * splitting, blocking and packing are written once for both precisions; a {@link Precision}
 * supplies what depends on the element type (the strided copies and the micro-kernel), each leaf
 * monomorphic, so only the call into a leaf sees both types.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}); {@link Gemm} falls back to {@link ScalarGemm}
 * otherwise.
 */
final class VectorGemm implements GemmKernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final int DL = DS.length();
    private static final int MR = 6;
    private static final int KC = 256;
    private static final int MC = 120;
    private static final Floats FLOATS = new Floats();
    private static final Doubles DOUBLES = new Doubles();

    @Override
    public String description() {
        return "pure Java (Vector API, " + FS.vectorBitSize() + "-bit vectors, " + MR + "×" + FLOATS.nr
                + " float micro-kernel)";
    }

    @Override
    public void gemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            Object a,
            int aOff,
            int lda,
            Object b,
            int bOff,
            int ldb,
            Object c,
            int cOff,
            int ldc,
            boolean parallel) {
        product(precision(c), ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, parallel);
    }

    /** The precision of an array, typed as any array: its leaves cast, so mixed precisions fail. */
    @SuppressWarnings("unchecked")
    private static Precision<Object> precision(Object c) {
        return (Precision<Object>) (Precision<?>) (c instanceof float[] ? FLOATS : DOUBLES);
    }

    // ---------------------------------------------------------------- the scheme, for either precision

    private static <A> void product(
            Precision<A> t,
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            A a,
            int aOff,
            int lda,
            A b,
            int bOff,
            int ldb,
            A c,
            int cOff,
            int ldc,
            boolean parallel) {
        if (2 * n <= t.nr && m >= t.nr) {
            // C is narrow (a classifier's 10 outputs): its rows would fill a fraction of each tile. Compute
            // Cᵀ = op(B)ᵀ·op(A)ᵀ instead, whose rows are long, and transpose it: the same sums in the same order.
            A transposed = t.scratch(3, (long) n * m);
            product(t, !tb, !ta, n, m, k, b, bOff, ldb, a, aOff, lda, transposed, 0, m, parallel);
            t.copy(transposed, 0, m, c, cOff, 1, ldc, n, m);
            return;
        }
        long work = parallel ? (long) m * n * k : 0;
        if (n >= 2 * t.nr * Parallel.THREADS || n >= m) {
            Parallel.split(
                    n,
                    work,
                    Gemm.PARALLEL_WORK,
                    t.nr,
                    (from, to) -> block(t, ta, tb, 0, m, from, to, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
        } else {
            Parallel.split(
                    m,
                    work,
                    Gemm.PARALLEL_WORK,
                    MR,
                    (from, to) -> block(t, ta, tb, from, to, 0, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
        }
    }

    /** C[m0:m1, n0:n1] on the calling thread. */
    private static <A> void block(
            Precision<A> t,
            boolean ta,
            boolean tb,
            int m0,
            int m1,
            int n0,
            int n1,
            int k,
            A a,
            int aOff,
            int lda,
            A b,
            int bOff,
            int ldb,
            A c,
            int cOff,
            int ldc) {
        int nr = t.nr;
        A ap = t.scratch(0, (long) MC * KC);
        A bp = t.scratch(1, (long) KC * t.nc);
        A tile = t.scratch(2, (long) MR * nr);
        for (int jc = n0; jc < n1; jc += t.nc) {
            int nc = Math.min(t.nc, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(t, b, bOff, ldb, tb, pc, kc, jc, nc, bp);
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    packA(t, a, aOff, lda, ta, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int w = Math.min(nr, nc - jr);
                        int bBase = jr * kc; // strip jr / NR starts at (jr / NR) · kc · NR
                        for (int ir = 0; ir < mc; ir += MR) {
                            int h = Math.min(MR, mc - ir);
                            int cIndex = cOff + (ic + ir) * ldc + jc + jr;
                            t.kernel(ap, ir * kc, bp, bBase, kc, c, cIndex, ldc, h, w, pc == 0, tile);
                        }
                    }
                }
            }
        }
    }

    /** op(B)[pc:pc+kc, jc:jc+nc] into strips of NR columns, each kc × NR row-major, zero-padded. */
    private static <A> void packB(
            Precision<A> t, A b, int bOff, int ldb, boolean tb, int pc, int kc, int jc, int nc, A bp) {
        int nr = t.nr;
        for (int jr = 0; jr < nc; jr += nr) {
            int w = Math.min(nr, nc - jr);
            int base = jr * kc;
            int j0 = jc + jr;
            if (!tb) { // row p of the strip from row pc + p of B
                t.copy(b, bOff + pc * ldb + j0, ldb, bp, base, nr, 1, kc, w);
                t.zero(bp, base + w, nr, 1, kc, nr - w);
            } else { // column j of the strip from row j0 + j of the stored Bᵀ
                t.copy(b, bOff + j0 * ldb + pc, ldb, bp, base, 1, nr, w, kc);
                t.zero(bp, base + w, 1, nr, nr - w, kc);
            }
        }
    }

    /** op(A)[ic:ic+mc, pc:pc+kc] into strips of MR rows, each kc × MR (column of the strip per step), zero-padded. */
    private static <A> void packA(
            Precision<A> t, A a, int aOff, int lda, boolean ta, int ic, int mc, int pc, int kc, A ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int h = Math.min(MR, mc - ir);
            int base = ir * kc;
            int i0 = ic + ir;
            if (!ta) { // row r of the strip from row i0 + r of A
                t.copy(a, aOff + i0 * lda + pc, lda, ap, base, 1, MR, h, kc);
                t.zero(ap, base + h, 1, MR, MR - h, kc);
            } else { // step p of the strip from row pc + p of the stored Aᵀ
                t.copy(a, aOff + pc * lda + i0, lda, ap, base, MR, 1, kc, h);
                t.zero(ap, base + h, MR, 1, kc, MR - h);
            }
        }
    }

    /**
     * What differs between the precisions: the arrays, the tile width, and the leaves the shared
     * scheme calls: two strided copies for packing and the micro-kernel, each monomorphic in its
     * element type.
     */
    private abstract static class Precision<A> {
        /** Columns of a micro-tile: two vectors. */
        final int nr;
        /** Columns of B packed at once: KC × nc elements, about 512 KiB, stay in L2. */
        final int nc;

        Precision(int lanes, int packedColumns) {
            nr = 2 * lanes;
            nc = Math.max(nr, packedColumns / nr * nr);
        }

        /** A scratch array of the calling thread ({@link Scratch}). */
        abstract A scratch(int slot, long size);

        /**
         * dst[d + r·dRow + j·dCol] = src[s + r·sRow + j] for r &lt; rows, j &lt; cols: each row of the
         * source read front to back, into rows or columns of a strip.
         */
        abstract void copy(A src, int s, int sRow, A dst, int d, int dRow, int dCol, int rows, int cols);

        /** dst[d + r·dRow + j·dCol] = 0 for r &lt; rows, j &lt; cols. */
        abstract void zero(A dst, int d, int dRow, int dCol, int rows, int cols);

        /** The MR × NR tile of C at cIndex (h rows and w columns of it valid): C = (first ? 0 : C) + Ap · Bp. */
        abstract void kernel(
                A ap, int a0, A bp, int bBase, int kc, A c, int cIndex, int ldc, int h, int w, boolean first, A tile);
    }

    // ---------------------------------------------------------------- float

    private static final class Floats extends Precision<float[]> {
        private static final int NR = 2 * FL;

        Floats() {
            super(FL, 512);
        }

        @Override
        float[] scratch(int slot, long size) {
            return Scratch.floats(slot, size);
        }

        @Override
        void copy(float[] src, int s, int sRow, float[] dst, int d, int dRow, int dCol, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int from = s + r * sRow, to = d + r * dRow;
                if (dCol == 1 && cols > MR) {
                    System.arraycopy(src, from, dst, to, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        dst[to + j * dCol] = src[from + j];
                    }
                }
            }
        }

        @Override
        void zero(float[] dst, int d, int dRow, int dCol, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    dst[d + r * dRow + j * dCol] = 0f;
                }
            }
        }

        @Override
        void kernel(
                float[] ap,
                int a0,
                float[] bp,
                int bBase,
                int kc,
                float[] c,
                int cIndex,
                int ldc,
                int h,
                int w,
                boolean first,
                float[] tile) {
            FloatVector c00 = FloatVector.zero(FS);
            FloatVector c01 = FloatVector.zero(FS);
            FloatVector c10 = FloatVector.zero(FS);
            FloatVector c11 = FloatVector.zero(FS);
            FloatVector c20 = FloatVector.zero(FS);
            FloatVector c21 = FloatVector.zero(FS);
            FloatVector c30 = FloatVector.zero(FS);
            FloatVector c31 = FloatVector.zero(FS);
            FloatVector c40 = FloatVector.zero(FS);
            FloatVector c41 = FloatVector.zero(FS);
            FloatVector c50 = FloatVector.zero(FS);
            FloatVector c51 = FloatVector.zero(FS);
            for (int p = 0; p < kc; p++) {
                int ai = a0 + p * MR,
                        bi = bBase + p * NR; // indices linear in p, so the JIT can hoist the bounds checks
                FloatVector b0 = FloatVector.fromArray(FS, bp, bi);
                FloatVector b1 = FloatVector.fromArray(FS, bp, bi + FL);
                FloatVector x = FloatVector.broadcast(FS, ap[ai]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(FS, ap[ai + 1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(FS, ap[ai + 2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(FS, ap[ai + 3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(FS, ap[ai + 4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(FS, ap[ai + 5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
            }
            // Stored here rather than in a helper: a vector passed to a call that the JIT does not inline (it
            // declines to inline code it already compiled big) is boxed on the heap, which made the product 4x slower.
            if (h == MR && w == NR) {
                if (!first) {
                    c00 = c00.add(FloatVector.fromArray(FS, c, cIndex));
                    c01 = c01.add(FloatVector.fromArray(FS, c, cIndex + FL));
                    c10 = c10.add(FloatVector.fromArray(FS, c, cIndex + ldc));
                    c11 = c11.add(FloatVector.fromArray(FS, c, cIndex + ldc + FL));
                    c20 = c20.add(FloatVector.fromArray(FS, c, cIndex + 2 * ldc));
                    c21 = c21.add(FloatVector.fromArray(FS, c, cIndex + 2 * ldc + FL));
                    c30 = c30.add(FloatVector.fromArray(FS, c, cIndex + 3 * ldc));
                    c31 = c31.add(FloatVector.fromArray(FS, c, cIndex + 3 * ldc + FL));
                    c40 = c40.add(FloatVector.fromArray(FS, c, cIndex + 4 * ldc));
                    c41 = c41.add(FloatVector.fromArray(FS, c, cIndex + 4 * ldc + FL));
                    c50 = c50.add(FloatVector.fromArray(FS, c, cIndex + 5 * ldc));
                    c51 = c51.add(FloatVector.fromArray(FS, c, cIndex + 5 * ldc + FL));
                }
                c00.intoArray(c, cIndex);
                c01.intoArray(c, cIndex + FL);
                c10.intoArray(c, cIndex + ldc);
                c11.intoArray(c, cIndex + ldc + FL);
                c20.intoArray(c, cIndex + 2 * ldc);
                c21.intoArray(c, cIndex + 2 * ldc + FL);
                c30.intoArray(c, cIndex + 3 * ldc);
                c31.intoArray(c, cIndex + 3 * ldc + FL);
                c40.intoArray(c, cIndex + 4 * ldc);
                c41.intoArray(c, cIndex + 4 * ldc + FL);
                c50.intoArray(c, cIndex + 5 * ldc);
                c51.intoArray(c, cIndex + 5 * ldc + FL);
                return;
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, FL);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + FL);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + FL);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + FL);
            c40.intoArray(tile, 4 * NR);
            c41.intoArray(tile, 4 * NR + FL);
            c50.intoArray(tile, 5 * NR);
            c51.intoArray(tile, 5 * NR + FL);
            for (int r = 0; r < h; r++) {
                int row = cIndex + r * ldc;
                for (int j = 0; j < w; j++) {
                    c[row + j] = first ? tile[r * NR + j] : c[row + j] + tile[r * NR + j];
                }
            }
        }
    }

    // ---------------------------------------------------------------- double (the same leaves)

    private static final class Doubles extends Precision<double[]> {
        private static final int NR = 2 * DL;

        Doubles() {
            super(DL, 256);
        }

        @Override
        double[] scratch(int slot, long size) {
            return Scratch.doubles(slot, size);
        }

        @Override
        void copy(double[] src, int s, int sRow, double[] dst, int d, int dRow, int dCol, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int from = s + r * sRow, to = d + r * dRow;
                if (dCol == 1 && cols > MR) {
                    System.arraycopy(src, from, dst, to, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        dst[to + j * dCol] = src[from + j];
                    }
                }
            }
        }

        @Override
        void zero(double[] dst, int d, int dRow, int dCol, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    dst[d + r * dRow + j * dCol] = 0.0;
                }
            }
        }

        @Override
        void kernel(
                double[] ap,
                int a0,
                double[] bp,
                int bBase,
                int kc,
                double[] c,
                int cIndex,
                int ldc,
                int h,
                int w,
                boolean first,
                double[] tile) {
            DoubleVector c00 = DoubleVector.zero(DS);
            DoubleVector c01 = DoubleVector.zero(DS);
            DoubleVector c10 = DoubleVector.zero(DS);
            DoubleVector c11 = DoubleVector.zero(DS);
            DoubleVector c20 = DoubleVector.zero(DS);
            DoubleVector c21 = DoubleVector.zero(DS);
            DoubleVector c30 = DoubleVector.zero(DS);
            DoubleVector c31 = DoubleVector.zero(DS);
            DoubleVector c40 = DoubleVector.zero(DS);
            DoubleVector c41 = DoubleVector.zero(DS);
            DoubleVector c50 = DoubleVector.zero(DS);
            DoubleVector c51 = DoubleVector.zero(DS);
            for (int p = 0; p < kc; p++) {
                int ai = a0 + p * MR,
                        bi = bBase + p * NR; // indices linear in p, so the JIT can hoist the bounds checks
                DoubleVector b0 = DoubleVector.fromArray(DS, bp, bi);
                DoubleVector b1 = DoubleVector.fromArray(DS, bp, bi + DL);
                DoubleVector x = DoubleVector.broadcast(DS, ap[ai]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = DoubleVector.broadcast(DS, ap[ai + 1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = DoubleVector.broadcast(DS, ap[ai + 2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = DoubleVector.broadcast(DS, ap[ai + 3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = DoubleVector.broadcast(DS, ap[ai + 4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = DoubleVector.broadcast(DS, ap[ai + 5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
            }
            // stored here, not in a helper, as in the float kernel (a vector passed to a call is boxed)
            if (h == MR && w == NR) {
                if (!first) {
                    c00 = c00.add(DoubleVector.fromArray(DS, c, cIndex));
                    c01 = c01.add(DoubleVector.fromArray(DS, c, cIndex + DL));
                    c10 = c10.add(DoubleVector.fromArray(DS, c, cIndex + ldc));
                    c11 = c11.add(DoubleVector.fromArray(DS, c, cIndex + ldc + DL));
                    c20 = c20.add(DoubleVector.fromArray(DS, c, cIndex + 2 * ldc));
                    c21 = c21.add(DoubleVector.fromArray(DS, c, cIndex + 2 * ldc + DL));
                    c30 = c30.add(DoubleVector.fromArray(DS, c, cIndex + 3 * ldc));
                    c31 = c31.add(DoubleVector.fromArray(DS, c, cIndex + 3 * ldc + DL));
                    c40 = c40.add(DoubleVector.fromArray(DS, c, cIndex + 4 * ldc));
                    c41 = c41.add(DoubleVector.fromArray(DS, c, cIndex + 4 * ldc + DL));
                    c50 = c50.add(DoubleVector.fromArray(DS, c, cIndex + 5 * ldc));
                    c51 = c51.add(DoubleVector.fromArray(DS, c, cIndex + 5 * ldc + DL));
                }
                c00.intoArray(c, cIndex);
                c01.intoArray(c, cIndex + DL);
                c10.intoArray(c, cIndex + ldc);
                c11.intoArray(c, cIndex + ldc + DL);
                c20.intoArray(c, cIndex + 2 * ldc);
                c21.intoArray(c, cIndex + 2 * ldc + DL);
                c30.intoArray(c, cIndex + 3 * ldc);
                c31.intoArray(c, cIndex + 3 * ldc + DL);
                c40.intoArray(c, cIndex + 4 * ldc);
                c41.intoArray(c, cIndex + 4 * ldc + DL);
                c50.intoArray(c, cIndex + 5 * ldc);
                c51.intoArray(c, cIndex + 5 * ldc + DL);
                return;
            }
            c00.intoArray(tile, 0);
            c01.intoArray(tile, DL);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + DL);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + DL);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + DL);
            c40.intoArray(tile, 4 * NR);
            c41.intoArray(tile, 4 * NR + DL);
            c50.intoArray(tile, 5 * NR);
            c51.intoArray(tile, 5 * NR + DL);
            for (int r = 0; r < h; r++) {
                int row = cIndex + r * ldc;
                for (int j = 0; j < w; j++) {
                    c[row + j] = first ? tile[r * NR + j] : c[row + j] + tile[r * NR + j];
                }
            }
        }
    }
}
