package dev.nabla.cpu;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Float kernels that the JIT does not vectorize from plain loops: the ReLU-shaped selects
 * ({@code x > 0 ? v : 0}), float-to-double sums, and tanh and exp (JDK 17 computes {@code Math.tanh} in software, about
 * 45 ns an element). When the Vector API is present ({@code --add-modules jdk.incubator.vector})
 * {@link VectorLaneKernels} runs them on whole vectors (compare-and-blend; {@link FloatMath}'s tanh and exp
 * lane by lane, or the native loops' where those load). Without it, {@link NativeLaneKernels} runs them as C loops that gcc
 * vectorized, within 1.1x of the vector ones ({@code LaneKernelsBenchmark}). Where those were not built
 * (no gcc at build time, not Linux x86-64 or aarch64) the scalar loops here run, their selects as int masks (a float select
 * compiles to a branch, mispredicted half the time on activations: 10x slower; the masks leave the
 * scalar ReLU about 5x slower than the vector one), tanh and exp as {@link FloatMath}'s polynomials (5-9 ns an
 * element). Every implementation gives the same floats, before and after the JIT compiles it, so the JVM's flags
 * change how fast a seeded run goes, never its result: the selects exactly the reference results, NaN included (a NaN
 * is not greater than 0, so it becomes 0); tanh and exp {@link FloatMath}'s, within 1 ulp of the reference
 * ({@code Math.tanh}, {@code Math.exp}) rounded to float. {@code -Dnabla.cpu.lanes=native} or {@code scalar} chooses
 * the others on purpose (to compare them).
 */
class LaneKernels {
    private static final Logger LOG = LoggerFactory.getLogger(LaneKernels.class);
    /** The JVM option that puts the Vector API in the boot layer. */
    static final String FLAG = "--add-modules jdk.incubator.vector";
    /** The system property that chooses the kernels: auto (the default), vector, native or scalar. */
    static final String PROPERTY = "nabla.cpu.lanes";
    /**
     * The implementation of this JVM, chosen once: the Vector API's, else the native loops, else the scalar
     * loops; a JVM without the Vector API is warned once.
     */
    static final LaneKernels SELECTED = choose(System.getProperty(PROPERTY, "auto"));

