package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneKernels} with the Vector API: compare-and-blend, and {@link FloatMath}'s tanh and exp on whole vectors;
 * scalar tails. Only operations whose result the Vector API fixes: its own TANH and EXP, and the order of a
 * reduceLanes(ADD), change with the JIT (interpreted, compiled), so a seeded fit would not repeat bit for bit.
 *
 * <p>tanh and exp run as the native loops where those loaded: the same operations, so the same bits, but gcc's code
 * takes 0.75x the time of the JIT's (tanh over [128, 1024], 158 against 210 µs) and needs no warm-up, where the
 * Java form, 40 vector operations on each vector, runs interpreted for the first epoch or two (docs/benchmarks.md,
 * "Lane kernels without the Vector API"). So does max pooling's argmax over rows shorter than a vector (LeNet's 6
 * channels), which this class leaves to the scalar loop, 20x slower than gcc's.
 */
final class VectorLaneKernels extends LaneKernels {
    /** Where tanh, exp and short rows of max pooling run: the native loops, or null for this class's own code. */
    private final LaneKernels nativeLoops;

    VectorLaneKernels() {
        this(NativeLaneKernels.load().kernels().orElse(null));
    }

    /** With tanh, exp and short rows of max pooling from {@code nativeLoops}, or all its own when it is null. */
    VectorLaneKernels(LaneKernels nativeLoops) {
        this.nativeLoops = nativeLoops;
    }

    @Override
    public String toString() {
        return "VectorLaneKernels" + (nativeLoops == null ? ", all its own" : ", some from " + nativeLoops);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    /** Floats as many as D's doubles (half of S's shape): tanh widens them to double and back. */
    private static final VectorSpecies<Float> HALF = S.withShape(VectorShape.forBitSize(S.vectorBitSize() / 2));
    /** Lanes of D. */
    private static final int DL = D.length();
    /** 0, 1, …, L - 1: the lane offsets of an index vector. */
    private static final IntVector LANES = IntVector.zero(I).addIndex(1);
    /** Sums shorter than this take the scalar loop (at least two vectors: the vector loop handles pairs). */
    static final int SHORT_SUM = Math.max(2 * L, 1024);

    @Override
    void relu(float[] x, float[] o, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(o, i);
        }
        super.relu(x, o, i, to);
    }

