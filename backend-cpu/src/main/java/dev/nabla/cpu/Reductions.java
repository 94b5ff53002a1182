package dev.nabla.cpu;

import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.View;

/** Reductions over the trailing axes of a strided view, accumulated in double. */
final class Reductions {
    private Reductions() {}

    static void reduce(ReduceOp op, View x, int reducedAxes, View out) {
        int rank = x.rank();
        int keptRank = rank - reducedAxes;
        int[] keptShape = java.util.Arrays.copyOf(x.shape(), keptRank);
        long[] keptStrides = java.util.Arrays.copyOf(x.strides(), keptRank);
        int[] redShape = java.util.Arrays.copyOfRange(x.shape(), keptRank, rank);
        long[] redStrides = java.util.Arrays.copyOfRange(x.strides(), keptRank, rank);
        long outCount = 1;
        for (int d : keptShape) {
            outCount *= d;
        }
        long redCount = 1;
        for (int d : redShape) {
            redCount *= d;
        }
        Object xa = ((CpuBuffer) x.buffer()).array;
        Object oa = ((CpuBuffer) out.buffer()).array;
        long count = redCount;
        Parallel.Range outputs = (from, to) -> {
            for (int o = from; o < to; o++) {
                long base = x.offset();
                long rest = o;
                for (int axis = keptRank - 1; axis >= 0; axis--) {
                    base += (rest % keptShape[axis]) * keptStrides[axis];
                    rest /= keptShape[axis];
                }
                double result = reduceOne(op, xa, new View(x.buffer(), x.dtype(), base, redShape, redStrides), count);
                int target = (int) (out.offset() + o);
                if (oa instanceof float[] f) {
                    f[target] = (float) result;
                } else if (oa instanceof double[] d) {
                    d[target] = result;
                } else {
                    ((int[]) oa)[target] = (int) result;
                }
            }
        };
        // on the backend's own threads (not the common pool, whose threads would compete with them)
        if (outCount > 1 && outCount * redCount >= Strided.PARALLEL_THRESHOLD && Parallel.available()) {
            Parallel.split((int) outCount, Parallel.THREADS, 1, 4, outputs);
        } else {
            outputs.run(0, (int) outCount);
        }
    }

    /** One output: the reduction of every element of {@code part}, in row-major order. */
    private static double reduceOne(ReduceOp op, Object xa, View part, long count) {
        if (count == 0) {
            return switch (op) {
                case SUM -> 0;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
                case ARGMAX, ARGMIN -> 0;
            };
        }
        double[] state = new double[3]; // accumulator, best index, position
        state[0] = switch (op) {
            case SUM -> 0;
            case MAX, ARGMAX -> Double.NEGATIVE_INFINITY;
            case MIN, ARGMIN -> Double.POSITIVE_INFINITY;
        };
        state[1] = -1;
        Strided walk = Strided.of(part);
        walk.forEachSerial(1, (off, st, n, s) -> {
            Arrays3.load(xa, off[0], st[0], s[0], n);
            double[] v = s[0];
            switch (op) {
                case SUM -> {
                    double acc = state[0];
                    for (int i = 0; i < n; i++) {
                        acc += v[i];
                    }
                    state[0] = acc;
                }
                case MAX, ARGMAX, MIN, ARGMIN -> {
                    boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
                    for (int i = 0; i < n; i++) {
                        if ((max ? v[i] > state[0] : v[i] < state[0])
                                || (state[1] < 0 && Double.isNaN(v[i]))
                                || Double.isNaN(v[i]) && !Double.isNaN(state[0])) {
                            state[0] = v[i];
                            state[1] = state[2] + i;
                        } else if (state[1] < 0) {
                            state[1] = state[2] + i;
                        }
                    }
                }
            }
            state[2] += n;
        });
        return op.producesIndex() ? state[1] : state[0];
    }
}
