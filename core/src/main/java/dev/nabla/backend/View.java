package dev.nabla.backend;

import java.util.Arrays;

/**
 * A strided window on a {@link DeviceBuffer}: what every SPI primitive reads and writes.
 *
 * <p>Element {@code (i0, i1, …)} lives at {@code offset + Σ i_k · strides[k]} (in elements, not
 * bytes). A stride of 0 repeats a value along an axis (broadcasting); core builds such views,
 * backends only follow them. A rank-0 view (empty shape) is a scalar.
 *
 * @param buffer  the storage
 * @param dtype   element type (the buffer's)
 * @param offset  element offset of index (0, 0, …)
 * @param shape   extent of each axis (never negative; a 0 makes the view empty)
 * @param strides element step of each axis (may be 0; never negative)
 */
public record View(DeviceBuffer buffer, DType dtype, long offset, int[] shape, long[] strides) {

    public View {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides) + " differ in rank");
        }
    }

    /** A contiguous row-major view of {@code shape} starting at element 0 of {@code buffer}. */
    public static View contiguous(DeviceBuffer buffer, int... shape) {
        return new View(buffer, buffer.dtype(), 0, shape.clone(), contiguousStrides(shape));
    }

    /** Row-major strides of a shape. */
    public static long[] contiguousStrides(int[] shape) {
        long[] strides = new long[shape.length];
        long step = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = step;
            step *= shape[axis];
        }
        return strides;
    }

    /** Number of elements: the product of the shape (1 for a scalar). */
    public long size() {
        long n = 1;
        for (int extent : shape) {
            n *= extent;
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    /** Whether the elements are laid out row-major without gaps, so {@code offset + i} is element i. */
    public boolean isContiguous() {
        long step = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] != 1 && strides[axis] != step) {
                return false;
            }
            step *= shape[axis];
        }
        return true;
    }

    @Override
    public String toString() {
        return "View[" + dtype + " shape=" + Arrays.toString(shape) + " strides=" + Arrays.toString(strides)
                + " offset=" + offset + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof View v
                && v.buffer == buffer
                && v.dtype == dtype
                && v.offset == offset
                && Arrays.equals(v.shape, shape)
                && Arrays.equals(v.strides, strides);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(buffer) * 31 + Arrays.hashCode(shape) * 17 + Long.hashCode(offset);
    }
}
