package dev.nabla.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What partitions send back, summed by {@code treeAggregate}: the sums of their weights and
 * optimizer slots after the round's local steps, their loss and metrics weighted by samples, and
 * how the round went (slowest task's training time, tasks that ran on a retry). Empty (the
 * aggregation's zero) until the first partition is added. {@link #add} changes and returns this
 * object, as Spark allows of an aggregation's accumulator.
 */
final class Update implements Serializable {
    private static final long serialVersionUID = 1L;

    int partitions;
    float[][] weights;
    float[][][] slots;
    long iterations;
    long samples;
    final Map<String, Double> weightedLogs = new LinkedHashMap<>();
    double maxComputeSeconds;
    int retriedTasks;

    /** The zero of the aggregation. */
    static Update empty() {
        return new Update();
    }

    /** Adds {@code other} to this one (both may be empty); returns this. */
    Update add(Update other) {
        if (other.partitions == 0) {
            return this;
        }
        if (partitions == 0) {
            weights = copy(other.weights);
            slots = new float[other.slots.length][][];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = other.slots[i] == null ? null : copy(other.slots[i]);
            }
            iterations = other.iterations;
        } else {
            addInto(weights, other.weights);
            for (int i = 0; i < slots.length; i++) {
                if ((slots[i] == null) != (other.slots[i] == null)) {
                    throw new IllegalStateException("partitions disagree on whether trainable weight " + i
                            + " has optimizer state; expected every partition to train every weight");
                }
                if (slots[i] != null) {
                    addInto(slots[i], other.slots[i]);
                }
            }
            if (iterations != other.iterations) {
                throw new IllegalStateException("partitions ended the round at optimizer steps " + iterations + " and "
                        + other.iterations + "; expected the same number of local steps everywhere");
            }
        }
        partitions += other.partitions;
        samples += other.samples;
        other.weightedLogs.forEach((k, v) -> weightedLogs.merge(k, v, Double::sum));
        maxComputeSeconds = Math.max(maxComputeSeconds, other.maxComputeSeconds);
        retriedTasks += other.retriedTasks;
        return this;
    }

    /** The mean of the summed weights (every partition counts the same: each trained the same samples). */
    float[][] meanWeights() {
        return divided(weights, partitions);
    }

    /** The mean of the summed optimizer slots, per trainable weight (null where none). */
    float[][][] meanSlots() {
        float[][][] mean = new float[slots.length][][];
        for (int i = 0; i < slots.length; i++) {
            mean[i] = slots[i] == null ? null : divided(slots[i], partitions);
        }
        return mean;
    }

    /** Loss and metrics over every sample of the round. */
    Map<String, Double> logs() {
        Map<String, Double> logs = new LinkedHashMap<>();
        weightedLogs.forEach((k, v) -> logs.put(k, v / samples));
        return logs;
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static void addInto(float[][] sum, float[][] add) {
        for (int i = 0; i < sum.length; i++) {
            float[] s = sum[i];
            float[] a = add[i];
            for (int j = 0; j < s.length; j++) {
                s[j] += a[j];
            }
        }
    }

    private static float[][] divided(float[][] a, int divisor) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            float[] v = a[i].clone();
            if (divisor != 1) {
                for (int j = 0; j < v.length; j++) {
                    v[j] /= divisor;
                }
            }
            out[i] = v;
        }
        return out;
    }
}
