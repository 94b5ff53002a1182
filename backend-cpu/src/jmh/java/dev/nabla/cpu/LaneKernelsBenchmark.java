package dev.nabla.cpu;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lane kernels without the Vector API (the native loops a JVM without {@code --add-modules jdk.incubator.vector}
 * runs, and the scalar Java ones where those are missing) against the vector ones, on one training step's worth of random data: [128, 1024] floats (a deep-MLP layer),
 * half of them negative so that a branch would be mispredicted half the time. One thread; per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LaneKernelsBenchmark {
    private static final int ROWS = LaneData.ROWS, COLS = LaneData.COLS, N = LaneData.N;

    /**
     * scalar: the Java loops; native: the C loops (NativeLaneKernels); vector: the Vector API kernels, tanh and exp
     * from the native loops where those load, as chosen; vector-own: the same with the Vector API's own tanh and exp
     * (what runs where no native loops were built).
     */
    @Param({"scalar", "native", "vector", "vector-own"})
    public String lanes;

    private LaneKernels kernels;
    private final LaneData data = new LaneData();
    private final float[] x = data.x, y = data.y, bias = data.bias, o = new float[N];
    private final float[] max = new float[N];
    private final int[] arg = new int[N];
    private final double[] sums = new double[COLS];

    @Setup
    public void setUp() {
        kernels = switch (lanes) {
            case "scalar" -> new LaneKernels();
            case "native" -> NativeLaneKernels.load().kernels().orElseThrow(() -> new IllegalStateException(
                    NativeLaneKernels.load().how()));
            case "vector-own" -> new VectorLaneKernels(null);
            default -> LaneKernels.selected();
        };
        if (lanes.startsWith("vector") && !(kernels instanceof VectorLaneKernels)) {
            throw new IllegalStateException("no Vector API in this JVM");
        }
    }

    @Benchmark
    public float[] relu() {
        kernels.relu(x, o, 0, N);
        return o;
    }

    @Benchmark
    public float[] reluBackward() {
        kernels.reluBackward(x, y, o, 0, N);
        return o;
    }

    @Benchmark
    public float[] tanh() {
        kernels.tanh(x, o, 0, N);
        return o;
    }

    @Benchmark
    public float[] exp() {
        kernels.exp(x, o, 0, N);
        return o;
    }

    @Benchmark
    public float[] biasRelu() {
        kernels.biasRelu(x, 0, bias, 0, o, 0, ROWS, COLS);
        return o;
    }

    @Benchmark
    public double[] addInto() {
        kernels.addRowsInto(x, 0, COLS, ROWS, sums, 0, COLS);
        return sums;
    }

    /** Four taps of a 2×2 max pool over [128, 1024] outputs. */
    @Benchmark
    public int[] maxWithIndex() {
        System.arraycopy(x, 0, max, 0, N);
        for (int tap = 1; tap < 4; tap++) {
            float[] in = (tap & 1) == 0 ? x : y;
            kernels.maxWithIndex(in, 0, COLS, max, 0, arg, 0, tap * N, ROWS, COLS);
        }
        return arg;
    }
}
