package dev.nabla.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A learning rate that is constant between boundaries, as Keras' {@code PiecewiseConstantDecay}:
 * {@code values[0]} while step ≤ boundaries[0], {@code values[i]} while
 * boundaries[i−1] &lt; step ≤ boundaries[i], and {@code values[last]} after the last boundary.
 *
 * <pre>{@code
 * new PiecewiseConstantDecay(new long[] {700, 900}, new double[] {0.1, 0.05, 0.01});
 * // steps 0..700 → 0.1, 701..900 → 0.05, then 0.01
 * }</pre>
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("PiecewiseConstantDecay: " + boundaries.length + " boundaries need "
                    + (boundaries.length + 1) + " values, got " + values.length);
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException(
                        "PiecewiseConstantDecay: boundaries must increase, got " + Arrays.toString(boundaries));
            }
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override
    public double at(long step) {
        for (int i = 0; i < boundaries.length; i++) {
            if (step <= boundaries[i]) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    @Override
    public String name() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        List<Object> b = new ArrayList<>();
        for (long x : boundaries) {
            b.add(x);
        }
        List<Object> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        config.put("boundaries", b);
        config.put("values", v);
        return config;
    }
}
