package dev.nabla.tensor;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.RandomKind;

/**
 * Makes tensors on one backend.
 *
 * <pre>{@code
 * TensorFactory cuda = Tensor.on(Backends.get("cuda", 0));
 * Tensor x = cuda.of(new float[] {1, 2, 3, 4}, 2, 2);
 * Tensor w = cuda.uniform(new Generator(7), -0.1, 0.1, 2, 8);
 * }</pre>
 */
public final class TensorFactory {
    private final Backend backend;

    TensorFactory(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** An uninitialized tensor (its contents are whatever the buffer held). */
    public Tensor empty(DType dtype, int... shape) {
        return Tensor.empty(backend, dtype, shape);
    }

    public Tensor zeros(int... shape) {
        return full(DType.FLOAT32, 0, shape);
    }

    public Tensor zeros(DType dtype, int... shape) {
        return full(dtype, 0, shape);
    }

    public Tensor ones(int... shape) {
        return full(DType.FLOAT32, 1, shape);
    }

    public Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    public Tensor full(double value, int... shape) {
        return full(DType.FLOAT32, value, shape);
    }

    public Tensor full(DType dtype, double value, int... shape) {
        Tensor t = Tensor.empty(backend, dtype, shape);
        if (t.size() > 0) {
            backend.fill(t.view, value);
        }
        return t;
    }

    /** A FLOAT32 scalar (rank 0). */
    public Tensor scalar(double value) {
        return full(DType.FLOAT32, value);
    }

    /** FLOAT32 values start, start + step, … below end. */
    public Tensor arange(double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (start + i * step);
        }
        return of(values, n);
    }

    public Tensor of(float[] data, int... shape) {
        return write(DType.FLOAT32, data, data.length, shape);
    }

    public Tensor of(double[] data, int... shape) {
        return write(DType.FLOAT64, data, data.length, shape);
    }

    public Tensor of(int[] data, int... shape) {
        return write(DType.INT32, data, data.length, shape);
    }

    /**
     * A FLOAT32 tensor [count, rowShape…] made of rows of a host array that holds rows of
     * {@code rowShape} one after another: rows {@code order[first]}, …,
     * {@code order[first + count − 1]}, or with {@code order} null rows {@code first}, …,
     * {@code first + count − 1}. A shuffled batch reaches the device this way in one copy, with no
     * host array in between where the backend can write rows in place.
     *
     * <pre>{@code
     * int[] order = Permutation.of(60_000, seed);
     * Tensor x = Tensor.on(backend).rowsOf(images, order, 0, 128, 28, 28); // the first shuffled batch, [128, 28, 28]
     * }</pre>
     *
     * @throws IllegalArgumentException when a row index, {@code first} or {@code count} is out of
     *                                  range, or {@code rowShape} has a negative extent
     */
    public Tensor rowsOf(float[] source, int[] order, int first, int count, int... rowShape) {
        int[] shape = new int[rowShape.length + 1];
        shape[0] = count;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        Shapes.validated(shape);
        int rowLength = Math.toIntExact(Shapes.size(rowShape));
        int available = rowLength == 0 ? Integer.MAX_VALUE : source.length / rowLength;
        int limit = order == null ? available : order.length;
        if (first < 0 || first > limit - count) {
            String of = order == null
                    ? "a source holding " + available + " rows of " + rowLength + " values"
                    : "an order of " + limit + " rows";
            throw new IllegalArgumentException("rows " + first + " to " + ((long) first + count)
                    + " (exclusive) were asked of " + of + "; expected 0 ≤ first ≤ first + count ≤ " + limit);
        }
        if (order != null) {
            for (int k = first; k < first + count; k++) {
                if (order[k] < 0 || order[k] >= available) {
                    throw new IllegalArgumentException(
                            "order[" + k + "] is row " + order[k] + "; expected a row in [0, " + available
                                    + ") of a source holding " + source.length + " values in rows of " + rowLength);
                }
            }
        }
        Tensor t = Tensor.empty(backend, DType.FLOAT32, shape);
        try {
            if (t.size() > 0) {
                backend.writeRows(t.view.buffer(), 0, source, rowLength, order, first, count);
                if (NanCheck.isEnabled()) {
                    NanCheck.checkHost("Tensor.rowsOf", t.toFloatArray(), (int) t.size(), shape);
                }
            }
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** A FLOAT32 matrix from rows of equal length. */
    public Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException(
                        "row " + r + " has " + rows[r].length + " values; expected " + cols + " like row 0");
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return of(flat, rows.length, cols);
    }

    private Tensor write(DType dtype, Object data, int length, int[] shape) {
        int[] resolved = shape.length == 0 ? new int[] {length} : shape;
        long size = Shapes.size(Shapes.validated(resolved));
        if (size != length) {
            throw new IllegalArgumentException("shape " + Shapes.str(resolved) + " holds " + size + " elements but "
                    + length + " values were given");
        }
        NanCheck.checkHost("Tensor.of", data, length, resolved);
        Tensor t = Tensor.empty(backend, dtype, resolved);
        if (length > 0) {
            backend.write(t.view.buffer(), 0, data, 0, length);
        }
        return t;
    }

    /** Uniform on [low, high) (FLOAT32). */
    public Tensor uniform(Generator generator, double low, double high, int... shape) {
        return random(DType.FLOAT32, RandomKind.UNIFORM, generator, low, high, shape);
    }

    /** Normal(mean, std²) (FLOAT32). */
    public Tensor normal(Generator generator, double mean, double std, int... shape) {
        return random(DType.FLOAT32, RandomKind.NORMAL, generator, mean, std, shape);
    }

    /** Random draws of any kind and floating dtype. */
    public Tensor random(DType dtype, RandomKind kind, Generator generator, double a, double b, int... shape) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("random tensors are floating-point; got " + dtype);
        }
        Tensor t = Tensor.empty(backend, dtype, shape);
        long start = generator.advance(kind, t.size());
        if (t.size() > 0) {
            try {
                backend.random(kind, generator.seed(), start, a, b, t.view);
            } catch (RuntimeException e) {
                generator.giveBack(kind, t.size(), start); // a refused draw (capture) leaves the sequence as it was
                t.close();
                throw e;
            }
        }
        return t;
    }
}
