package dev.nabla.metrics;

/**
 * A metric whose state is one running sum and whose result is that sum over the count of what was summed (NaN
 * before any update): a mean, an accuracy, a mean absolute error. Subclasses say what to sum and how much it counts.
 */
abstract class Averaged extends Metric {
    protected Averaged(String name) {
        super(name);
    }

    @Override
    protected final int stateSize() {
        return 1;
    }

    @Override
    protected final double result(double[] state, double count) {
        return count == 0 ? Double.NaN : state[0] / count;
    }
}
