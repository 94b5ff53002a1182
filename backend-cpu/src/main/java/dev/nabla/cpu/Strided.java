package dev.nabla.cpu;

import dev.nabla.backend.MergedAxes;
import dev.nabla.backend.View;

/**
 * Walks several views of one shape together, in chunks along the innermost axis, over their axes merged
 * as for every backend ({@link MergedAxes}), so a contiguous tensor is one long axis. Large walks are split across the backend's threads ({@link Parallel}).
 */
final class Strided {
    static final int CHUNK = 1024;
    /** Below this many elements a walk runs on the calling thread: a fork costs more than it saves. */
    static final long PARALLEL_THRESHOLD = 1 << 16;

    /** Work on one chunk: base element offsets of each view, the inner strides, and the count. */
    interface Block {
        void run(long[] offsets, long[] innerStrides, int count, double[][] scratch);
    }

    /** Each thread's chunk buffers, reused by every walk on it (a walk never nests in another on one thread). */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][CHUNK]);

    private final int[] shape;
    private final long[][] strides; // [axis][view]
    private final long[] offsets;
    private final long size;
    private final int views;

    private Strided(int[] shape, long[][] strides, long[] offsets, long size, int views) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.size = size;
        this.views = views;
    }

    static Strided of(View... vs) {
        long[][] operandStrides = new long[vs.length][];
        long[] offsets = new long[vs.length];
        for (int v = 0; v < vs.length; v++) {
            operandStrides[v] = vs[v].strides();
            offsets[v] = vs[v].offset();
        }
        MergedAxes m = MergedAxes.of(vs[0].shape(), operandStrides);
        if (m.rank() == 0) { // a scalar: one axis of one element
            return new Strided(new int[] {1}, new long[][] {new long[vs.length]}, offsets, m.size(), vs.length);
        }
        long[][] strides = new long[m.rank()][vs.length]; // [axis][view], as the walks read them
        for (int axis = 0; axis < m.rank(); axis++) {
            for (int v = 0; v < vs.length; v++) {
                strides[axis][v] = m.strides()[v][axis];
            }
        }
        return new Strided(m.shape(), strides, offsets, m.size(), vs.length);
    }

    /**
     * Runs {@code block} over every element, in no particular order, split across cores when large.
     * {@code scratchArrays} (≤ 4) double[CHUNK] buffers per task.
     */
    void forEach(int scratchArrays, Block block) {
        if (size == 0) {
            return;
        }
        // a transposed operand: each row of each tile is a run
        if (forEachTile((off, rowStrides, colStrides, rows, cols) -> {
            double[][] scratch = SCRATCH.get();
            long[] base = off.clone();
            for (int r = 0; r < rows; r++) {
                block.run(base, colStrides, cols, scratch);
                for (int v = 0; v < views; v++) {
                    base[v] += rowStrides[v];
                }
            }
        })) {
            return;
        }
        if (size < PARALLEL_THRESHOLD || !Parallel.available()) {
            walk(0, size, scratchArrays, block);
            return;
        }
        int chunks = (int) ((size + CHUNK - 1) / CHUNK);
        Parallel.split(
                chunks,
                Parallel.THREADS,
                1,
                4,
                (from, to) -> walk((long) from * CHUNK, Math.min(size, (long) to * CHUNK), scratchArrays, block));
    }

    /** Work on one tile of a matrix walk: each view's offset of the tile's first element, its row and column strides, the extent. */
    interface TileBlock {
        void run(long[] offsets, long[] rowStrides, long[] columnStrides, int rows, int columns);
    }

    /**
     * Side of the square tiles of a walk that reads an operand across its rows, and the size from
     * which it tiles. Measured on xᵀ + y (Zen 5, JDK 17): at 128 Ki elements, which sit in L2,
     * tiles were 15 % slower than the row-by-row walk; at 4 Mi, row runs of 64-tiles took two thirds
     * of its time, and tiles transposed through scratch (FLOAT32) under a third.
     */
    static final int TILE = 64;

    static final long TILED_FROM = 1 << 20;

    /**
     * Runs {@code block} over TILE × TILE tiles, split across cores by rows of tiles, if this is a
     * matrix walk in which some operand is transposed (unit stride down the rows, a long stride
     * along them: row by row, each of its elements would sit on another cache line and, for long
     * rows, another page); else returns false and does nothing.
     */
    boolean forEachTile(TileBlock block) {
        if (!readsAcrossRows()) {
            return false;
        }
        int rows = shape[0];
        if (size < PARALLEL_THRESHOLD || !Parallel.available()) {
            walkTiles(0, rows, block);
        } else {
            Parallel.split(rows, Parallel.THREADS, TILE, 4, (from, to) -> walkTiles(from, to, block));
        }
        return true;
    }

    private boolean readsAcrossRows() {
        if (shape.length != 2 || shape[1] < TILE || size < TILED_FROM) {
            return false;
        }
        for (int v = 0; v < views; v++) {
            if (Math.abs(strides[0][v]) == 1 && Math.abs(strides[1][v]) >= TILE) {
                return true;
            }
        }
        return false;
    }

    /** The tiles of rows [from, to). */
    private void walkTiles(int from, int to, TileBlock block) {
        int cols = shape[1];
        long[] base = new long[views];
        for (int r0 = from; r0 < to; r0 += TILE) {
            int tileRows = Math.min(TILE, to - r0);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                for (int v = 0; v < views; v++) {
                    base[v] = offsets[v] + r0 * strides[0][v] + c0 * strides[1][v];
                }
                block.run(base, strides[0], strides[1], tileRows, Math.min(TILE, cols - c0));
            }
        }
    }

    /** Runs {@code block} over every element on the calling thread, in row-major order. */
    void forEachSerial(int scratchArrays, Block block) {
        if (size > 0) {
            walk(0, size, scratchArrays, block);
        }
    }

    private void walk(long from, long to, int scratchArrays, Block block) {
        int rank = shape.length;
        int inner = rank - 1;
        double[][] scratch = SCRATCH.get();
        long[] innerStrides = strides[inner].clone();
        int[] index = new int[rank];
        long rest = from;
        for (int axis = rank - 1; axis >= 0; axis--) {
            index[axis] = (int) (rest % shape[axis]);
            rest /= shape[axis];
        }
        long[] base = new long[views];
        long position = from;
        while (position < to) {
            for (int v = 0; v < views; v++) {
                long o = offsets[v];
                for (int axis = 0; axis < rank; axis++) {
                    o += index[axis] * strides[axis][v];
                }
                base[v] = o;
            }
            int count = (int) Math.min(Math.min(shape[inner] - index[inner], to - position), CHUNK);
            block.run(base, innerStrides, count, scratch);
            position += count;
            index[inner] += count;
            for (int axis = inner; axis > 0 && index[axis] == shape[axis]; axis--) {
                index[axis] = 0;
                index[axis - 1]++;
            }
        }
    }
}
