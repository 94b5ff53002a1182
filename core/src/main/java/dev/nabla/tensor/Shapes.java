package dev.nabla.tensor;

import java.util.Arrays;

/** Shape arithmetic and the checks that turn bad input into clear messages. */
final class Shapes {
    private Shapes() {}

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static int[] validated(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "shape " + str(shape) + " has a negative extent; expected every extent ≥ 0");
            }
        }
        if (size(shape) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has " + size(shape) + " elements; at most "
                    + Integer.MAX_VALUE + " are supported per tensor");
        }
        return shape.clone();
    }

    /** Numpy broadcasting of two shapes, or an exception naming both. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (axis " + i + " of the result: " + da + " vs " + db
                        + "; expected equal extents or 1)");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalizes a possibly negative axis, or throws naming the axis and the rank. */
    static int axis(String op, int axis, int rank) {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + "; expected an axis in [" + (-rank) + ", " + (rank - 1) + "]");
        }
        return normalized;
    }

    /** Normalized, sorted, distinct axes; all axes when none are given. */
    static int[] axes(String op, int[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            int n = axis(op, a, rank);
            if (seen[n]) {
                throw new IllegalArgumentException(op + ": axis " + a + " is given twice in " + Arrays.toString(axes));
            }
            seen[n] = true;
        }
        int[] sorted = new int[axes.length];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (seen[i]) {
                sorted[k++] = i;
            }
        }
        return sorted;
    }
}
