package dev.nabla.cuda;

import dev.nabla.backend.MergedAxes;
import java.util.Arrays;

/**
 * The iteration space of an elementwise kernel over several views of one shape ({@link MergedAxes}, the
 * axes merged as for every backend), packed for the CUDA kernels, which take it as an
 * {@code NbShape} ({@link #shapeParam()}) and one {@code NbStrides} per operand
 * ({@link #stridesParam(int)}).
 *
 * <pre>{@code
 * Layout l = Layout.of(new int[] {4, 5}, new long[] {5, 1}, new long[] {0, 1});  // x contiguous, y broadcast row
 * l.rank();  // 2
 * }</pre>
 */
final class Layout {
    /** The most axes a kernel takes after merging (NB_MAX_RANK in nabla_common.cuh). */
    static final int MAX_RANK = 8;

    private final int rank;
    private final int[] dims;
    private final long[][] strides;
    private final long count;

    private Layout(int rank, int[] dims, long[][] strides, long count) {
        this.rank = rank;
        this.dims = dims;
        this.strides = strides;
        this.count = count;
    }

    /** The layout of views of {@code shape} with the given strides (one array per operand). */
    static Layout of(int[] shape, long[]... operandStrides) {
        MergedAxes merged = MergedAxes.of(shape, operandStrides);
        if (merged.size() == 0) { // one empty axis: the kernels launch nothing
            return new Layout(1, new int[] {0}, new long[operandStrides.length][1], 0);
        }
        if (merged.rank() > MAX_RANK) {
            throw new UnsupportedOperationException("the CUDA kernels take views of at most " + MAX_RANK
                    + " axes after merging; got shape " + Arrays.toString(shape) + " with strides "
                    + Arrays.deepToString(operandStrides) + " (make the tensor contiguous first)");
        }
        return new Layout(merged.rank(), merged.shape(), merged.strides(), merged.size());
    }

    int rank() {
        return rank;
    }

    /** Number of elements. */
    long count() {
        return count;
    }

    /** Whether operand {@code k} is laid out densely in order (rank ≤ 1 with unit stride). */
    boolean contiguous(int k) {
        return rank == 0 || rank == 1 && strides[k][0] == 1;
    }

    /** Whether every operand is contiguous. */
    boolean allContiguous() {
        for (int k = 0; k < strides.length; k++) {
            if (!contiguous(k)) {
                return false;
            }
        }
        return true;
    }

    /** The stride of operand {@code k} along merged axis {@code axis}. */
    long stride(int k, int axis) {
        return strides[k][axis];
    }

    /** The extent of merged axis {@code axis}. */
    int dim(int axis) {
        return dims[axis];
    }

    /** NbShape: {rank, dims[0..7]}. */
    int[] shapeParam() {
        int[] param = new int[1 + MAX_RANK];
        param[0] = rank;
        System.arraycopy(dims, 0, param, 1, rank);
        return param;
    }

    /** NbStrides of operand {@code k}: strides[0..7], in elements. */
    long[] stridesParam(int k) {
        long[] param = new long[MAX_RANK];
        System.arraycopy(strides[k], 0, param, 0, rank);
        return param;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Layout[dims=").append(Arrays.toString(Arrays.copyOf(dims, rank)));
        for (long[] st : strides) {
            s.append(" strides=").append(Arrays.toString(Arrays.copyOf(st, rank)));
        }
        return s.append(']').toString();
    }
}
