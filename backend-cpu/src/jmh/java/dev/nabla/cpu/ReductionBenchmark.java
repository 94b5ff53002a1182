package dev.nabla.cpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.ReduceOp;
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
 * FLOAT32 reductions and elementwise ops on strided operands, through the backend SPI, for a
 * [size / 1024, 1024] matrix (size = 1 Ki: one row). GB/s = bytes read / time for the reductions
 * (4 B per element), bytes moved / time for the strided ops (add 12 B, relu 8).
 *
 * <ul>
 *   <li>{@code sumAll}: every element to one value (a loss's mean);</li>
 *   <li>{@code sumRows}: each row to one value (contiguous rows);</li>
 *   <li>{@code sumColumns}: each column to one value, as core asks for it: the reduced axis
 *       permuted to the end, a strided view (a bias gradient);</li>
 *   <li>{@code maxColumns}: the same through the general strided path (any op, any layout);</li>
 *   <li>{@code addTransposed}: xᵀ + y, one operand read across its rows;</li>
 *   <li>{@code reluEverySecond}: ReLU of every second column (a strided slice).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReductionBenchmark {
    @Param({"1024", "131072", "4194304"})
    public int size;

    private final CpuBackend cpu = new CpuBackend();
    private View matrix;
    private View columnsLast;
    private View transposed;
    private View other;
    private View out;
    private View everySecond;
    private View halfOut;
    private View scalar;
    private View perRow;
    private View perColumn;

    @Setup
    public void setUp() {
        int cols = Math.min(size, 1024), rows = size / cols;
        View x = vector(size, 1);
        matrix = View.contiguous(x.buffer(), rows, cols);
        columnsLast = new View(x.buffer(), DType.FLOAT32, 0, new int[] {cols, rows}, new long[] {1, cols});
        // a square-ish transposed operand: [n, m] read from an [m, n] matrix
        int m = (int) Math.sqrt(size), n = size / m;
        transposed = new View(x.buffer(), DType.FLOAT32, 0, new int[] {n, m}, new long[] {1, n});
        other = View.contiguous(vector(n * m, 2).buffer(), n, m);
        out = View.contiguous(vector(n * m, 3).buffer(), n, m);
        everySecond = new View(x.buffer(), DType.FLOAT32, 0, new int[] {rows, cols / 2}, new long[] {cols, 2});
        halfOut = View.contiguous(vector(size / 2, 4).buffer(), rows, cols / 2);
        scalar = View.contiguous(vector(1, 5).buffer());
        perRow = View.contiguous(vector(rows, 6).buffer(), rows);
        perColumn = View.contiguous(vector(cols, 7).buffer(), cols);
    }

    private View vector(int n, long seed) {
        return BenchViews.vector(cpu, n, seed);
    }

    @Benchmark
    public View sumAll() {
        cpu.reduce(ReduceOp.SUM, matrix, 2, scalar);
        return scalar;
    }

    @Benchmark
    public View sumRows() {
        cpu.reduce(ReduceOp.SUM, matrix, 1, perRow);
        return perRow;
    }

    @Benchmark
    public View sumColumns() {
        cpu.reduce(ReduceOp.SUM, columnsLast, 1, perColumn);
        return perColumn;
    }

    @Benchmark
    public View maxColumns() {
        cpu.reduce(ReduceOp.MAX, columnsLast, 1, perColumn);
        return perColumn;
    }

    @Benchmark
    public View addTransposed() {
        cpu.binary(BinaryOp.ADD, transposed, other, out, 0);
        return out;
    }

    @Benchmark
    public View reluEverySecond() {
        cpu.unary(UnaryOp.RELU, everySecond, halfOut, 0, 0);
        return halfOut;
    }
}
