package dev.nabla.conformance;

import dev.nabla.backend.DType;

/**
 * How close a backend's value must be to the reference: {@code |actual − expected| ≤ atol + rtol · s}
 * with s = max(|expected|, the reference's error scale). The presets below are the documented
 * tolerances of the kit (docs/conformance.md); 0/0 means bit-exact.
 *
 * @param atol absolute tolerance
 * @param rtol relative tolerance
 */
record Tolerance(double atol, double rtol) {
    static final Tolerance EXACT = new Tolerance(0, 0);

    /** One correctly rounded or few-ulp operation per element (arithmetic, exp, log, activations). */
    static Tolerance elementwise(DType dtype) {
        return dtype == DType.FLOAT64 ? new Tolerance(1e-13, 1e-12) : new Tolerance(1e-6, 1e-5);
    }

    /** Sums of many terms (reductions, matmul, softmax, losses); s is Σ|term|. */
    static Tolerance accumulated(DType dtype) {
        return dtype == DType.FLOAT64 ? new Tolerance(1e-12, 1e-11) : new Tolerance(1e-6, 2e-5);
    }

    /** Composite results of several ops in a row (variance, training losses, worked examples). */
    static Tolerance composite(DType dtype) {
        return dtype == DType.FLOAT64 ? new Tolerance(1e-10, 1e-9) : new Tolerance(1e-5, 1e-4);
    }

    /** Normal draws (log, sqrt and cos in the working type). */
    static Tolerance normalDraws(DType dtype) {
        return dtype == DType.FLOAT64 ? new Tolerance(1e-12, 1e-12) : new Tolerance(1e-5, 1e-5);
    }

    boolean accepts(double expected, double actual, double scale) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (expected == actual) {
            return true; // includes equal infinities
        }
        return Math.abs(actual - expected) <= atol + rtol * scale;
    }

    @Override
    public String toString() {
        return this.equals(EXACT) ? "exact" : "atol " + atol + ", rtol " + rtol;
    }
}
