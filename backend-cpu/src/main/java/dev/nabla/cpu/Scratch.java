package dev.nabla.cpu;

/**
 * Per-thread scratch arrays for packing and temporaries, reused across calls so that kernels do
 * not allocate on every op. Each thread has a few numbered slots; a slot grows to the largest
 * request it has seen, up to {@link #CACHED_LIMIT} elements (larger requests get a fresh array).
 * Contents are undefined on return. Kernels never nest on one thread, so slots are shared by
 * kernels that run one after the other; within one kernel each slot has one use: float slots
 * 0–2 GEMM packing (A, B, edge tile; the scalar GEMM's packed B in 0 and a row of B in 1),
 * 1–3 elementwise chunks, 3 the Vector API GEMM's transposed narrow product (the calling thread's, which
 * its workers write into), 4–7 the scalar GEMM's accumulator rows; double slots 0–2 GEMM packing
 * and row kernels, 3 column sums (also the per-block sums
 * of bias + activation's backward, shared with the workers for that call) and softmax cross-entropy's exponentials,
 * 4 the Vector API sum's lanes.
 */
final class Scratch {
    static final int SLOTS = 8;
    /** Elements above which a request is not kept for reuse (so one huge product does not pin memory). */
    static final long CACHED_LIMIT = 1 << 22;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[SLOTS][]);

    private Scratch() {}

    static float[] floats(int slot, long size) {
        float[][] slots = FLOATS.get();
        float[] a = slots[slot];
        if (a == null || a.length < size) {
            a = new float[Math.toIntExact(size)];
            if (size <= CACHED_LIMIT) {
                slots[slot] = a;
            }
        }
        return a;
    }

    static double[] doubles(int slot, long size) {
        double[][] slots = DOUBLES.get();
        double[] a = slots[slot];
        if (a == null || a.length < size) {
            a = new double[Math.toIntExact(size)];
            if (size <= CACHED_LIMIT) {
                slots[slot] = a;
            }
        }
        return a;
    }
}
