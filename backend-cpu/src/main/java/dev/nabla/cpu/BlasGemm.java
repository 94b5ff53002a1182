package dev.nabla.cpu;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.nabla.backend.NativeLibraries;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

/**
 * GEMM through {@code dev.ludovic.netlib}'s JNI binding to the system BLAS ({@code libblas.so.3},
 * e.g. OpenBLAS from Debian's {@code libopenblas0}). BLAS is column-major, so the row-major
 * product C = op(A)·op(B) is computed as its transpose Cᵀ = op(B)ᵀ·op(A)ᵀ, which needs no copy:
 * a row-major matrix read column-major is its transpose.
 *
 * <p>netlib's public {@code sgemm} checks that each operand spans {@code ld × columns} elements,
 * which a sub-block of a larger matrix (or a view whose last row ends before the buffer does)
 * fails although BLAS never reads there. So the exact extents are checked here and netlib's
 * unchecked native entry point is called when it can be reached (netlib 3.0.x), the public
 * method otherwise.
 */
final class BlasGemm implements GemmKernel {
    private final BLAS blas;
    private final MethodHandle sgemmK;
    private final MethodHandle dgemmK;
    /**
     * Whether the BLAS runs single-threaded ({@link BlasThreads}): then large products are split
     * across the backend's own threads, which share the cores with its other kernels instead of
     * competing with the BLAS's spinning threads.
     */
    private final boolean splitInJava;
    /**
     * Column blocks per thread of a split product. Each block packs the shared operand again, so
     * one is cheapest: on the deep MLP's shapes one block per thread ran the step's products 4 %
     * faster than two, with training steps unchanged within noise.
     */
    private static final int PARTS_PER_THREAD = 1;

    private final String threading;

    private BlasGemm(BLAS blas) {
        this.blas = blas;
        this.sgemmK = unchecked(blas, "sgemmK", float.class, float[].class);
        this.dgemmK = unchecked(blas, "dgemmK", double.class, double[].class);
        BlasThreads.Outcome threads = BlasThreads.makeSingleThreaded();
        this.splitInJava = Parallel.THREADS > 1 && threads.singleThreaded();
        this.threading = splitInJava
                ? "single-threaded calls split over " + Parallel.THREADS + " Nabla threads (" + threads.how() + ")"
                : Parallel.THREADS > 1 ? "the BLAS's own threads: " + threads.how() : "one thread";
    }

    /**
     * netlib copies its JNI library into {@code java.io.tmpdir} as {@code libnetlibblasjni.so<digits>}
     * when it first loads, and has it deleted only when the JVM exits normally.
     */
    static final String NETLIB_COPY = "libnetlibblasjni.so";
    /** A copy this old is not being loaded any more: a JVM loads it right after writing it. */
    private static final Duration STALE = Duration.ofMinutes(10);

    /**
     * The native BLAS, or an exception saying why it cannot be loaded. netlib's copy of its JNI
     * library is deleted as soon as it is loaded, so that a killed run leaves nothing in the
     * temporary directory; copies that killed runs left are deleted first. netlib is not asked at
     * all when the BLAS it would open cannot be opened, since its failed try leaves its copy until
     * the JVM exits. (netlib has no setting to load an already extracted copy, nor to write it
     * elsewhere.)
     */
    static BlasGemm load() {
        NativeLibraries.deleteStaleTemporaryCopies(NETLIB_COPY, STALE);
        Optional<String> unavailable = BlasThreads.blasUnavailable();
        if (unavailable.isPresent()) {
            throw new UnsatisfiedLinkError(unavailable.get());
        }
        try {
            return new BlasGemm(NativeBLAS.getInstance());
        } finally {
            NativeLibraries.deleteLoadedTemporaryCopies(NETLIB_COPY);
        }
    }

