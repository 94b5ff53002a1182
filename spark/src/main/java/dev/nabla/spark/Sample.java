package dev.nabla.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training sample of a Spark data set: its features, flattened row-major to the model's
 * per-sample input shape, and its target (one value, an integer class index stored as a float, for
 * sparse losses and binary or scalar targets; a vector, e.g. one-hot, otherwise).
 *
 * <pre>{@code
 * JavaRDD<Sample> samples = sc.parallelize(List.of(
 *         new Sample(new float[] {0, 1}, new float[] {1}),
 *         new Sample(new float[] {1, 1}, new float[] {0})), 2);
 * }</pre>
 *
 * @param features the sample's features, row-major
 * @param target the sample's target
 */
public record Sample(float[] features, float[] target) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * @throws IllegalArgumentException when either array is null or empty
     */
    public Sample {
        if (features == null || features.length == 0) {
            throw new IllegalArgumentException("a Sample's features are " + (features == null ? "null" : "empty")
                    + "; expected at least one value");
        }
        if (target == null || target.length == 0) {
            throw new IllegalArgumentException(
                    "a Sample's target is " + (target == null ? "null" : "empty") + "; expected at least one value");
        }
    }

    /** A sample with a single target value, e.g. a class index. */
    public static Sample of(float[] features, float target) {
        return new Sample(features, new float[] {target});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(features, s.features) && Arrays.equals(target, s.target);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return "Sample[" + features.length + " features, target " + Arrays.toString(target) + "]";
    }
}
