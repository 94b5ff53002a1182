package dev.nabla.data;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An in-memory data set of samples on the host: n feature vectors of a fixed shape and n targets
 * of a fixed shape, each stored row-major in one {@code float[]}.
 *
 * <p>Target shapes by use: {@code {}} for integer class labels stored as floats (0f, 1f, …),
 * {@code {k}} for one-hot vectors ({@link #toCategorical(int)}), {@code {1}} for a regression target.
 *
 * <pre>{@code
 * Dataset data = Dataset.of(pixels, new int[] {784}, labels, new int[] {});
 * Dataset[] parts = data.toCategorical(10).trainTestSplit(0.8, 42);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch batch : parts[0].batches(128, true, 42 + epoch, backend)) {
 *         try (batch) {
 *             // batch.x(): [b, 784] FLOAT32, batch.y(): [b, 10] FLOAT32 on backend
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>A data set is immutable by contract: every operation returns a new one and never changes the
 * arrays it was built from. {@link #features()} and {@link #targets()} return the backing arrays,
 * without copying, so that large sets are not duplicated: treat them as read-only.
 * Shuffles are reproducible from their seed on every JVM.
 */
public final class Dataset {
    private final float[] features;
    private final int[] featureShape;
    private final float[] targets;
    private final int[] targetShape;
    private final int size;

    private Dataset(float[] features, int[] featureShape, float[] targets, int[] targetShape, int size) {
        this.features = features;
        this.featureShape = featureShape;
        this.targets = targets;
        this.targetShape = targetShape;
        this.size = size;
    }

    // ------------------------------------------------------------------ creation

    /**
     * A data set over {@code features} (n × featureShape, row-major) and {@code targets} (n × targetShape).
     * The arrays are not copied; do not change them afterwards.
     *
     * @throws IllegalArgumentException when a length is not a whole number of samples, or the two
     *         arrays hold different numbers of samples
     */
    public static Dataset of(float[] features, int[] featureShape, float[] targets, int[] targetShape) {
        int featureSize = sampleSize("feature", featureShape);
        int targetSize = sampleSize("target", targetShape);
        if (features.length % featureSize != 0) {
            throw new IllegalArgumentException("features hold " + features.length + " values, not a whole number of "
                    + "samples of shape " + Arrays.toString(featureShape) + " (" + featureSize + " values each)");
        }
        if (targets.length % targetSize != 0) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, not a whole number of "
                    + "samples of shape " + Arrays.toString(targetShape) + " (" + targetSize + " values each)");
        }
        int n = features.length / featureSize;
        int m = targets.length / targetSize;
        if (n != m) {
            throw new IllegalArgumentException(
                    "features hold " + n + " samples of shape " + Arrays.toString(featureShape)
                            + " but targets hold " + m + " samples of shape " + Arrays.toString(targetShape)
                            + "; expected the same number of samples");
        }
        return new Dataset(features, featureShape.clone(), targets, targetShape.clone(), n);
    }

    /**
     * A data set read from tensors whose first axis is the sample axis: x [n, …] and y [n, …] (y [n] for
     * class labels). Both are read to the host once, as floats.
     */
    public static Dataset of(Tensor x, Tensor y) {
        if (x.rank() == 0 || y.rank() == 0) {
            throw new IllegalArgumentException("x has shape " + Arrays.toString(x.shape()) + " and y has shape "
                    + Arrays.toString(y.shape()) + "; expected both to have a first (sample) axis");
        }
        if (x.shape(0) != y.shape(0)) {
            throw new IllegalArgumentException("x has " + x.shape(0) + " samples (shape " + Arrays.toString(x.shape())
                    + ") but y has " + y.shape(0) + " (shape " + Arrays.toString(y.shape())
                    + "); expected the same first axis");
        }
        int[] xs = x.shape();
        int[] ys = y.shape();
        return of(
                x.toFloatArray(),
                Arrays.copyOfRange(xs, 1, xs.length),
                y.toFloatArray(),
                Arrays.copyOfRange(ys, 1, ys.length));
    }

    /**
     * A small data set from rows: one feature vector and one target vector per sample
     * (handy for XOR-sized examples).
     */
    public static Dataset of(float[][] features, float[][] targets) {
        if (features.length != targets.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + targets.length
                    + " target rows; expected one target row per feature row");
        }
        int f = features.length == 0 ? 0 : features[0].length;
        int t = targets.length == 0 ? 0 : targets[0].length;
        return of(flatten("feature", features, f), new int[] {f}, flatten("target", targets, t), new int[] {t});
    }

    // ------------------------------------------------------------------ properties

    /** The number of samples. */
    public int size() {
        return size;
    }

    /** The shape of one sample's features, e.g. {784} or {28, 28} (a copy). */
    public int[] featureShape() {
        return featureShape.clone();
    }

    /** The shape of one sample's target: {} for class labels, {k} for one-hot, {1} for regression (a copy). */
    public int[] targetShape() {
        return targetShape.clone();
    }

    /** All features, row-major [n, featureShape…]. The backing array: read-only by contract. */
    public float[] features() {
        return features;
    }

    /** All targets, row-major [n, targetShape…]. The backing array: read-only by contract. */
    public float[] targets() {
        return targets;
    }

    /** Values per sample in {@link #features()}. */
    public int featureSize() {
        return product(featureShape);
    }

    /** Values per sample in {@link #targets()}. */
    public int targetSize() {
        return product(targetShape);
    }

    /**
     * The integer class labels of a data set whose targets are labels (target shape {} or {1}).
     *
     * @throws IllegalStateException for other target shapes or non-integer values
     */
    public int[] labels() {
        requireLabels("labels()");
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            float v = targets[i];
            if (v != Math.rint(v) || Math.abs(v) > 1 << 24) {
                throw new IllegalStateException(
                        "sample " + i + " has target " + v + "; expected an integer class label");
            }
            out[i] = (int) v;
        }
        return out;
    }

    // ------------------------------------------------------------------ selection

    /** The samples at {@code indices}, in that order (repeats allowed); copies the values. */
    public Dataset subset(int[] indices) {
        int fs = featureSize();
        int ts = targetSize();
        float[] x = new float[Math.multiplyExact(indices.length, fs)];
        float[] y = new float[Math.multiplyExact(indices.length, ts)];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("index " + k + " of the subset is " + i + "; expected a sample "
                        + "index in [0, " + size + ")");
            }
            System.arraycopy(features, i * fs, x, k * fs, fs);
            System.arraycopy(targets, i * ts, y, k * ts, ts);
        }
        return new Dataset(x, featureShape, y, targetShape, indices.length);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive); copies the values. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a data set of " + size
                    + " samples; expected 0 ≤ from ≤ to ≤ " + size);
        }
        int fs = featureSize();
        int ts = targetSize();
        return new Dataset(
                Arrays.copyOfRange(features, from * fs, to * fs),
                featureShape,
                Arrays.copyOfRange(targets, from * ts, to * ts),
                targetShape,
                to - from);
    }

    /** All samples in an order determined by {@code seed} (the same on every JVM). */
    public Dataset shuffled(long seed) {
        return subset(Permutation.of(size, seed));
    }

    /**
     * Shuffles with {@code seed} and cuts in two: the first round(n × trainRatio) samples train, the rest test.
     *
     * @return {train, test}
     * @throws IllegalArgumentException when the ratio is not strictly between 0 and 1, or leaves a part empty
     */
    public Dataset[] trainTestSplit(double trainRatio, long seed) {
        if (!(trainRatio > 0 && trainRatio < 1)) {
            throw new IllegalArgumentException("train ratio is " + trainRatio + "; expected a number strictly between "
                    + "0 and 1 (e.g. 0.8 for an 80:20 split)");
        }
        int trainSize = (int) Math.round(size * trainRatio);
        if (trainSize == 0 || trainSize == size) {
            throw new IllegalArgumentException("a train ratio of " + trainRatio + " on " + size + " samples leaves the "
                    + (trainSize == 0 ? "train" : "test") + " part empty; expected both parts to hold a sample");
        }
        int[] order = Permutation.of(size, seed);
        return new Dataset[] {
            subset(Arrays.copyOfRange(order, 0, trainSize)), subset(Arrays.copyOfRange(order, trainSize, size))
        };
    }

    // ------------------------------------------------------------------ reshaping and targets

    /** The same samples with features of another shape holding as many values, e.g. {28, 28} → {784}. */
    public Dataset reshapeFeatures(int... shape) {
        int n = sampleSize("feature", shape);
        if (n != featureSize()) {
            throw new IllegalArgumentException("feature shape " + Arrays.toString(shape) + " holds " + n
                    + " values; expected " + featureSize() + " like " + Arrays.toString(featureShape));
        }
        return new Dataset(features, shape.clone(), targets, targetShape, size);
    }

    /** The same samples with flat feature vectors: {28, 28} → {784}. Shares the arrays. */
    public Dataset flatten() {
        return reshapeFeatures(featureSize());
    }

    /**
     * The same samples with one-hot targets {classes}, from integer class labels (target shape {} or {1}).
     *
     * @throws IllegalArgumentException when a label is not an integer in [0, classes), naming the sample
     */
    public Dataset toCategorical(int classes) {
        requireLabels("toCategorical");
        float[] oneHot = categorical(targets, classes);
        return new Dataset(features, featureShape, oneHot, new int[] {classes}, size);
    }

    /**
     * One-hot rows for integer labels, like Keras' {@code to_categorical}: {@code labels.length × classes}
     * values, row-major.
     *
     * <pre>{@code
     * Dataset.toCategorical(new int[] {2, 0}, 3);   // {0,0,1, 1,0,0}
     * }</pre>
     */
    public static float[] toCategorical(int[] labels, int classes) {
        checkClasses(classes);
        float[] out = new float[Math.multiplyExact(labels.length, classes)];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + i + " is " + labels[i] + "; expected a class in [0, " + classes + ")");
            }
            out[i * classes + labels[i]] = 1f;
        }
        return out;
    }

    private static float[] categorical(float[] labels, int classes) {
        checkClasses(classes);
        float[] out = new float[Math.multiplyExact(labels.length, classes)];
        for (int i = 0; i < labels.length; i++) {
            float v = labels[i];
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new IllegalArgumentException(
                        "sample " + i + " has label " + v + "; expected an integer class in [0, " + classes + ")");
            }
            out[i * classes + (int) v] = 1f;
        }
        return out;
    }

    private static void checkClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes is " + classes + "; expected at least 1");
        }
    }

    private void requireLabels(String what) {
        if (targetSize() != 1) {
            throw new IllegalStateException(
                    what + " needs integer class labels (target shape [] or [1]); this data set's "
                            + "targets have shape " + Arrays.toString(targetShape));
        }
    }

    // ------------------------------------------------------------------ batches

    /** How many batches {@link #batches} yields: ⌈n / batchSize⌉. */
    public int batchCount(int batchSize) {
        checkBatchSize(batchSize);
        return (int) ((size + (long) batchSize - 1) / batchSize);
    }

    /**
     * One pass over the data in batches uploaded to {@code backend}: x FLOAT32 [b, featureShape…] and
     * y FLOAT32 [b, targetShape…], b = batchSize except perhaps for the last batch. With {@code shuffle} the
     * order is a permutation drawn from {@code seed}; pass {@code seed + epoch} for a new order each epoch.
     * Each batch is uploaded when the iterator reaches it; close it when done (try-with-resources).
     * The iterable can be iterated again and gives the same batches.
     *
     * @throws IllegalArgumentException when {@code batchSize} is not positive
     */
    public Iterable<Batch> batches(int batchSize, boolean shuffle, long seed, Backend backend) {
        checkBatchSize(batchSize);
        if (backend == null) {
            throw new IllegalArgumentException(
                    "backend is null; expected the backend to upload batches to " + "(e.g. Backends.current())");
        }
        return () -> new BatchIterator(this, batchSize, shuffle ? Permutation.of(size, seed) : null, backend);
    }

    /**
     * This data set uploaded to {@code backend} once, to serve batches gathered on the device ({@link
     * ResidentDataset}); close it to release the device copies.
     *
     * @throws IllegalArgumentException when {@code backend} is null
     */
    public ResidentDataset resident(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException(
                    "backend is null; expected the backend to keep the data set on (e.g. Backends.current())");
        }
        return new ResidentDataset(this, backend);
    }

    /** {@link #batches(int, boolean, long, Backend)} on the current backend ({@link Backends#current()}). */
    public Iterable<Batch> batches(int batchSize, boolean shuffle, long seed) {
        return batches(batchSize, shuffle, seed, Backends.current());
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException(
                    "batch size is " + batchSize + "; expected a positive number of samples");
        }
    }

    /**
     * Serves each batch as two tensors gathered from the data set's arrays in one copy each
     * ({@link dev.nabla.tensor.TensorFactory#rowsOf}): no host array in between on a backend that
     * writes rows in place, and no host array allocated per batch on any backend.
     */
    private static final class BatchIterator implements Iterator<Batch> {
        private final Dataset data;
        private final int batchSize;
        private final int[] order;
        private final TensorFactory tensors;
        private int next;

        BatchIterator(Dataset data, int batchSize, int[] order, Backend backend) {
            this.data = data;
            this.batchSize = batchSize;
            this.order = order;
            this.tensors = Tensor.on(backend);
        }

        @Override
        public boolean hasNext() {
            return next < data.size;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no batch left: all " + data.size + " samples were served");
            }
            int from = next;
            int b = (int) Math.min(data.size - (long) from, batchSize);
            next = from + b;
            Tensor xb = tensors.rowsOf(data.features, order, from, b, data.featureShape);
            Tensor yb;
            try {
                yb = tensors.rowsOf(data.targets, order, from, b, data.targetShape);
            } catch (RuntimeException e) {
                xb.close();
                throw e;
            }
            return new Batch(xb, yb, b);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static int sampleSize(String what, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(what + " shape " + Arrays.toString(shape)
                        + " has an extent ≤ 0; expected positive extents ({} for a scalar)");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) n;
    }

    private static int product(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static float[] flatten(String what, float[][] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException(
                        what + " row " + i + " has " + rows[i].length + " values; expected " + width + " like row 0");
            }
            System.arraycopy(rows[i], 0, out, i * width, width);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Dataset(" + size + " samples, features " + Arrays.toString(featureShape) + ", targets "
                + Arrays.toString(targetShape) + ")";
    }
}
