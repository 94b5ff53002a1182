package dev.nabla.metrics;

import dev.nabla.tensor.Tensor;

/**
 * A metric whose state is two running sums, a numerator and a denominator, and whose result is their ratio (0
 * while the denominator is 0, as Keras reports precision and recall): subclasses say what each sums.
 */
abstract class Ratio extends Metric {
    protected Ratio(String name) {
        super(name);
    }

    @Override
    protected final int stateSize() {
        return 2;
    }

    @Override
    protected double countOf(Tensor yTrue, Tensor yPred) {
        return yPred.size();
    }

    @Override
    protected final double result(double[] state, double count) {
        return state[1] == 0 ? 0 : state[0] / state[1];
    }
}