    private static MethodHandle unchecked(BLAS blas, String name, Class<?> scalar, Class<?> array) {
        // (transA, transB, m, n, k, alpha, a, offa, lda, b, offb, ldb, beta, c, offc, ldc)
        MethodType type = MethodType.methodType(
                void.class,
                String.class,
                String.class,
                int.class,
                int.class,
                int.class,
                scalar,
                array,
                int.class,
                int.class,
                array,
                int.class,
                int.class,
                scalar,
                array,
                int.class,
                int.class);
        try {
            Method m = blas.getClass().getDeclaredMethod(name, type.parameterArray());
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(type.insertParameterTypes(0, BLAS.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String description() {
        return "native BLAS (" + blas.getClass().getSimpleName() + " → libblas.so.3, " + threading + ")";
    }

    /** The last element a column-major operand of rows × cols with leading dimension ld touches, checked against length. */
    private static void checkExtent(String what, int offset, int rows, int cols, int ld, int length) {
        long last = offset + (long) (cols - 1) * ld + rows - 1;
        if (offset < 0 || last >= length || ld < Math.max(1, rows)) {
            throw new IndexOutOfBoundsException(what + ": " + rows + "×" + cols + " with leading dimension " + ld
                    + " at offset " + offset + " does not fit an array of " + length);
        }
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
        if (c instanceof float[]) {
            split(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, parallel, 16, sgemm1);
        } else {
            split(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, parallel, 8, dgemm1);
        }
    }

    /** One column-major BLAS call of either precision (transB, transA, n, m, k, b, …, a, …, c, …), alpha 1, beta 0. */
    @FunctionalInterface
    private interface Call {
        void gemm(
                String opB,
                String opA,
                int n,
                int m,
                int k,
                Object b,
                int bOff,
                int ldb,
                Object a,
                int aOff,
                int lda,
                Object c,
                int cOff,
                int ldc);
    }

    /** The calls, typed as any array: they cast, so mixed precisions fail. */
    private final Call sgemm1 = (opB, opA, n, m, k, b, bOff, ldb, a, aOff, lda, c, cOff, ldc) ->
            sgemm1(opB, opA, n, m, k, (float[]) b, bOff, ldb, (float[]) a, aOff, lda, (float[]) c, cOff, ldc);

    private final Call dgemm1 = (opB, opA, n, m, k, b, bOff, ldb, a, aOff, lda, c, cOff, ldc) ->
            dgemm1(opB, opA, n, m, k, (double[]) b, bOff, ldb, (double[]) a, aOff, lda, (double[]) c, cOff, ldc);

    /** The product in one call, or (large ones, when {@link #splitInJava}) in row or column blocks of at least grain ({@link #byRows}), one call each. */
    private void split(
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
            boolean parallel,
            int grain,
            Call call) {
        boolean large = splitInJava && parallel && (long) m * n * k >= Gemm.PARALLEL_WORK;
        // the inner dimension when it dwarfs both sides, or when neither side is wide enough to split
        boolean inner = large && k >= SPLIT_INNER && (k >= 16L * Math.max(m, n) || (m < 64 && n < 64));
        if (inner) {
            splitInner(
                    m,
                    n,
                    k,
                    c,
                    cOff,
                    ldc,
                    grain,
                    (from, to, into, intoOff, intoLd) -> one(
                            ta,
                            tb,
                            m,
                            n,
                            to - from,
                            a,
                            aOff + (ta ? from * lda : from),
                            lda,
                            b,
                            bOff + (tb ? from : from * ldb),
                            ldb,
                            into,
                            intoOff,
                            intoLd,
                            call));
        } else if (large && m >= 64 && byRows(ta, m, n, k)) {
            Parallel.split(
                    m,
                    Parallel.THREADS,
                    grain,
                    PARTS_PER_THREAD,
                    (from, to) -> one(
                            ta,
                            tb,
                            to - from,
                            n,
                            k,
                            a,
                            aOff + (ta ? from : from * lda),
                            lda,
                            b,
                            bOff,
                            ldb,
                            c,
                            cOff + from * ldc,
                            ldc,
                            call));
        } else if (large && n >= 64) {
            Parallel.split(
                    n,
                    Parallel.THREADS,
                    grain,
                    PARTS_PER_THREAD,
                    (from, to) -> one(
                            ta,
                            tb,
                            m,
                            to - from,
                            k,
                            a,
                            aOff,
                            lda,
                            b,
                            bOff + (tb ? from * ldb : from),
                            ldb,
                            c,
                            cOff + from,
                            ldc,
                            call));
        } else {
            one(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, call);
        }
    }

    /**
     * Whether a split product goes in row blocks (each packing only its rows of A and all of B) rather than
     * column blocks (all of A, its columns of B). Rows for tall products. Rows for a transposed A, a weight
     * gradient xᵀ·g, up to four times as wide as tall: packing the strided [k, m] A costs more than packing B,
     * and on the deep MLP's shapes rows ran 1.35–1.6× faster (784×1024 in 670 µs against 905, 512×512 in 210
     * against 340); at 8× as wide the two were even, and at 32× rows were 13 % slower (each thread packs all
     * of the wide B). And rows for a short inner dimension (k = 10, the output layer's input gradient: 13 µs
     * against 40, one call's time).
     */
    private static boolean byRows(boolean ta, int m, int n, int k) {
        return m > n || (ta && n <= 4L * m) || k < SHORT_INNER;
    }

    /** An inner dimension below which products split by rows. */
    private static final int SHORT_INNER = 32;

    /** The shortest inner dimension that is split across threads. */
    private static final int SPLIT_INNER = 4096;

    /** The product of inner-dimension block [from, to) written into {@code into} at {@code intoOff}, rows {@code intoLd} apart. */
    @FunctionalInterface
    private interface InnerBlock {
        void multiply(int from, int to, Object into, int intoOff, int intoLd);
    }

    /**
     * A small product over a long inner dimension (a convolution kernel's gradient, [k, m]ᵀ · [k, n] with k the
     * batch's pixels): each thread multiplies one block of the inner dimension, the first into C and the others into
     * scratch matrices, which are then added to C in block order (so the sums do not depend on timing).
     */
    private static void splitInner(int m, int n, int k, Object c, int cOff, int ldc, int grain, InnerBlock block) {
        java.util.Map<Integer, Object> partials = new java.util.concurrent.ConcurrentSkipListMap<>();
        Parallel.split(k, Parallel.THREADS, grain, 1, (from, to) -> {
            if (from == 0) {
                block.multiply(from, to, c, cOff, ldc);
                return;
            }
            Object partial = Array.newInstance(c.getClass().getComponentType(), m * n);
            block.multiply(from, to, partial, 0, n);
            partials.put(from, partial);
        });
        for (Object partial : partials.values()) {
            addInto(partial, c, cOff, ldc, m, n);
        }
    }

    /** c[cOff + i·ldc + j] += part[i·n + j]: a dense m × n partial product added to C. */
    private static void addInto(Object part, Object c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) {
            if (c instanceof float[] cf) {
                float[] pf = (float[]) part;
                for (int j = 0; j < n; j++) {
                    cf[cOff + i * ldc + j] += pf[i * n + j];
                }
            } else {
                double[] cd = (double[]) c, pd = (double[]) part;
                for (int j = 0; j < n; j++) {
                    cd[cOff + i * ldc + j] += pd[i * n + j];
                }
            }
        }
    }

    /** One call: in the column-major view, Cᵀ (n × m) = op(B)ᵀ (n × k) · op(A)ᵀ (k × m), the extents checked first. */
    private static void one(
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
            Call call) {
        checkExtent("B", bOff, tb ? k : n, tb ? n : k, ldb, Array.getLength(b));
        checkExtent("A", aOff, ta ? m : k, ta ? k : m, lda, Array.getLength(a));
        checkExtent("C", cOff, n, m, ldc, Array.getLength(c));
        call.gemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, b, bOff, ldb, a, aOff, lda, c, cOff, ldc);
    }

    /** A failure of the unchecked entry point as thrown, checked exceptions (none are declared) wrapped. */
    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }

    private void sgemm1(
            String opB,
            String opA,
            int n,
            int m,
            int k,
            float[] b,
            int bOff,
            int ldb,
            float[] a,
            int aOff,
            int lda,
            float[] c,
            int cOff,
            int ldc) {
        if (sgemmK == null) {
            blas.sgemm(opB, opA, n, m, k, 1f, b, bOff, ldb, a, aOff, lda, 0f, c, cOff, ldc);
            return;
        }
        try {
            sgemmK.invokeExact(blas, opB, opA, n, m, k, 1f, b, bOff, ldb, a, aOff, lda, 0f, c, cOff, ldc);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    private void dgemm1(
            String opB,
            String opA,
            int n,
            int m,
            int k,
            double[] b,
            int bOff,
            int ldb,
            double[] a,
            int aOff,
            int lda,
            double[] c,
            int cOff,
            int ldc) {
        if (dgemmK == null) {
            blas.dgemm(opB, opA, n, m, k, 1.0, b, bOff, ldb, a, aOff, lda, 0.0, c, cOff, ldc);
            return;
        }
        try {
            dgemmK.invokeExact(blas, opB, opA, n, m, k, 1.0, b, bOff, ldb, a, aOff, lda, 0.0, c, cOff, ldc);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }
}
