package dev.nabla.cpu;

import dev.nabla.backend.NativeLibraries;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link LaneKernels} as C loops that gcc vectorizes ({@code src/main/native/lane-kernels}), for a JVM without the
 * Vector API: HotSpot's JIT compiles the Java form of the selects to scalar code (and a float select to a branch),
 * 3-15x slower than the vector kernels; these run within 1.1x of them, often faster, and a JVM with the Vector API
 * takes its tanh and exp from them (docs/benchmarks.md, "Lane kernels without the Vector API"). They compute exactly
 * what the scalar loops compute, NaN and signed zero included, tanh and exp too ({@link FloatMath}'s operations, no
 * multiply fused with an add). Every index is checked here
 * before the call: a wrong one throws, as in Java, instead of touching memory outside the array. Calls over fewer
 * than {@link #SHORT} elements stay in Java, where pinning the arrays (about 70 ns a call) would outweigh the work;
 * callers hand over whole rows of windows or matrices instead. The sums are the scalar ones (their order of
 * additions is part of their result).
 */
final class NativeLaneKernels extends LaneKernels {
    /**
     * The library of this JVM's platform (Linux x86-64 or aarch64), or null on another. A method, not a constant:
     * LaneKernels' initialization, which this class's starts first, loads these kernels before this class's static
     * fields are set.
     */
    static String resourceHere() {
        return resource(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The library built for a platform, named as the JVM names it, or null where none is built. */
    static String resource(String os, String arch) {
        String folder = !os.equals("Linux")
                ? null
                : switch (arch) {
                    case "amd64", "x86_64" -> "linux-x86_64";
                    case "aarch64" -> "linux-aarch64";
                    default -> null;
                };
        return folder == null ? null : "/dev/nabla/cpu/native/" + folder + "/libnablalanes.so";
    }
    /** Calls over fewer elements than this run the Java loop. */
    static final int SHORT = 32;

    private NativeLaneKernels() {}

    /** The native kernels, or why they cannot run in this process; loaded on the first call. */
    static Result load() {
        return Loaded.RESULT;
    }

    private static final class Loaded {
        static final Result RESULT = tryLoad();
    }

    private static Result tryLoad() {
        String resource = resourceHere();
        if (resource == null) {
            return new Result(
                    Optional.empty(),
                    "no native lane kernels for " + System.getProperty("os.name") + "/"
                            + System.getProperty("os.arch"));
        }
        if (NativeLaneKernels.class.getResource(resource) == null) {
            return new Result(Optional.empty(), "the native lane kernels were not built (no gcc at build time)");
        }
        try {
            // loaded here: the JVM binds native methods to the class loader of the class that loads the library
            System.load(
                    NativeLibraries.extract(NativeLaneKernels.class, resource).toString());
            return new Result(Optional.of(new NativeLaneKernels()), "native lane kernels loaded");
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return new Result(Optional.empty(), "could not load the native lane kernels: " + e.getMessage());
        }
    }

    /** The kernels when they loaded, and what happened. */
    record Result(Optional<LaneKernels> kernels, String how) {}

    /** The functions of {@code map0}: o[i] = f(x[i]). */
    private static final int RELU = 0, TANH = 1, EXP = 2;

    @Override
    void relu(float[] x, float[] o, int from, int to) {
        if (to - from < SHORT) {
            super.relu(x, o, from, to);
        } else {
            map(RELU, x, o, from, to);
        }
    }

    @Override
    void tanh(float[] x, float[] o, int from, int to) {
        if (to - from < SHORT) {
            super.tanh(x, o, from, to);
        } else {
            map(TANH, x, o, from, to);
        }
    }

    @Override
    void exp(float[] x, float[] o, int from, int to) {
        if (to - from < SHORT) {
            super.exp(x, o, from, to);
        } else {
            map(EXP, x, o, from, to);
        }
    }

    private static void map(int function, float[] x, float[] o, int from, int to) {
        Objects.checkFromToIndex(from, to, x.length);
        Objects.checkFromToIndex(from, to, o.length);
        map0(function, x, o, from, to);
    }

    @Override
    void biasRelu(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        if ((long) rows * n < SHORT) {
            super.biasRelu(x, xo, b, bo, o, oo, rows, n);
        } else {
            biasActivation(RELU, x, xo, b, bo, o, oo, rows, n);
        }
    }

    @Override
    void biasTanh(float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        if ((long) rows * n < SHORT) {
            super.biasTanh(x, xo, b, bo, o, oo, rows, n);
        } else {
            biasActivation(TANH, x, xo, b, bo, o, oo, rows, n);
        }
    }

    /** Throws unless x and o hold rows of n floats from xo and oo, and b holds n from bo; then runs the kernel. */
    private static void biasActivation(
            int function, float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n) {
        Objects.checkFromIndexSize(xo, (long) rows * n, x.length);
        Objects.checkFromIndexSize(bo, n, b.length);
        Objects.checkFromIndexSize(oo, (long) rows * n, o.length);
        biasActivation0(function, x, xo, b, bo, o, oo, rows, n);
    }

    @Override
    void reluBackward(float[] x, float[] y, float[] o, int from, int to) {
        if (to - from < SHORT) {
            super.reluBackward(x, y, o, from, to);
            return;
        }
        Objects.checkFromToIndex(from, to, x.length);
        Objects.checkFromToIndex(from, to, y.length);
        Objects.checkFromToIndex(from, to, o.length);
        reluBackward0(x, y, o, from, to);
    }

    @Override
    void addRowsInto(float[] x, int xo, int stride, int rows, double[] acc, int ao, int n) {
        if ((long) rows * n < SHORT) {
            super.addRowsInto(x, xo, stride, rows, acc, ao, n);
            return;
        }
        checkStrided(x, xo, stride, rows, n);
        Objects.checkFromIndexSize(ao, n, acc.length);
        addRowsInto0(x, xo, stride, rows, acc, ao, n);
    }

    @Override
    void addWindowRows(
            float[] x, int xo, int xStep, float[] o, int oo, int oStep, int oRow, int windows, int rows, int n) {
        if ((long) windows * rows * n < SHORT) {
            super.addWindowRows(x, xo, xStep, o, oo, oStep, oRow, windows, rows, n);
            return;
        }
        if (xStep < 0 || oStep < 0 || oRow < 0 || n < 0) {
            throw new IndexOutOfBoundsException(
                    "steps " + xStep + ", " + oStep + ", " + oRow + " and row length " + n + " must be at least 0");
        }
        Objects.checkFromIndexSize(xo, (windows - 1L) * xStep + (long) rows * n, x.length);
        Objects.checkFromIndexSize(oo, (windows - 1L) * oStep + (rows - 1L) * oRow + n, o.length);
        addWindowRows0(x, xo, xStep, o, oo, oStep, oRow, windows, rows, n);
    }

    @Override
    void maxWithIndex(
            float[] x, int xo, int xStride, float[] max, int mo, int[] arg, int ao, int index, int rows, int n) {
        if ((long) rows * n < SHORT) {
            super.maxWithIndex(x, xo, xStride, max, mo, arg, ao, index, rows, n);
            return;
        }
        checkStrided(x, xo, xStride, rows, n);
        Objects.checkFromIndexSize(mo, (long) rows * n, max.length);
        Objects.checkFromIndexSize(ao, (long) rows * n, arg.length);
        maxWithIndex0(x, xo, xStride, max, mo, arg, ao, index, rows, n);
    }

    /** Throws unless x holds rows (at least one) of n floats from xo, stride apart. */
    private static void checkStrided(float[] x, int xo, int stride, int rows, int n) {
        if (stride < 0 || n < 0) {
            throw new IndexOutOfBoundsException("stride " + stride + " and row length " + n + " must be at least 0");
        }
        Objects.checkFromIndexSize(xo, (rows - 1L) * stride + n, x.length);
    }

    private static native void map0(int function, float[] x, float[] o, int from, int to);

    private static native void biasActivation0(
            int function, float[] x, int xo, float[] b, int bo, float[] o, int oo, int rows, int n);

    private static native void reluBackward0(float[] x, float[] y, float[] o, int from, int to);

    private static native void addRowsInto0(float[] x, int xo, int stride, int rows, double[] acc, int ao, int n);

    private static native void addWindowRows0(
            float[] x, int xo, int xStep, float[] o, int oo, int oStep, int oRow, int windows, int rows, int n);

    private static native void maxWithIndex0(
            float[] x, int xo, int xStride, float[] max, int mo, int[] arg, int ao, int index, int rows, int n);
}
