package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM with the Vector API ({@code jdk.incubator.vector}), the pure-Java kernel used when no
 * native BLAS loads. The classic packed scheme: op(B) is packed in blocks of KC rows into strips
 * NR columns wide, op(A) into strips MR rows high, and a register-blocked micro-kernel keeps an
 * MR × NR tile of C in 12 vector registers while it streams both strips (one FMA per register
 * per step of k). Products are split across cores by columns (or rows, when C is narrow).
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
    private static final int FNR = 2 * FL;
    private static final int DNR = 2 * DL;
    private static final int KC = 256;
    private static final int MC = 120;
    /** Columns of B packed at once: KC × NC elements, about 512 KiB, stay in L2. */
    private static final int FNC = Math.max(FNR, 512 / FNR * FNR);

    private static final int DNC = Math.max(DNR, 256 / DNR * DNR);

    @Override
    public String description() {
        return "pure Java (Vector API, " + FS.vectorBitSize() + "-bit vectors, " + MR + "×" + FNR
                + " float micro-kernel)";
    }

    // ---------------------------------------------------------------- float

    @Override
    public void sgemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc,
            boolean parallel) {
        long work = parallel ? (long) m * n * k : 0;
        if (n >= 2 * FNR * Parallel.THREADS || n >= m) {
            Parallel.split(
                    n,
                    work,
                    Gemm.PARALLEL_WORK,
                    FNR,
                    (from, to) -> sgemmBlock(ta, tb, 0, m, from, to, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
        } else {
            Parallel.split(
                    m,
                    work,
                    Gemm.PARALLEL_WORK,
                    MR,
                    (from, to) -> sgemmBlock(ta, tb, from, to, 0, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
        }
    }

    /** C[m0:m1, n0:n1] on the calling thread. */
    private static void sgemmBlock(
            boolean ta,
            boolean tb,
            int m0,
            int m1,
            int n0,
            int n1,
            int k,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float[] c,
            int cOff,
            int ldc) {
        float[] ap = Scratch.floats(0, (long) MC * KC);
        float[] bp = Scratch.floats(1, (long) KC * FNC);
        float[] tile = Scratch.floats(2, (long) MR * FNR);
        for (int jc = n0; jc < n1; jc += FNC) {
            int nc = Math.min(FNC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff, ldb, tb, pc, kc, jc, nc, bp);
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    packA(a, aOff, lda, ta, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += FNR) {
                        int w = Math.min(FNR, nc - jr);
                        int bBase = jr * kc; // strip jr / FNR starts at (jr / FNR) · kc · FNR
                        for (int ir = 0; ir < mc; ir += MR) {
                            int h = Math.min(MR, mc - ir);
                            int cIndex = cOff + (ic + ir) * ldc + jc + jr;
                            kernel(ap, ir * kc, bp, bBase, kc, c, cIndex, ldc, h, w, pc == 0, tile);
                        }
                    }
                }
            }
        }
    }

    /** op(B)[pc:pc+kc, jc:jc+nc] into strips of FNR columns, each kc × FNR row-major, zero-padded. */
    private static void packB(float[] b, int bOff, int ldb, boolean tb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += FNR) {
            int w = Math.min(FNR, nc - jr);
            int base = jr * kc;
            int j0 = jc + jr;
            if (!tb) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * FNR;
                    System.arraycopy(b, bOff + (pc + p) * ldb + j0, bp, dst, w);
                    for (int j = w; j < FNR; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            } else {
                for (int j = 0; j < FNR; j++) {
                    if (j < w) {
                        int src = bOff + (j0 + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * FNR + j] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * FNR + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** op(A)[ic:ic+mc, pc:pc+kc] into strips of MR rows, each kc × MR (column of the strip per step), zero-padded. */
    private static void packA(float[] a, int aOff, int lda, boolean ta, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int h = Math.min(MR, mc - ir);
            int base = ir * kc;
            int i0 = ic + ir;
            if (!ta) {
                for (int r = 0; r < MR; r++) {
                    if (r < h) {
                        int src = aOff + (i0 + r) * lda + pc;
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = 0f;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + i0;
                    int dst = base + p * MR;
                    for (int r = 0; r < h; r++) {
                        ap[dst + r] = a[src + r];
                    }
                    for (int r = h; r < MR; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            }
        }
    }

    /** The MR × NR tile of C at cIndex (h rows and w columns of it valid): C = (first ? 0 : C) + Ap · Bp. */
    private static void kernel(
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
            int ai = a0 + p * MR, bi = bBase + p * FNR; // indices linear in p, so the JIT can hoist the bounds checks
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
        if (h == MR && w == FNR) {
            store(c, cIndex, c00, c01, first);
            store(c, cIndex + ldc, c10, c11, first);
            store(c, cIndex + 2 * ldc, c20, c21, first);
            store(c, cIndex + 3 * ldc, c30, c31, first);
            store(c, cIndex + 4 * ldc, c40, c41, first);
            store(c, cIndex + 5 * ldc, c50, c51, first);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, FL);
        c10.intoArray(tile, FNR);
        c11.intoArray(tile, FNR + FL);
        c20.intoArray(tile, 2 * FNR);
        c21.intoArray(tile, 2 * FNR + FL);
        c30.intoArray(tile, 3 * FNR);
        c31.intoArray(tile, 3 * FNR + FL);
        c40.intoArray(tile, 4 * FNR);
        c41.intoArray(tile, 4 * FNR + FL);
        c50.intoArray(tile, 5 * FNR);
        c51.intoArray(tile, 5 * FNR + FL);
        for (int r = 0; r < h; r++) {
            int row = cIndex + r * ldc;
            for (int j = 0; j < w; j++) {
                c[row + j] = first ? tile[r * FNR + j] : c[row + j] + tile[r * FNR + j];
            }
        }
    }

    private static void store(float[] c, int index, FloatVector v0, FloatVector v1, boolean first) {
        if (first) {
            v0.intoArray(c, index);
            v1.intoArray(c, index + FL);
        } else {
            v0.add(FloatVector.fromArray(FS, c, index)).intoArray(c, index);
            v1.add(FloatVector.fromArray(FS, c, index + FL)).intoArray(c, index + FL);
        }
    }

    // ---------------------------------------------------------------- double (the same scheme)

    @Override
    public void dgemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            double[] a,
            int aOff,
            int lda,
            double[] b,
            int bOff,
            int ldb,
            double[] c,
            int cOff,
            int ldc,
            boolean parallel) {
        long work = parallel ? (long) m * n * k : 0;
        if (n >= 2 * DNR * Parallel.THREADS || n >= m) {
            Parallel.split(
                    n,
                    work,
                    Gemm.PARALLEL_WORK,
                    DNR,
                    (from, to) -> dgemmBlock(ta, tb, 0, m, from, to, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
        } else {
            Parallel.split(
                    m,
                    work,
                    Gemm.PARALLEL_WORK,
                    MR,
                    (from, to) -> dgemmBlock(ta, tb, from, to, 0, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc));
        }
    }

    private static void dgemmBlock(
            boolean ta,
            boolean tb,
            int m0,
            int m1,
            int n0,
            int n1,
            int k,
            double[] a,
            int aOff,
            int lda,
            double[] b,
            int bOff,
            int ldb,
            double[] c,
            int cOff,
            int ldc) {
        double[] ap = Scratch.doubles(0, (long) MC * KC);
        double[] bp = Scratch.doubles(1, (long) KC * DNC);
        double[] tile = Scratch.doubles(2, (long) MR * DNR);
        for (int jc = n0; jc < n1; jc += DNC) {
            int nc = Math.min(DNC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff, ldb, tb, pc, kc, jc, nc, bp);
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    packA(a, aOff, lda, ta, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += DNR) {
                        int w = Math.min(DNR, nc - jr);
                        int bBase = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int h = Math.min(MR, mc - ir);
                            int cIndex = cOff + (ic + ir) * ldc + jc + jr;
                            kernel(ap, ir * kc, bp, bBase, kc, c, cIndex, ldc, h, w, pc == 0, tile);
                        }
                    }
                }
            }
        }
    }

    private static void packB(double[] b, int bOff, int ldb, boolean tb, int pc, int kc, int jc, int nc, double[] bp) {
        for (int jr = 0; jr < nc; jr += DNR) {
            int w = Math.min(DNR, nc - jr);
            int base = jr * kc;
            int j0 = jc + jr;
            if (!tb) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * DNR;
                    System.arraycopy(b, bOff + (pc + p) * ldb + j0, bp, dst, w);
                    for (int j = w; j < DNR; j++) {
                        bp[dst + j] = 0.0;
                    }
                }
            } else {
                for (int j = 0; j < DNR; j++) {
                    if (j < w) {
                        int src = bOff + (j0 + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * DNR + j] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * DNR + j] = 0.0;
                        }
                    }
                }
            }
        }
    }

    private static void packA(double[] a, int aOff, int lda, boolean ta, int ic, int mc, int pc, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int h = Math.min(MR, mc - ir);
            int base = ir * kc;
            int i0 = ic + ir;
            if (!ta) {
                for (int r = 0; r < MR; r++) {
                    if (r < h) {
                        int src = aOff + (i0 + r) * lda + pc;
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * MR + r] = 0.0;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + i0;
                    int dst = base + p * MR;
                    for (int r = 0; r < h; r++) {
                        ap[dst + r] = a[src + r];
                    }
                    for (int r = h; r < MR; r++) {
                        ap[dst + r] = 0.0;
                    }
                }
            }
        }
    }

    /** The MR × NR tile of C at cIndex (h rows and w columns of it valid): C = (first ? 0 : C) + Ap · Bp. */
    private static void kernel(
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
            int ai = a0 + p * MR, bi = bBase + p * DNR; // indices linear in p, so the JIT can hoist the bounds checks
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
        if (h == MR && w == DNR) {
            store(c, cIndex, c00, c01, first);
            store(c, cIndex + ldc, c10, c11, first);
            store(c, cIndex + 2 * ldc, c20, c21, first);
            store(c, cIndex + 3 * ldc, c30, c31, first);
            store(c, cIndex + 4 * ldc, c40, c41, first);
            store(c, cIndex + 5 * ldc, c50, c51, first);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, DL);
        c10.intoArray(tile, DNR);
        c11.intoArray(tile, DNR + DL);
        c20.intoArray(tile, 2 * DNR);
        c21.intoArray(tile, 2 * DNR + DL);
        c30.intoArray(tile, 3 * DNR);
        c31.intoArray(tile, 3 * DNR + DL);
        c40.intoArray(tile, 4 * DNR);
        c41.intoArray(tile, 4 * DNR + DL);
        c50.intoArray(tile, 5 * DNR);
        c51.intoArray(tile, 5 * DNR + DL);
        for (int r = 0; r < h; r++) {
            int row = cIndex + r * ldc;
            for (int j = 0; j < w; j++) {
                c[row + j] = first ? tile[r * DNR + j] : c[row + j] + tile[r * DNR + j];
            }
        }
    }

    private static void store(double[] c, int index, DoubleVector v0, DoubleVector v1, boolean first) {
        if (first) {
            v0.intoArray(c, index);
            v1.intoArray(c, index + DL);
        } else {
            v0.add(DoubleVector.fromArray(DS, c, index)).intoArray(c, index);
            v1.add(DoubleVector.fromArray(DS, c, index + DL)).intoArray(c, index + DL);
        }
    }
}
