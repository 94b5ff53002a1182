package dev.nabla.spark;

import dev.nabla.data.Dataset;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * One partition's samples in two flat arrays, as a Nabla {@link Dataset} holds them: built once from
 * the partition's {@link Sample}s and cached by Spark, so that a round slices its batches without
 * touching the samples' objects again.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int size;
    final float[] features;
    final int[] featureShape;
    final float[] targets;
    final int[] targetShape;

    private Shard(int partition, int size, float[] features, int[] featureShape, float[] targets, int[] targetShape) {
        this.partition = partition;
        this.size = size;
        this.features = features;
        this.featureShape = featureShape;
        this.targets = targets;
        this.targetShape = targetShape;
    }

    /** The samples of partition {@code partition}, checked against the per-sample shapes. */
    static Shard of(int partition, Iterator<Sample> samples, int[] featureShape, int[] targetShape) {
        int fs = sizeOf(featureShape);
        int ts = sizeOf(targetShape);
        float[] x = new float[fs * 64];
        float[] y = new float[ts * 64];
        int n = 0;
        while (samples.hasNext()) {
            Sample s = samples.next();
            if (s.features().length != fs) {
                throw new IllegalArgumentException("sample " + n + " of partition " + partition + " has "
                        + s.features().length + " features; expected " + fs + " (the model's input shape "
                        + Arrays.toString(featureShape) + ")");
            }
            if (s.target().length != ts) {
                throw new IllegalArgumentException("sample " + n + " of partition " + partition + " has a target of "
                        + s.target().length + " values; expected " + ts + " (as the first sample's)");
            }
            if ((long) (n + 1) * fs > x.length) {
                x = Arrays.copyOf(x, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, 2L * x.length)));
                y = Arrays.copyOf(y, 2 * y.length);
            }
            System.arraycopy(s.features(), 0, x, n * fs, fs);
            System.arraycopy(s.target(), 0, y, n * ts, ts);
            n++;
        }
        return new Shard(
                partition,
                n,
                Arrays.copyOf(x, n * fs),
                featureShape.clone(),
                Arrays.copyOf(y, n * ts),
                targetShape.clone());
    }

    /**
     * The samples of steps {@code fromStep} (inclusive) to {@code toStep} of epoch {@code epoch},
     * {@code batchSize} per step: in stored order, or in the epoch's permutation of this shard when
     * {@code shuffle} (drawn from {@code seed}, the epoch and the partition, the same on every JVM).
     */
    Dataset steps(int fromStep, int toStep, int batchSize, int epoch, boolean shuffle, long seed) {
        int from = fromStep * batchSize;
        int to = toStep * batchSize;
        if (to > size) {
            throw new IllegalStateException("partition " + partition + " holds " + size + " samples; steps " + fromStep
                    + " to " + toStep + " of " + batchSize + " need " + to);
        }
        Dataset all = Dataset.of(features, featureShape, targets, targetShape);
        if (!shuffle) {
            return all.slice(from, to);
        }
        int[] order = permutation(size, seed * 1_000_003L + epoch * 8191L + partition);
        return all.subset(Arrays.copyOfRange(order, from, to));
    }

    /** A Fisher–Yates permutation of [0, n) drawn from {@code seed} (SplittableRandom: the same everywhere). */
    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
