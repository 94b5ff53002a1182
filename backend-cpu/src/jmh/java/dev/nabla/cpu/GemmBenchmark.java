package dev.nabla.cpu;

import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import java.util.SplittableRandom;
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
 * FLOAT32 GEMM (sampled: the median is robust to a shared machine's stalls) through the backend's batched matmul (batch 1): the deep MLP's
 * layer shapes at batch 128 and squares. GFLOP/s = 2·m·n·k / time. {@code kernel} picks the
 * implementation (blas, vector, java) as the {@code nabla.cpu.gemm} property would; {@code op} the
 * transposes, as training's three products have them: {@code ab} (the forward x·W), {@code aTb} (a
 * weight gradient xᵀ·g, A stored [k, m]) or {@code abT} (an input gradient g·Wᵀ, B stored [n, k]).
 * <pre>
 * -Djmh.args="GemmBenchmark -p kernel=blas -p op=aTb -p shape=784x128x1024,512x128x512"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    /** m×k×n: C[m, n] = A[m, k] · B[k, n]. */
    @Param({"128x784x1024", "128x1024x512", "128x512x512", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048"})
    public String shape;

    @Param({"blas", "vector"})
    public String kernel;

    @Param({"ab"})
    public String op;

    private boolean ta;
    private boolean tb;

    private GemmKernel selected;
    private View a;
    private View b;
    private View c;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        int m = Integer.parseInt(p[0]), k = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]);
        selected = GemmKernels.select(kernel);
        System.out.println("\n[gemm] " + shape + " on " + selected.description());
        CpuBackend cpu = new CpuBackend();
        ta = op.equals("aTb");
        tb = op.equals("abT");
        if (!ta && !tb && !op.equals("ab")) {
            throw new IllegalArgumentException("op " + op + ": expected ab, aTb or abT");
        }
        a = ta ? matrix(cpu, k, m, 1) : matrix(cpu, m, k, 1); // as stored: matmul transposes
        b = tb ? matrix(cpu, n, k, 2) : matrix(cpu, k, n, 2);
        c = matrix(cpu, m, n, 3);
    }

    static View matrix(CpuBackend cpu, int rows, int cols, long seed) {
        float[] data = new float[rows * cols];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble(-1, 1);
        }
        return View.contiguous(new CpuBuffer(cpu, DType.FLOAT32, data, data.length * 4L), 1, rows, cols);
    }

    @Benchmark
    public View matmul() {
        Gemm.matmul(selected, a, ta, b, tb, c);
        return c;
    }
}
