package dev.nabla.backend;

import java.nio.ByteBuffer;

/**
 * Moves the elements of a host array ({@code float[]}, {@code double[]} or {@code int[]}, as a
 * {@link Backend#write}/{@link Backend#read} gets it) to and from a byte buffer in the buffer's
 * byte order: the one accessor that a backend's staging buffers use for every element type.
 *
 * <pre>{@code
 * HostArrays.put(staging.clear(), hostArray, srcOffset, length); // then copy staging to the device
 * }</pre>
 */
public final class HostArrays {
    private HostArrays() {}

    /** Writes {@code array[offset … offset + length)} to {@code buffer} at its position. */
    public static void put(ByteBuffer buffer, Object array, int offset, int length) {
        if (array instanceof float[] f) {
            buffer.asFloatBuffer().put(f, offset, length);
        } else if (array instanceof double[] d) {
            buffer.asDoubleBuffer().put(d, offset, length);
        } else {
            buffer.asIntBuffer().put(ints(array), offset, length);
        }
    }

    /** Reads {@code length} elements from {@code buffer} at its position into {@code array} from {@code offset}. */
    public static void get(ByteBuffer buffer, Object array, int offset, int length) {
        if (array instanceof float[] f) {
            buffer.asFloatBuffer().get(f, offset, length);
        } else if (array instanceof double[] d) {
            buffer.asDoubleBuffer().get(d, offset, length);
        } else {
            buffer.asIntBuffer().get(ints(array), offset, length);
        }
    }

    private static int[] ints(Object array) {
        if (array instanceof int[] i) {
            return i;
        }
        throw new IllegalArgumentException("a host array is a float[], double[] or int[], got "
                + (array == null ? "null" : array.getClass().getSimpleName()));
    }
}
