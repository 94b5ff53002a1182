package dev.nabla.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link LaneKernels} with the Vector API: compare-and-blend, or the JDK's vector tanh and exp; scalar tails. */
final class VectorLaneKernels extends LaneKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
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
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(o, i);
        }
        super.tanh(x, o, i, to);
    }

    @Override
    void exp(float[] x, float[] o, int from, int to) {
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.EXP).intoArray(o, i);
        }
        super.exp(x, o, i, to);
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
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD) + super.sum(x, from + k, n - k);
    }

    @Override
    void biasTanh(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * n, oi = oo + r * n, j = 0;
            for (int end = n - L; j <= end; j += L) {
                FloatVector.fromArray(S, x, xi + j)
                        .add(FloatVector.fromArray(S, b, bo + j))
                        .lanewise(VectorOperators.TANH)
                        .intoArray(o, oi + j);
            }
            for (; j < n; j++) {
                o[oi + j] = (float) Math.tanh((double) x[xi + j] + b[bo + j]);
            }
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
            for (; j < n; j++) {
                float v = x[xi + j] + b[bo + j];
                o[oi + j] = v > 0f ? v : 0f;
            }
        }
    }
}