    @Override
    void reluBackward(float[] x, float[] y, float[] o, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, zero);
            zero.blend(FloatVector.fromArray(S, y, i), positive).intoArray(o, i);
        }
        super.reluBackward(x, y, o, i, to);
    }

    @Override
    void tanh(float[] x, float[] o, int from, int to) {
        if (nativeLoops != null) {
            nativeLoops.tanh(x, o, from, to);
            return;
        }
        int i = from;
        for (int end = to - DL; i <= end; i += DL) { // widened to double and back (written out: see biasTanh)
            DoubleVector v = (DoubleVector) FloatVector.fromArray(HALF, x, i).convertShape(VectorOperators.F2D, D, 0);
            ((FloatVector) tanh(v).convertShape(VectorOperators.D2F, HALF, 0)).intoArray(o, i);
        }
        super.tanh(x, o, i, to);
    }

    @Override
    void exp(float[] x, float[] o, int from, int to) {
        if (nativeLoops != null) {
            nativeLoops.exp(x, o, from, to);
            return;
        }
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            exp(FloatVector.fromArray(S, x, i)).intoArray(o, i);
        }
        super.exp(x, o, i, to);
    }

    /** {@link FloatMath#exp} lane by lane: the same operations on the same constants, so the same bits. */
    private static FloatVector exp(FloatVector x) {
        // Math.min(Math.max(x, MIN), MAX) as FloatMath has it, in two compare-and-blends (the same values, NaN
        // included: it compares false and stays); the Vector API's MIN and MAX take twice the instructions
        x = x.blend(FloatMath.EXP_MIN, x.compare(VectorOperators.LT, FloatMath.EXP_MIN));
        x = x.blend(FloatMath.EXP_MAX, x.compare(VectorOperators.GT, FloatMath.EXP_MAX));
        FloatVector kd = x.mul(FloatMath.EXP_LOG2E).add(FloatMath.EXP_SHIFTER);
        FloatVector k = kd.sub(FloatMath.EXP_SHIFTER);
        FloatVector r = x.sub(k.mul(FloatMath.EXP_LN2_HI)).sub(k.mul(FloatMath.EXP_LN2_LO));
        FloatVector q = r.mul(FloatMath.EXP_Q4).add(FloatMath.EXP_Q3);
        q = q.mul(r).add(FloatMath.EXP_Q2);
        q = q.mul(r).add(FloatMath.EXP_Q1);
        q = q.mul(r).add(FloatMath.EXP_Q0);
        FloatVector p = r.add(r.mul(r).mul(q)).add(1.0f);
        IntVector ki = kd.reinterpretAsInts().sub(Float.floatToRawIntBits(FloatMath.EXP_SHIFTER));
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1), k2 = ki.sub(k1);
        return p.mul(powerOfTwo(k1)).mul(powerOfTwo(k2));
    }

    /** 2^k as a float, for k in [-126, 127]. */
    private static FloatVector powerOfTwo(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** {@link FloatMath#tanh} lane by lane. */
    private static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector s = a.mul(a);
        DoubleVector small = s.mul(FloatMath.TANH_T11).add(FloatMath.TANH_T9);
        small = small.mul(s).add(FloatMath.TANH_T7);
        small = small.mul(s).add(FloatMath.TANH_T5);
        small = small.mul(s).add(FloatMath.TANH_T3);
        small = small.mul(s).mul(a).add(a);
        DoubleVector twice = a.mul(2.0); // clamped as by Math.min (the same values, NaN included), in a blend
        DoubleVector t = expClamped(
                twice.blend(FloatMath.TANH_EXP_MAX, twice.compare(VectorOperators.GT, FloatMath.TANH_EXP_MAX)));
        DoubleVector large = DoubleVector.broadcast(D, 1.0)
                .sub(DoubleVector.broadcast(D, 2.0).div(t.add(1.0)));
        DoubleVector y = large.blend(small, a.compare(VectorOperators.LT, FloatMath.TANH_SMALL));
        LongVector magnitude = y.reinterpretAsLongs().and(Long.MAX_VALUE);
        return magnitude.or(x.reinterpretAsLongs().and(Long.MIN_VALUE)).reinterpretAsDoubles(); // copySign(y, x)
    }

    /** {@link FloatMath#expClamped} lane by lane. */
    private static DoubleVector expClamped(DoubleVector x) {
        DoubleVector kd = x.mul(FloatMath.EXPD_LOG2E).add(FloatMath.EXPD_SHIFTER);
        DoubleVector k = kd.sub(FloatMath.EXPD_SHIFTER);
        DoubleVector r = x.sub(k.mul(FloatMath.EXPD_LN2_HI)).sub(k.mul(FloatMath.EXPD_LN2_LO));
        DoubleVector p = r.mul(FloatMath.EXPD_P6).add(FloatMath.EXPD_P5);
        p = p.mul(r).add(FloatMath.EXPD_P4);
        p = p.mul(r).add(FloatMath.EXPD_P3);
        p = p.mul(r).add(FloatMath.EXPD_P2);
        p = p.mul(r).add(FloatMath.EXPD_P1);
        p = p.mul(r).add(FloatMath.EXPD_P0);
        LongVector scale = kd.reinterpretAsLongs()
                .sub(Double.doubleToRawLongBits(FloatMath.EXPD_SHIFTER))
                .add(1023)
                .lanewise(VectorOperators.LSHL, 52);
        return p.mul(scale.reinterpretAsDoubles());
    }

    @Override
    void addRowsInto(float[] x, int xo, int stride, int rows, double[] acc, int ao, int n) {
        for (int r = 0; r < rows; r++) {
            addInto(x, xo + r * stride, acc, ao, n);
        }
    }

    /** acc[ao + k] += x[xo + k] for k in [0, n). */
    private static void addInto(float[] x, int xo, double[] acc, int ao, int n) {
        // each float vector widens into two double vectors of the same bit size
        int k = 0;
        for (int end = n - L; k <= end; k += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + k);
            for (int part = 0; part < 2; part++) {
                int at = ao + k + part * D.length();
                ((DoubleVector) v.convertShape(VectorOperators.F2D, D, part))
                        .add(DoubleVector.fromArray(D, acc, at))
                        .intoArray(acc, at);
            }
        }
        for (; k < n; k++) {
            acc[ao + k] += x[xo + k];
        }
    }

    @Override
    double sum(float[] x, int from, int n) {
        if (n < SHORT_SUM) {
            // Short sums (a batch's losses) run a few times a step, too rarely for the JIT to compile
            // the vector loop for thousands of steps: until then it took 25-40 µs for 128 floats.
            return super.sum(x, from, n);
        }
        // each float vector widens into two double vectors; two pairs of accumulators so the adds overlap
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (int end = n - 2 * L; k <= end; k += 2 * L) {
            FloatVector v = FloatVector.fromArray(S, x, from + k), w = FloatVector.fromArray(S, x, from + k + L);
            a0 = a0.add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0));
            a1 = a1.add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1));
            a2 = a2.add((DoubleVector) w.convertShape(VectorOperators.F2D, D, 0));
            a3 = a3.add((DoubleVector) w.convertShape(VectorOperators.F2D, D, 1));
        }
        // the lanes added in order: reduceLanes(ADD) may add them in any order, and JDK 25's JIT does
        double[] lanes = Scratch.doubles(4, D.length());
        a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
        double total = 0;
        for (int lane = 0; lane < D.length(); lane++) {
            total += lanes[lane];
        }
        return total + super.sum(x, from + k, n - k);
    }

    @Override
    void biasTanh(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        if (nativeLoops != null) {
            nativeLoops.biasTanh(x, xo, b, bo, o, oo, rows, n);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * n, oi = oo + r * n, j = 0;
            for (int end = n - DL; j <= end; j += DL) {
                // the conversions written out here, not in a method: one more level of calls and C2 stops inlining
                // the Vector API's (each vector then a Java object: 2x slower)
                DoubleVector v =
                        (DoubleVector) FloatVector.fromArray(HALF, x, xi + j).convertShape(VectorOperators.F2D, D, 0);
                DoubleVector bias =
                        (DoubleVector) FloatVector.fromArray(HALF, b, bo + j).convertShape(VectorOperators.F2D, D, 0);
                ((FloatVector) tanh(v.add(bias)).convertShape(VectorOperators.D2F, HALF, 0)).intoArray(o, oi + j);
            }
            super.biasTanh(x, xi + j, b, bo + j, o, oi + j, 1, n - j);
        }
    }

    @Override
    void addWindowRows(
            float[] x, int xo, int xStep, float[] o, int oo, int oStep, int oRow, int windows, int rows, int n) {
        for (int q = 0; q < windows; q++) {
            for (int i = 0; i < rows; i++) {
                int xi = xo + q * xStep + i * n, oi = oo + q * oStep + i * oRow, j = 0;
                for (int end = n - L; j <= end; j += L) {
                    FloatVector.fromArray(S, o, oi + j)
                            .add(FloatVector.fromArray(S, x, xi + j))
                            .intoArray(o, oi + j);
                }
                for (; j < n; j++) {
                    o[oi + j] += x[xi + j];
                }
            }
        }
    }

    @Override
    void maxWithIndex(
            float[] x, int xo, int xStride, float[] max, int mo, int[] arg, int ao, int index, int rows, int n) {
        if (n < L && nativeLoops != null) {
            nativeLoops.maxWithIndex(x, xo, xStride, max, mo, arg, ao, index, rows, n);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * xStride, mi = mo + r * n, ai = ao + r * n, ii = index + r * xStride, j = 0;
            for (int end = n - L; j <= end; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, xi + j), m = FloatVector.fromArray(S, max, mi + j);
                VectorMask<Float> greater = v.compare(VectorOperators.GT, m);
                m.blend(v, greater).intoArray(max, mi + j);
                IntVector.fromArray(I, arg, ai + j)
                        .blend(LANES.add(ii + j), greater.cast(I))
                        .intoArray(arg, ai + j);
            }
            super.maxWithIndex(x, xi + j, 0, max, mi + j, arg, ai + j, ii + j, 1, n - j);
        }
    }

    @Override
    void biasRelu(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * n, oi = oo + r * n, j = 0;
            for (int end = n - L; j <= end; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, xi + j).add(FloatVector.fromArray(S, b, bo + j));
                zero.blend(v, v.compare(VectorOperators.GT, zero)).intoArray(o, oi + j);
            }
            super.biasRelu(x, xi + j, b, bo + j, o, oi + j, 1, n - j); // int masks: a float select is a branch
        }
    }
}
