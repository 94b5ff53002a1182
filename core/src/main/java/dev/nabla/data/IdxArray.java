package dev.nabla.data;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The content of one IDX file: an element type, dimensions and the elements in row-major order.
 *
 * <p>Elements are kept as the file stores them (big-endian bytes), so a 47 MB ubyte image file
 * costs 47 MB in memory, not four or eight times that; the {@code to…Array} methods convert.
 *
 * <pre>{@code
 * IdxArray labels = IdxArray.of(IdxType.UBYTE, new int[] {3}, new double[] {7, 2, 1});
 * Idx.write(Path.of("labels-idx1-ubyte.gz"), labels);
 * int[] back = Idx.read(Path.of("labels-idx1-ubyte.gz")).toIntArray();   // {7, 2, 1}
 * }</pre>
 */
public final class IdxArray {
    private final IdxType type;
    private final int[] dims;
    private final byte[] data;

    /**
     * Wraps raw big-endian element bytes (not copied).
     *
     * @throws IllegalArgumentException when a dimension is negative or the byte count does not match
     */
    public IdxArray(IdxType type, int[] dims, byte[] data) {
        if (type == null) {
            throw new IllegalArgumentException("IDX element type is null; expected one of " + IdxType.allCodes());
        }
        long expected = (long) elementCount(dims) * type.bytes();
        if (data.length != expected) {
            throw new IllegalArgumentException("IDX dims " + Arrays.toString(dims) + " of " + type + " need " + expected
                    + " bytes; got " + data.length);
        }
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
    }

    /**
     * An array of {@code type} holding {@code values} (each must be representable in that type exactly,
     * except that FLOAT rounds to the nearest float).
     */
    public static IdxArray of(IdxType type, int[] dims, double[] values) {
        int n = elementCount(dims);
        if (values.length != n) {
            throw new IllegalArgumentException(
                    "IDX dims " + Arrays.toString(dims) + " hold " + n + " elements; got " + values.length + " values");
        }
        ByteBuffer out = ByteBuffer.allocate(n * type.bytes());
        for (int i = 0; i < n; i++) {
            double v = values[i];
            switch (type) {
                case UBYTE -> out.put((byte) checkedInteger(type, i, v, 0, 255));
                case BYTE -> out.put((byte) checkedInteger(type, i, v, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case SHORT -> out.putShort((short) checkedInteger(type, i, v, Short.MIN_VALUE, Short.MAX_VALUE));
                case INT -> out.putInt((int) checkedInteger(type, i, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case FLOAT -> out.putFloat((float) v);
                case DOUBLE -> out.putDouble(v);
            }
        }
        return new IdxArray(type, dims, out.array());
    }

    /** Unsigned bytes, e.g. MNIST pixels or labels (the bytes are not copied). */
    public static IdxArray ofUnsignedBytes(int[] dims, byte[] values) {
        return new IdxArray(IdxType.UBYTE, dims, values);
    }

    public IdxType type() {
        return type;
    }

    /** The dimensions (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of dimensions (the fourth byte of the magic number). */
    public int rank() {
        return dims.length;
    }

    /** The number of elements: the product of the dimensions. */
    public int size() {
        return data.length / type.bytes();
    }

    /** The raw big-endian element bytes, as stored in the file (the backing array: read-only by contract). */
    public byte[] rawBytes() {
        return data;
    }

    /** Element {@code i} in row-major order. */
    public double get(int i) {
        return switch (type) {
            case UBYTE -> data[i] & 0xFF;
            case BYTE -> data[i];
            case SHORT -> (short) ((data[2 * i] << 8) | (data[2 * i + 1] & 0xFF));
            case INT -> ByteBuffer.wrap(data).getInt(4 * i);
            case FLOAT -> ByteBuffer.wrap(data).getFloat(4 * i);
            case DOUBLE -> ByteBuffer.wrap(data).getDouble(8 * i);
        };
    }

    /** All elements as floats (DOUBLE values rounded to float). */
    public float[] toFloatArray() {
        int n = size();
        float[] out = new float[n];
        ByteBuffer in = ByteBuffer.wrap(data);
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case UBYTE -> data[i] & 0xFF;
                case BYTE -> data[i];
                case SHORT -> in.getShort(2 * i);
                case INT -> in.getInt(4 * i);
                case FLOAT -> in.getFloat(4 * i);
                case DOUBLE -> (float) in.getDouble(8 * i);
            };
        }
        return out;
    }

    /**
     * All elements as ints.
     *
     * @throws IllegalStateException for FLOAT and DOUBLE arrays, which hold no integers
     */
    public int[] toIntArray() {
        if (!type.isInteger()) {
            throw new IllegalStateException("this IDX array holds " + type + " values; expected an integer type "
                    + "(ubyte, byte, short, int) to read ints");
        }
        int n = size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "IdxArray(" + type + ", dims=" + Arrays.toString(dims) + ")";
    }

    /**
     * The product of {@code dims}, checked: no negative dimension and no more elements than a Java array
     * can hold.
     */
    static int elementCount(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("IDX dimension " + i + " is " + dims[i] + " in "
                        + Arrays.toString(dims) + "; expected a size ≥ 0");
            }
            n *= dims[i];
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("IDX dims " + Arrays.toString(dims)
                        + " hold more elements than a Java array can (at most " + (Integer.MAX_VALUE - 8) + ")");
            }
        }
        return (int) n;
    }

    private static long checkedInteger(IdxType type, int index, double value, long min, long max) {
        if (value != Math.rint(value) || value < min || value > max) {
            throw new IllegalArgumentException("value " + index + " is " + value + "; an IDX " + type
                    + " holds integers in [" + min + ", " + max + "]");
        }
        return (long) value;
    }
}
