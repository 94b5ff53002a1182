package dev.nabla.cpu;

/**
 * Strided loads into and stores from {@code double} scratch for the three array types, so that
 * every kernel is written once over {@code double[]} chunks. The switch on the array type runs
 * once per chunk, never per element.
 */
final class Arrays3 {
    private Arrays3() {}

    static void load(Object array, long offset, long stride, double[] dst, int n) {
        int o = (int) offset;
        int s = (int) stride;
        if (array instanceof float[] a) {
            if (s == 1) {
                for (int i = 0; i < n; i++) {
                    dst[i] = a[o + i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[i] = a[o + i * s];
                }
            }
        } else if (array instanceof double[] a) {
            if (s == 1) {
                System.arraycopy(a, o, dst, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    dst[i] = a[o + i * s];
                }
            }
        } else {
            int[] a = (int[]) array;
            for (int i = 0; i < n; i++) {
                dst[i] = a[o + i * s];
            }
        }
    }

    static void store(double[] src, Object array, long offset, long stride, int n) {
        int o = (int) offset;
        int s = (int) stride;
        if (array instanceof float[] a) {
            if (s == 1) {
                for (int i = 0; i < n; i++) {
                    a[o + i] = (float) src[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    a[o + i * s] = (float) src[i];
                }
            }
        } else if (array instanceof double[] a) {
            if (s == 1) {
                System.arraycopy(src, 0, a, o, n);
            } else {
                for (int i = 0; i < n; i++) {
                    a[o + i * s] = src[i];
                }
            }
        } else {
            int[] a = (int[]) array;
            for (int i = 0; i < n; i++) {
                a[o + i * s] = (int) src[i];
            }
        }
    }

    /** Stores one value, rounded to the array's type (toward zero for ints), as {@link #store} does. */
    static void set(Object array, long index, double value) {
        if (array instanceof float[] a) {
            a[(int) index] = (float) value;
        } else if (array instanceof double[] a) {
            a[(int) index] = value;
        } else {
            ((int[]) array)[(int) index] = (int) value;
        }
    }

    static double get(Object array, long index) {
        if (array instanceof float[] a) {
            return a[(int) index];
        }
        if (array instanceof double[] a) {
            return a[(int) index];
        }
        return ((int[]) array)[(int) index];
    }
}
