package dev.nabla.conformance;

import dev.nabla.backend.DType;
import java.util.Arrays;

/**
 * A row-major array of doubles with a shape: the reference side of every conformance check.
 * Immutable by convention; every operation returns a new array.
 *
 * <p>{@link #scale} is an optional per-element error scale: for results that sum many terms
 * (reductions, matrix products) it holds Σ|term|, so a tolerance can be relative to what was
 * summed rather than to a result that may cancel to nearly 0.
 */
final class HostArray {
    final int[] shape;
    final double[] data;
    final double[] scale;

    HostArray(double[] data, int[] shape, double[] scale) {
        if (size(shape) != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size(shape) + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
        this.scale = scale;
    }

    static HostArray of(double[] data, int... shape) {
        return new HostArray(data, shape, null);
    }

    static HostArray scalar(double value) {
        return of(new double[] {value});
    }

    HostArray withScale(double[] errorScale) {
        return new HostArray(data, shape, errorScale);
    }

    int rank() {
        return shape.length;
    }

    int size() {
        return data.length;
    }

    /** The error scale of element i: the given scale, else |value|. */
    double scaleAt(int i) {
        return scale != null ? Math.max(scale[i], Math.abs(data[i])) : Math.abs(data[i]);
    }

    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int step = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = step;
            step *= shape[axis];
        }
        return strides;
    }

    /** Row-major multi-index of flat index {@code flat} in {@code shape}. */
    static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] > 0) {
                index[axis] = flat % shape[axis];
                flat /= shape[axis];
            }
        }
        return index;
    }

    double get(int... index) {
        int[] strides = strides(shape);
        int flat = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            flat += index[axis] * strides[axis];
        }
        return data[flat];
    }

    /** The values rounded as a tensor of {@code dtype} stores them (float rounding, truncation toward 0 for INT32). */
    HostArray roundedTo(DType dtype) {
        double[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = round(out[i], dtype);
        }
        return new HostArray(out, shape, scale);
    }

    static double round(double value, DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> (float) value;
            case FLOAT64 -> value;
            case INT32 -> (int) value;
        };
    }

    // ------------------------------------------------------------------ views, as copies

    HostArray reshape(int... newShape) {
        return new HostArray(data, newShape, scale);
    }

    /** Result axis i is this array's axis {@code axes[i]}. */
    HostArray permute(int... axes) {
        int[] newShape = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            newShape[i] = shape[axes[i]];
        }
        int[] strides = strides(shape);
        double[] out = new double[data.length];
        for (int flat = 0; flat < out.length; flat++) {
            int[] index = unravel(flat, newShape);
            int source = 0;
            for (int i = 0; i < axes.length; i++) {
                source += index[i] * strides[axes[i]];
            }
            out[flat] = data[source];
        }
        return of(out, newShape);
    }

    /** Swaps the last two axes. */
    HostArray t() {
        int[] axes = new int[rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        axes[rank() - 2] = rank() - 1;
        axes[rank() - 1] = rank() - 2;
        return permute(axes);
    }

    /** Elements start, start + step, … below end along {@code axis} (non-negative, in range). */
    HostArray slice(int axis, int start, int end, int step) {
        int count = end > start ? (end - start + step - 1) / step : 0;
        int[] newShape = shape.clone();
        newShape[axis] = count;
        double[] out = new double[(int) size(newShape)];
        int[] strides = strides(shape);
        for (int flat = 0; flat < out.length; flat++) {
            int[] index = unravel(flat, newShape);
            index[axis] = start + index[axis] * step;
            int source = 0;
            for (int i = 0; i < index.length; i++) {
                source += index[i] * strides[i];
            }
            out[flat] = data[source];
        }
        return of(out, newShape);
    }

    /** numpy broadcasting to {@code target} (which must be compatible). */
    HostArray broadcastTo(int... target) {
        double[] out = new double[(int) size(target)];
        for (int flat = 0; flat < out.length; flat++) {
            out[flat] = data[sourceIndex(flat, target)];
        }
        return of(out, target);
    }

    /** The flat index of this array that broadcasts to flat index {@code flat} of {@code target}. */
    int sourceIndex(int flat, int[] target) {
        int[] index = unravel(flat, target);
        int[] strides = strides(shape);
        int shift = target.length - shape.length;
        int source = 0;
        for (int i = 0; i < shape.length; i++) {
            source += (shape[i] == 1 ? 0 : index[i + shift]) * strides[i];
        }
        return source;
    }

    @Override
    public String toString() {
        return "HostArray" + Arrays.toString(shape) + (data.length <= 16 ? Arrays.toString(data) : "");
    }
}
