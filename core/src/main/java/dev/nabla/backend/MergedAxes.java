package dev.nabla.backend;

import java.util.Arrays;

/**
 * The iteration space of an elementwise kernel over several views of one shape, simplified once for every
 * backend: axes of extent 1 dropped, and neighbouring axes merged wherever every operand steps through them as
 * through one axis. A contiguous tensor becomes rank 1 with stride 1; a row broadcast over a matrix stays rank 2.
 * Device backends pack the result into their kernels' parameters.
 *
 * <pre>{@code
 * MergedAxes m = MergedAxes.of(new int[] {4, 5}, new long[] {5, 1}, new long[] {0, 1}); // x contiguous, y a broadcast row
 * m.rank();        // 2
 * MergedAxes.of(new int[] {2, 3, 4}, new long[] {12, 4, 1}).shape();  // [24]
 * }</pre>
 *
 * @param shape   the merged extents, outermost first
 * @param strides the merged strides of each operand, outermost first, in elements
 * @param size    the number of elements (0 when an extent is 0)
 */
public record MergedAxes(int[] shape, long[][] strides, long size) {

    /** The merged layout of views of {@code shape} with the given strides (one array per operand). */
    public static MergedAxes of(int[] shape, long[]... operandStrides) {
        int operands = operandStrides.length;
        long size = 1;
        for (int extent : shape) {
            size *= extent;
        }
        int[] dims = new int[shape.length];
        long[][] merged = new long[operands][shape.length];
        int rank = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            int extent = shape[axis];
            if (extent == 1) {
                continue;
            }
            boolean joins = rank > 0 && mergeable(dims[rank - 1], extent, merged, operandStrides, rank - 1, axis);
            int target = joins ? rank - 1 : rank++;
            dims[target] = joins ? dims[target] * extent : extent;
            for (int k = 0; k < operands; k++) {
                merged[k][target] = operandStrides[k][axis];
            }
        }
        long[][] trimmed = new long[operands][];
        for (int k = 0; k < operands; k++) {
            trimmed[k] = Arrays.copyOf(merged[k], rank);
        }
        return new MergedAxes(Arrays.copyOf(dims, rank), trimmed, size);
    }

    /** Whether kept axis {@code keptAxis} (extent {@code outer}) and {@code axis} walk like one axis in every operand. */
    private static boolean mergeable(int outer, int inner, long[][] kept, long[][] original, int keptAxis, int axis) {
        if ((long) outer * inner > Integer.MAX_VALUE) {
            return false;
        }
        for (int k = 0; k < original.length; k++) {
            if (kept[k][keptAxis] != original[k][axis] * inner) {
                return false;
            }
        }
        return true;
    }

    /** The number of merged axes. */
    public int rank() {
        return shape.length;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MergedAxes[shape=").append(Arrays.toString(shape));
        for (long[] st : strides) {
            s.append(" strides=").append(Arrays.toString(st));
        }
        return s.append(']').toString();
    }
}
