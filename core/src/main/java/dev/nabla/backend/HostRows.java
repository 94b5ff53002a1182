package dev.nabla.backend;

/**
 * Copies whole rows of a row-major host matrix into a contiguous run of rows, in a given order:
 * the gather that assembles a shuffled batch. Shared by {@link Backend#writeRows}'s default and by
 * backends that gather straight into their own memory.
 *
 * <pre>{@code
 * // rows 7, 2 and 5 of a matrix with 784 columns, one after another into batch[0 .. 3·784)
 * HostRows.copy(features, 784, new int[] {7, 2, 5}, 0, 3, batch, 0);
 * }</pre>
 */
public final class HostRows {
    private static final ThreadLocal<float[]> STAGING = ThreadLocal.withInitial(() -> new float[0]);

    private HostRows() {}

    /**
     * Copies rows {@code rows[first]}, …, {@code rows[first + count − 1]} of {@code source} (each
     * {@code rowLength} floats; with {@code rows} null, rows {@code first}, …, {@code first + count − 1})
     * to {@code target} from index {@code targetOffset}, one after another. Bounds are the caller's
     * to check; an index out of range throws {@link ArrayIndexOutOfBoundsException}.
     */
    public static void copy(
            float[] source, int rowLength, int[] rows, int first, int count, float[] target, int targetOffset) {
        if (rows == null) {
            System.arraycopy(source, first * rowLength, target, targetOffset, count * rowLength);
            return;
        }
        for (int k = 0; k < count; k++) {
            System.arraycopy(source, rows[first + k] * rowLength, target, targetOffset + k * rowLength, rowLength);
        }
    }

    /**
     * A host array of at least {@code length} floats owned by the calling thread, reused from call
     * to call, so that a gather before a {@link Backend#write} allocates nothing after the first.
     * Its contents are undefined; it must not escape the call that asked for it.
     */
    static float[] staging(int length) {
        float[] staging = STAGING.get();
        if (staging.length < length) {
            staging = new float[length];
            STAGING.set(staging);
        }
        return staging;
    }
}
