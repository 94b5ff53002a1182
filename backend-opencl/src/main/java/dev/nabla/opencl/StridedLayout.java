package dev.nabla.opencl;

import dev.nabla.backend.MergedAxes;
import java.util.Arrays;

/**
 * The iteration space of an elementwise kernel: a shape walked row-major by several operands,
 * each with its own strides (0 broadcasts), its axes merged as for every backend ({@link MergedAxes}).
 * Kernels take at most {@link #MAX_RANK} axes as long8 vectors,
 * innermost first; larger ranks are split into launches over the leading axes ({@link #chunks}).
 */
final class StridedLayout {
    static final int MAX_RANK = 8;

    /** Merged extents, outermost first. */
    final long[] shape;
    /** Merged strides per operand, outermost first. */
    final long[][] strides;
    /** Number of elements (0 when any extent is 0). */
    final long size;

    private StridedLayout(long[] shape, long[][] strides, long size) {
        this.shape = shape;
        this.strides = strides;
        this.size = size;
    }

    /** The layout of {@code shape} walked by operands with the given strides (one array per operand). */
    static StridedLayout of(int[] shape, long[]... operandStrides) {
        MergedAxes merged = MergedAxes.of(shape, operandStrides);
        return new StridedLayout(
                Arrays.stream(merged.shape()).asLongStream().toArray(), merged.strides(), merged.size());
    }

    int rank() {
        return shape.length;
    }

    /**
     * The step of operand {@code o} when the layout is flat (rank ≤ 1), 0 for a broadcast scalar;
     * the contiguous kernels take it.
     */
    long step(int o) {
        return rank() == 0 ? 0 : strides[o][0];
    }

    /** Whether the contiguous kernels apply: rank ≤ 1, the output (operand {@code out}) with step 1, inputs with step 0 or 1. */
    boolean flat(int out) {
        if (rank() > 1) {
            return false;
        }
        for (int o = 0; o < strides.length; o++) {
            long step = step(o);
            if (o == out ? rank() == 1 && step != 1 : step != 0 && step != 1) {
                return false;
            }
        }
        return true;
    }

    /** The extents as a kernel's long8, innermost first. */
    long[] shape8() {
        return reversed8(shape);
    }

    /** Operand {@code o}'s strides as a kernel's long8, innermost first. */
    long[] strides8(int o) {
        return reversed8(strides[o]);
    }

    private static long[] reversed8(long[] values) {
        long[] v = new long[8];
        Arrays.fill(v, 1);
        for (int i = 0; i < values.length; i++) {
            v[i] = values[values.length - 1 - i];
        }
        return v;
    }

    /** One launch of a layout split by {@link #chunks}: extra element offsets per operand, and the inner layout. */
    interface Chunk {
        void launch(long[] offsets, StridedLayout inner);
    }

    /** Calls {@code chunk} once per launch: once when rank ≤ MAX_RANK, else once per index of the leading axes. */
    void chunks(Chunk chunk) {
        int ops = strides.length;
        int lead = rank() - MAX_RANK;
        if (lead <= 0) {
            chunk.launch(new long[ops], this);
            return;
        }
        long[][] innerStrides = new long[ops][];
        long innerSize = 1;
        for (int a = lead; a < rank(); a++) {
            innerSize *= shape[a];
        }
        for (int o = 0; o < ops; o++) {
            innerStrides[o] = Arrays.copyOfRange(strides[o], lead, rank());
        }
        StridedLayout inner = new StridedLayout(Arrays.copyOfRange(shape, lead, rank()), innerStrides, innerSize);
        long[] index = new long[lead];
        long count = size / Math.max(innerSize, 1);
        for (long c = 0; c < count; c++) {
            long[] offsets = new long[ops];
            for (int o = 0; o < ops; o++) {
                for (int a = 0; a < lead; a++) {
                    offsets[o] += index[a] * strides[o][a];
                }
            }
            chunk.launch(offsets, inner);
            for (int a = lead - 1; a >= 0; a--) { // odometer
                if (++index[a] < shape[a]) {
                    break;
                }
                index[a] = 0;
            }
        }
    }
}
