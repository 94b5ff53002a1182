package dev.nabla.data;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A data set kept on a backend: its features and targets are uploaded once, and each batch is gathered on the
 * device ({@link Backend#gatherRows}) by the rows of an order uploaded once per pass, so a training step on a GPU
 * moves no data from the host. {@code fit} trains from one of these on backends whose memory is not the host's
 * ({@link Backend#hostAddressable()}), and {@link dev.nabla.nn.FitOptions#residentData} chooses. The batches are the
 * same, value for value, as {@link Dataset#batches(int, boolean, long, Backend)}'s with the same arguments.
 *
 * <pre>{@code
 * try (ResidentDataset resident = data.resident(backend)) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         for (Batch batch : resident.batches(128, true, seed + epoch)) {
 *             try (batch) {
 *                 // batch.x() [128, 784] and batch.y() [128, 10], gathered on the device
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>One pass at a time: a pass writes its order into the one order buffer this holds. Close it to release the
 * device copies.
 */
public final class ResidentDataset implements AutoCloseable {
    private final Dataset data;
    private final Backend backend;
    private final TensorFactory tensors;
    private final int featureLength, targetLength;
    private final Tensor features, targets, order;

    ResidentDataset(Dataset data, Backend backend) {
        this.data = data;
        this.backend = backend;
        this.tensors = Tensor.on(backend);
        int n = data.size();
        this.featureLength = n == 0 ? 0 : data.features().length / n;
        this.targetLength = n == 0 ? 0 : data.targets().length / n;
        Tensor f = null, t = null;
        try {
            f = tensors.of(data.features(), n, featureLength);
            t = tensors.of(data.targets(), n, targetLength);
            this.order = tensors.empty(DType.INT32, n);
        } catch (RuntimeException | Error e) {
            if (f != null) {
                f.close();
            }
            if (t != null) {
                t.close();
            }
            throw e;
        }
        this.features = f;
        this.targets = t;
    }

    /** The number of samples. */
    public int size() {
        return data.size();
    }

    /**
     * One pass over the data in batches gathered on the backend, as {@link Dataset#batches(int, boolean, long,
     * Backend)}: x FLOAT32 [b, featureShape…] and y FLOAT32 [b, targetShape…], b = batchSize except perhaps for the
     * last batch; with {@code shuffle} the order is the permutation drawn from {@code seed}.
     *
     * @throws IllegalArgumentException when {@code batchSize} is not positive
     */
    public Iterable<Batch> batches(int batchSize, boolean shuffle, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException(
                    "batch size is " + batchSize + "; expected a positive number of samples");
        }
        return () -> new Pass(batchSize, shuffle ? Permutation.of(data.size(), seed) : identity(data.size()));
    }

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** A pass: its order uploaded when it starts, each batch gathered when the iterator reaches it. */
    private final class Pass implements Iterator<Batch> {
        private final int batchSize;
        private int next;

        Pass(int batchSize, int[] rows) {
            this.batchSize = batchSize;
            if (rows.length > 0) {
                backend.write(order.view().buffer(), order.view().offset(), rows, 0, rows.length);
            }
        }

        @Override
        public boolean hasNext() {
            return next < data.size();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no batch left: all " + data.size() + " samples were served");
            }
            int from = next;
            int b = Math.min(data.size() - from, batchSize);
            next = from + b;
            View rows = new View(
                    order.view().buffer(), DType.INT32, order.view().offset() + from, new int[] {b}, new long[] {1});
            Tensor x = gather(features, featureLength, rows, data.featureShape(), b);
            try {
                return new Batch(x, gather(targets, targetLength, rows, data.targetShape(), b), b);
            } catch (RuntimeException | Error e) {
                x.close();
                throw e;
            }
        }

        private Tensor gather(Tensor source, int rowLength, View rows, int[] rowShape, int b) {
            int[] shape = new int[rowShape.length + 1];
            shape[0] = b;
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            Tensor out = tensors.empty(DType.FLOAT32, shape);
            try {
                View o = out.view();
                backend.gatherRows(
                        source.view(),
                        rows,
                        new View(o.buffer(), DType.FLOAT32, o.offset(), new int[] {b, rowLength}, new long[] {
                            rowLength, 1
                        }));
                return out;
            } catch (RuntimeException | Error e) {
                out.close();
                throw e;
            }
        }
    }

    /** Releases the device copies of the features, targets and order. */
    @Override
    public void close() {
        features.close();
        targets.close();
        order.close();
    }
}
