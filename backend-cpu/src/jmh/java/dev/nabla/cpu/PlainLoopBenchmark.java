package dev.nabla.cpu;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JIT makes of plain Java loops, the only code a JVM without the Vector API can run fast: the
 * evidence behind the scalar {@link LaneKernels} (docs/benchmarks.md, "Lane kernels without the Vector
 * API"). Each loop is one way to write a ReLU-shaped kernel over [128, 1024] random floats, half of them
 * negative; {@link #copy} is the floor. Runs without {@code --add-modules jdk.incubator.vector}, as the
 * fallbacks do. One thread; µs per call.
 *
 * <p>What it shows, on JDK 17 and 25: {@code Math.max} vectorizes and costs a copy, but keeps a NaN where
 * ReLU's rule ({@code x > 0 ? x : 0}) gives 0; finding the NaNs afterwards takes a reduction, which the JIT
 * does not vectorize well; a float select compiles to a branch; the int masks do not vectorize; and a
 * row loop vectorizes only when every array it touches is indexed with the same offset, which a bias row
 * (one offset for the bias, another for the activations) never is. The last four time tanh and exp as the JDK
 * computes them against {@link FloatMath}'s, which the scalar kernels run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class PlainLoopBenchmark {
    private static final int ROWS = LaneData.ROWS, COLS = LaneData.COLS, N = LaneData.N;

    private final LaneData data = new LaneData();
    private final float[] x = data.x, y = data.y, bias = data.bias, o = new float[N];
    private final int[] arg = new int[N];

    /** The floor: a loop that only moves the data. */
    @Benchmark
    public float[] copy() {
        for (int i = 0; i < N; i++) {
            o[i] = x[i];
        }
        return o;
    }

    /** ReLU's rule as written: a branch, mispredicted half the time on these data. */
    @Benchmark
    public float[] select() {
        for (int i = 0; i < N; i++) {
            o[i] = x[i] > 0 ? x[i] : 0f;
        }
        return o;
    }

    /** The fallback's int masks ({@link LaneKernels#relu}): no branch, but not vectorized. */
    @Benchmark
    public float[] intMasks() {
        for (int i = 0; i < N; i++) {
            o[i] = LaneKernels.keep(x[i], LaneKernels.positive(x[i]));
        }
        return o;
    }

    /** {@code Math.max(x, 0)}: vectorized, but a NaN stays NaN where ReLU's rule gives 0. */
    @Benchmark
    public float[] mathMax() {
        for (int i = 0; i < N; i++) {
            o[i] = Math.max(x[i], 0f);
        }
        return o;
    }

    /**
     * {@code Math.max} plus what it would take to keep ReLU's rule: a running maximum of {@code x − x}
     * (NaN exactly where x is NaN or infinite) that sends such data to the exact path.
     */
    @Benchmark
    public float mathMaxFindingNaNs() {
        float nan = 0f;
        for (int i = 0; i < N; i++) {
            float v = x[i];
            o[i] = Math.max(v, 0f);
            nan = Math.max(nan, v - v);
        }
        return nan;
    }

    /** {@code Math.max} row by row, every array indexed with the row's offset: vectorized. */
    @Benchmark
    public float[] rowsSameOffset() {
        for (int r = 0; r < ROWS; r++) {
            maxRow(x, o, r * COLS, COLS);
        }
        return o;
    }

    /** The same with a bias added, the bias indexed from 0 and the activations from the row's offset: not vectorized. */
    @Benchmark
    public float[] rowsWithBias() {
        for (int r = 0; r < ROWS; r++) {
            biasMaxRow(x, bias, o, r * COLS, COLS);
        }
        return o;
    }

    /** A max pool's argmax tap as written: where y beats the running maximum x, take y and its index. */
    @Benchmark
    public int[] argmaxTap() {
        for (int i = 0; i < N; i++) {
            boolean greater = y[i] > x[i];
            o[i] = greater ? y[i] : x[i];
            arg[i] = greater ? N + i : arg[i];
        }
        return arg;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void maxRow(float[] x, float[] o, int offset, int n) {
        for (int j = 0; j < n; j++) {
            o[offset + j] = Math.max(x[offset + j], 0f);
        }
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static void biasMaxRow(float[] x, float[] b, float[] o, int offset, int n) {
        for (int j = 0; j < n; j++) {
            o[offset + j] = Math.max(x[offset + j] + b[j], 0f);
        }
    }

    /** tanh as the JDK computes it: in software on JDK 17, an intrinsic from JDK 24 on. */
    @Benchmark
    public float[] mathTanh() {
        for (int i = 0; i < N; i++) {
            o[i] = (float) Math.tanh(x[i]);
        }
        return o;
    }

    /** The scalar lane kernels' tanh ({@link FloatMath#tanh}): a polynomial and an exp, branch-free. */
    @Benchmark
    public float[] floatMathTanh() {
        for (int i = 0; i < N; i++) {
            o[i] = (float) FloatMath.tanh(x[i]);
        }
        return o;
    }

    /** exp as the JDK computes it (an intrinsic), in double. */
    @Benchmark
    public float[] mathExp() {
        for (int i = 0; i < N; i++) {
            o[i] = (float) Math.exp(x[i]);
        }
        return o;
    }

    /** The scalar lane kernels' exp ({@link FloatMath#exp}): in float arithmetic. */
    @Benchmark
    public float[] floatMathExp() {
        for (int i = 0; i < N; i++) {
            o[i] = FloatMath.exp(x[i]);
        }
        return o;
    }
}
