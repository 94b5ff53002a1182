package dev.nabla.cpu;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.View;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one op on a 1,000-float tensor beyond its arithmetic: {@code tensorAdd} (the public
 * API: checks, a pooled output buffer, its Storage, the kernel, close) against {@code rawLoop}
 * (the same additions in a plain loop) and {@code backendAdd} (the SPI call alone, output given).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DispatchBenchmark {
    static final int N = 1000;
    private Backend cpu;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private float[] x;
    private float[] y;
    private float[] z;

    @Setup
    public void setUp() {
        cpu = new CpuBackendProvider().create(0);
        TensorFactory t = Tensor.on(cpu);
        x = new float[N];
        y = new float[N];
        z = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = i;
            y[i] = 2 * i;
        }
        a = t.of(x, N);
        b = t.of(y, N);
        c = t.zeros(N);
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }

    @Benchmark
    public float[] rawLoop() {
        for (int i = 0; i < N; i++) {
            z[i] = x[i] + y[i];
        }
        return z;
    }

    @Benchmark
    public View backendAdd() {
        View out = c.view();
        cpu.binary(BinaryOp.ADD, a.view(), b.view(), out, 0);
        return out;
    }

    @Benchmark
    public long tensorAdd() {
        try (Tensor sum = a.add(b)) {
            return sum.size();
        }
    }
}
