package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
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
 * FLOAT32 elementwise kernels through the backend SPI on contiguous tensors, from L1-sized
 * to memory-sized. GB/s = bytes moved / time: add 12 B per element, relu and exp 8, the bias +
 * ReLU of a [n/1024, 1024] matrix 8, the Adam update 28 (p, g, m, v read; p, m, v written).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {
    @Param({"1024", "131072", "4194304"})
    public int size;

    private final CpuBackend cpu = new CpuBackend();
    private View x;
    private View y;
    private View out;
    private View m;
    private View v;
    private View matrix;
    private View matrixOut;
    private View bias;

    @Setup
    public void setUp() {
        x = vector(size, 1);
        y = vector(size, 2);
        out = vector(size, 3);
        m = vector(size, 4);
        v = vector(size, 5);
        cpu.unary(UnaryOp.ABS, v, v, 0, 0);
        int cols = Math.min(size, 1024), rows = size / cols;
        matrix = View.contiguous(x.buffer(), rows, cols);
        matrixOut = View.contiguous(out.buffer(), rows, cols);
        bias = vector(cols, 6);
    }

    private View vector(int n, long seed) {
        return BenchViews.vector(cpu, n, seed);
    }

    @Benchmark
    public View add() {
        cpu.binary(BinaryOp.ADD, x, y, out, 0);
        return out;
    }

    @Benchmark
    public View relu() {
        cpu.unary(UnaryOp.RELU, x, out, 0, 0);
        return out;
    }

    @Benchmark
    public View exp() {
        cpu.unary(UnaryOp.EXP, x, out, 0, 0);
        return out;
    }

    @Benchmark
    public View biasRelu() {
        cpu.biasActivation(matrix, bias, UnaryOp.RELU, 0, matrixOut);
        return matrixOut;
    }

    @Benchmark
    public View adam() {
        cpu.adamUpdate(out, y, m, v, 1e-9, 0.9, 0.999, 1e-7, 0); // tiny steps: the values stay put
        return out;
    }
}