    /**
     * The kernels {@code wanted} names ({@value #PROPERTY}: auto, vector, native or scalar), or the next in
     * the order vector, native, scalar when those are missing here.
     */
    static LaneKernels choose(String wanted) {
        String choice = wanted.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "vector", "native", "scalar").contains(choice)) {
            LOG.warn("{}={} is not one of auto, vector, native, scalar; using auto", PROPERTY, wanted);
            choice = "auto";
        }
        if (choice.equals("scalar")) {
            LOG.info("cpu backend: {}=scalar, so the lane kernels run as scalar Java loops", PROPERTY);
            return new LaneKernels();
        }
        String why = PROPERTY + "=native";
        if (!choice.equals("native")) {
            Optional<LaneKernels> vector = vector();
            if (vector.isPresent()) {
                return vector.get();
            }
            why = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    ? "the Vector API kernels did not load"
                    : "the Vector API is not in this JVM";
        }
        NativeLaneKernels.Result fallback = NativeLaneKernels.load();
        if (fallback.kernels().isPresent()) {
            if (choice.equals("native")) {
                LOG.info("cpu backend: {}, so the lane kernels run as native loops", why);
            } else {
                LOG.warn(
                        "cpu backend: {}, so tanh, exp, ReLU, max pooling and float sums run as native loops instead"
                                + " (up to 1.1x slower), and matrix products 3-8x slower when no native BLAS loads; run java"
                                + " with {} to enable it",
                        why,
                        FLAG);
            }
            return fallback.kernels().get();
        }
        LOG.warn(
                "cpu backend: {} ({}), so tanh, exp, ReLU, max pooling and float sums run as scalar loops (tanh and"
                        + " exp about 15x slower an element, ReLU about 5x, pooling about 10x; matrix products 3-8x slower"
                        + " too when no native BLAS loads); run java with {} to enable it",
                why,
                fallback.how(),
                FLAG);
        return new LaneKernels();
    }

    /** The Vector API kernels, when this JVM has the module and they load. */
    private static Optional<LaneKernels> vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of((LaneKernels) Class.forName("dev.nabla.cpu.VectorLaneKernels")
                    .getDeclaredConstructor()
                    .newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("no Vector API kernels: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /** The implementation of this JVM (choosing it, and saying why when it is not the vector one, on first use). */
    static LaneKernels selected() {
        return SELECTED;
    }

    /**
     * All ones where {@code x > 0} (false for NaN), else zeros: an int select, which the JIT turns into a conditional
     * move. A float select ({@code x > 0 ? v : 0}) becomes a branch, mispredicted half the time on activations.
     */
    static int positive(float x) {
        int bits = Float.floatToRawIntBits(x); // > 0 as an int: positive, or a NaN with its sign bit clear
        return (-bits & (bits - 0x7f800001)) >> 31; // both negative: 0 < bits ≤ +∞'s bits
    }

    /** v where mask is all ones, +0 where it is zero. */
    static float keep(float v, int mask) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) & mask);
    }

    /** o[i] = x[i] > 0 ? x[i] : 0. */
    void relu(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = keep(x[i], positive(x[i]));
        }
    }

    /** o[i] = x[i] > 0 ? y[i] : 0. */
    void reluBackward(float[] x, float[] y, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = keep(y[i], positive(x[i]));
        }
    }

    /** o[i] = tanh(x[i]): {@link FloatMath#tanh} rounded to float. */
    void tanh(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = (float) FloatMath.tanh(x[i]);
        }
    }

    /** o[i] = exp(x[i]): {@link FloatMath#exp}. */
    void exp(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = FloatMath.exp(x[i]);
        }
    }

    /**
     * acc[ao + k] += x[xo + r stride + k] for r in [0, rows), k in [0, n): rows of x added one after another into
     * double column sums (the JIT does not vectorize the widening).
     */
    void addRowsInto(float[] x, int xo, int stride, int rows, double[] acc, int ao, int n) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * stride;
            for (int k = 0; k < n; k++) {
                acc[ao + k] += x[xi + k];
            }
        }
    }

    /** Σ x[from, from + n) in double, with eight independent accumulators (so the adds overlap). */
    double sum(float[] x, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from, end = from + n, end8 = from + (n & ~7);
        for (; i < end8; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        for (; i < end; i++) {
            s0 += x[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * o[oo + r n + j] = tanh(x[xo + r n + j] + b[bo + j]) for r in [0, rows), j in [0, n): rows of n floats, the sum
     * widened to double as the reference does; within 1 ulp of {@code Math.tanh} of that sum rounded to float.
     */
    void biasTanh(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * n, oi = oo + r * n;
            for (int j = 0; j < n; j++) {
                o[oi + j] = (float) FloatMath.tanh((double) x[xi + j] + b[bo + j]);
            }
        }
    }

    /**
     * col2im's adds, window after window: o[oo + q oStep + i oRow + j] += x[xo + q xStep + i n + j] for the kernel rows
     * i in [0, rows) of each window q in [0, windows), j in [0, n). Windows may overlap in o; each adds to what the
     * windows before it left, so every element sums its windows in their order.
     */
    void addWindowRows(
            float[] x, int xo, int xStep, float[] o, int oo, int oStep, int oRow, int windows, int rows, int n) {
        for (int q = 0; q < windows; q++) {
            for (int i = 0; i < rows; i++) {
                int xi = xo + q * xStep + i * n, oi = oo + q * oStep + i * oRow;
                for (int j = 0; j < n; j++) {
                    o[oi + j] += x[xi + j];
                }
            }
        }
    }

    /**
     * One tap of a max pool with argmax, over rows of windows: where x[xi + j] > max[mi + j] (strictly, so the first
     * maximum wins ties, and a NaN never replaces a value), max[mi + j] = x[xi + j] and arg[ai + j] = ii + j, for
     * j in [0, n) and each row r in [0, rows), with xi = xo + r xStride, mi = mo + r n, ai = ao + r n and
     * ii = index + r xStride (the tap of consecutive windows lies xStride further on in the input).
     */
    void maxWithIndex(
            float[] x, int xo, int xStride, float[] max, int mo, int[] arg, int ao, int index, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * xStride, mi = mo + r * n, ai = ao + r * n, ii = index + r * xStride;
            for (int j = 0; j < n; j++) { // int selects, which the JIT makes conditional moves: no branch to mispredict
                float v = x[xi + j], m = max[mi + j];
                int take = v > m ? -1 : 0; // all ones where v wins
                max[mi + j] =
                        Float.intBitsToFloat(Float.floatToRawIntBits(v) & take | Float.floatToRawIntBits(m) & ~take);
                arg[ai + j] = (ii + j) & take | arg[ai + j] & ~take;
            }
        }
    }

    /** o[oo + r n + j] = max0(x[xo + r n + j] + b[bo + j]) for r in [0, rows), j in [0, n): rows of n floats. */
    void biasRelu(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * n, oi = oo + r * n;
            for (int j = 0; j < n; j++) {
                float v = x[xi + j] + b[bo + j];
                o[oi + j] = keep(v, positive(v));
            }
        }
    }
}
