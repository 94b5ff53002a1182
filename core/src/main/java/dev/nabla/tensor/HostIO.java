package dev.nabla.tensor;

/** Reads tensors back to the host (each read waits for pending device work). */
final class HostIO {
    private HostIO() {}

    private static Object read(Tensor x) {
        Checks.open(x, "read");
        Tensor source = x.isContiguous() ? x : ShapeOps.copyRaw(x);
        int n = (int) x.size();
        Object array = switch (x.dtype()) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
        };
        if (n > 0) {
            x.backend().read(source.view.buffer(), source.view.offset(), array, 0, n);
        }
        if (source != x) {
            source.close();
        }
        return array;
    }

    static float[] toFloatArray(Tensor x) {
        Object array = read(x);
        if (array instanceof float[] f) {
            return f;
        }
        int n = (int) x.size();
        float[] out = new float[n];
        if (array instanceof double[] d) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) d[i];
            }
        } else {
            int[] ints = (int[]) array;
            for (int i = 0; i < n; i++) {
                out[i] = ints[i];
            }
        }
        return out;
    }

    static double[] toDoubleArray(Tensor x) {
        Object array = read(x);
        if (array instanceof double[] d) {
            return d;
        }
        int n = (int) x.size();
        double[] out = new double[n];
        if (array instanceof float[] f) {
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else {
            int[] ints = (int[]) array;
            for (int i = 0; i < n; i++) {
                out[i] = ints[i];
            }
        }
        return out;
    }

    static int[] toIntArray(Tensor x) {
        Object array = read(x);
        if (array instanceof int[] ints) {
            return ints;
        }
        int n = (int) x.size();
        int[] out = new int[n];
        if (array instanceof float[] f) {
            for (int i = 0; i < n; i++) {
                out[i] = (int) f[i];
            }
        } else {
            double[] d = (double[]) array;
            for (int i = 0; i < n; i++) {
                out[i] = (int) d[i];
            }
        }
        return out;
    }
}
