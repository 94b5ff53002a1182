package dev.nabla.autograd;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Gradient checking: compares the gradients that {@link Tensor#backward} computes with
 * central differences {@code (L(x + h) − L(x − h)) / 2h}, element by element.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[] {0.5f, -1.2f, 2f}, 3);
 * Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
 * GradCheck.Result r = GradCheck.check(in -> in.get(0).matmul(in.get(1)).tanh(), List.of(x, w));
 * System.out.println(r);                       // max errors per input, the worst element
 * GradCheck.assertGradients(in -> in.get(0).exp().sum(), x);   // throws AssertionError if wrong
 * }</pre>
 *
 * <h2>How</h2>
 * <ul>
 *   <li>Every floating-point input is a variable. GradCheck works on copies (the caller's tensors
 *       and their gradients are untouched), cast to FLOAT64 when the backend supports it; otherwise
 *       it stays in the inputs' type. Constants that {@code f} uses should follow the type of the
 *       tensors it receives, e.g. {@code targets.to(in.get(0).dtype())}. INT32 inputs are passed
 *       through as they are.</li>
 *   <li>A non-scalar output {@code y} is reduced to {@code L = Σ wᵢ·yᵢ} with fixed pseudo-random
 *       weights w in [−1, 1), so one backward pass ({@code y.backward(w)}) checks the whole
 *       vector–Jacobian product.</li>
 *   <li>The numerical side evaluates {@code f} with autograd off, twice per input element, and
 *       forms L on the host in double precision. The step is divided by what the perturbation
 *       really was after rounding to the working type.</li>
 *   <li>An element passes when {@code |analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|)}.</li>
 * </ul>
 *
 * <p>Defaults: in FLOAT64, h = 1e−4, atol = 1e−6, rtol = 1e−5. In FLOAT32 (a backend without
 * FLOAT64), a step of 1e−4 would drown the difference in rounding (ε₃₂/h ≈ 1e−3), so h = 1e−2,
 * atol = 5e−3, rtol = 2e−2. Inputs should keep a distance of more than h from kinks (ReLU at 0,
 * ties of max) where the central difference is meaningless.
 *
 * <p>{@code f} is called 2·n + 1 times for n input elements: keep the inputs small.
 */
public final class GradCheck {
    /** The default central-difference step in FLOAT64. */
    public static final double DEFAULT_STEP = 1e-4;

    private GradCheck() {}

    /**
     * Settings of a check; {@link Double#NaN} (and a null dtype) mean "the default for the working
     * type". Start from {@link #defaults()}.
     *
     * <pre>{@code
     * GradCheck.Options strict = GradCheck.Options.defaults().withTolerance(1e-8, 1e-7);
     * }</pre>
     *
     * @param step              the central-difference step h
     * @param absoluteTolerance atol
     * @param relativeTolerance rtol
     * @param dtype             the working type: null for FLOAT64 when the backend supports it,
     *                          else the inputs' type
     * @param seed              seed of the projection weights w
     */
    public record Options(double step, double absoluteTolerance, double relativeTolerance, DType dtype, long seed) {
        public static Options defaults() {
            return new Options(Double.NaN, Double.NaN, Double.NaN, null, 20240917L);
        }

        public Options withStep(double h) {
            if (!(h > 0)) {
                throw new IllegalArgumentException("GradCheck step must be positive, got " + h);
            }
            return new Options(h, absoluteTolerance, relativeTolerance, dtype, seed);
        }

        public Options withTolerance(double atol, double rtol) {
            if (!(atol >= 0) || !(rtol >= 0)) {
                throw new IllegalArgumentException(
                        "GradCheck tolerances must be ≥ 0, got atol " + atol + ", rtol " + rtol);
            }
            return new Options(step, atol, rtol, dtype, seed);
        }

        public Options withDType(DType type) {
            if (type != null && !type.isFloating()) {
                throw new IllegalArgumentException("GradCheck works in a floating type, got " + type);
            }
            return new Options(step, absoluteTolerance, relativeTolerance, type, seed);
        }

        public Options withSeed(long value) {
            return new Options(step, absoluteTolerance, relativeTolerance, dtype, value);
        }

        double stepFor(DType type) {
            return !Double.isNaN(step) ? step : type == DType.FLOAT64 ? DEFAULT_STEP : 1e-2;
        }

        double atolFor(DType type) {
            return !Double.isNaN(absoluteTolerance) ? absoluteTolerance : type == DType.FLOAT64 ? 1e-6 : 5e-3;
        }

        double rtolFor(DType type) {
            return !Double.isNaN(relativeTolerance) ? relativeTolerance : type == DType.FLOAT64 ? 1e-5 : 2e-2;
        }
    }

    /**
     * The comparison for one input.
     *
     * @param index        position in the input list
     * @param shape        the input's shape
     * @param maxAbsError  largest |analytic − numeric|
     * @param maxRelError  largest |analytic − numeric| / max(|analytic|, |numeric|) (0 where both are 0)
     * @param worstElement row-major index of the element that exceeded its tolerance by the most
     *                     (or had the largest error), −1 for an empty or non-floating input
     * @param analytic     backward()'s gradient at that element
     * @param numeric      the central difference at that element
     * @param passed       whether every element is within tolerance
     */
    public record InputResult(
            int index,
            int[] shape,
            double maxAbsError,
            double maxRelError,
            long worstElement,
            double analytic,
            double numeric,
            boolean passed) {
        @Override
        public String toString() {
            return "input " + index + " " + Arrays.toString(shape) + ": max abs error " + fmt(maxAbsError)
                    + ", max rel error " + fmt(maxRelError)
                    + (worstElement >= 0
                            ? ", worst at element " + worstElement + " (analytic " + fmt(analytic) + ", numeric "
                                    + fmt(numeric) + ")"
                            : "")
                    + (passed ? "" : " — FAILED");
        }
    }

    /**
     * The outcome of a check.
     *
     * @param passed      whether every element of every input is within tolerance
     * @param maxAbsError the largest absolute error over all inputs
     * @param maxRelError the largest relative error over all inputs
     * @param inputs      one entry per floating input
     * @param dtype       the type it worked in
     * @param step        h
     * @param absoluteTolerance atol used
     * @param relativeTolerance rtol used
     */
    public record Result(
            boolean passed,
            double maxAbsError,
            double maxRelError,
            List<InputResult> inputs,
            DType dtype,
            double step,
            double absoluteTolerance,
            double relativeTolerance) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("GradCheck ")
                    .append(passed ? "passed" : "FAILED")
                    .append(" in ")
                    .append(dtype)
                    .append(" (h = ")
                    .append(step)
                    .append(", atol = ")
                    .append(absoluteTolerance)
                    .append(", rtol = ")
                    .append(relativeTolerance)
                    .append("): max abs error ")
                    .append(fmt(maxAbsError))
                    .append(", max rel error ")
                    .append(fmt(maxRelError));
            for (InputResult input : inputs) {
                s.append("\n  ").append(input);
            }
            return s.toString();
        }
    }

    /** Checks the gradients of {@code f} at {@code inputs} with the default options. */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return check(f, inputs, Options.defaults());
    }

    /** Checks the gradients of {@code f} at {@code inputs}. */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options options) {
        Objects.requireNonNull(f, "GradCheck: the function is null");
        Objects.requireNonNull(options, "GradCheck: options are null");
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("GradCheck: expected at least one input tensor, got none");
        }
        if (!NoGrad.isRecording()) {
            throw new IllegalStateException("GradCheck: called inside a NoGrad scope, where backward() sees no graph; "
                    + "expected autograd recording on (close the NoGrad scope first)");
        }
        Backend backend = inputs.get(0).backend();
        DType working = workingType(inputs, backend, options);
        double h = options.stepFor(working);
        double atol = options.atolFor(working);
        double rtol = options.rtolFor(working);

        List<double[]> values = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<DType> types = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor input = inputs.get(i);
            if (input.backend() != backend) {
                throw new IllegalArgumentException("GradCheck: input " + i + " lives on backend '"
                        + input.backend().name() + "' but input 0 on '" + backend.name()
                        + "'; expected all inputs on one backend");
            }
            DType type = input.dtype().isFloating() ? working : input.dtype();
            values.add(type.isFloating() ? round(input.toDoubleArray(), type) : null);
            shapes.add(input.shape());
            types.add(type);
        }
        TensorFactory factory = Tensor.on(backend);
        Analytic analytic = analytic(f, inputs, values, shapes, types, factory, options.seed());

        List<InputResult> results = new ArrayList<>();
        boolean passed = true;
        double maxAbs = 0, maxRel = 0;
        for (int i = 0; i < inputs.size(); i++) {
            if (!types.get(i).isFloating()) {
                continue;
            }
            double[] x = values.get(i);
            double[] grad = analytic.gradients.get(i);
            double inputMaxAbs = 0, inputMaxRel = 0, worstExcess = Double.NEGATIVE_INFINITY;
            long worst = -1;
            double worstAnalytic = 0, worstNumeric = 0;
            boolean inputPassed = true;
            for (int j = 0; j < x.length; j++) {
                double original = x[j];
                double plus = toType(original + h, types.get(i));
                double minus = toType(original - h, types.get(i));
                x[j] = plus;
                double lossPlus = projectedLoss(f, inputs, values, shapes, types, factory, analytic.weights);
                x[j] = minus;
                double lossMinus = projectedLoss(f, inputs, values, shapes, types, factory, analytic.weights);
                x[j] = original;
                double numeric = (lossPlus - lossMinus) / (plus - minus);
                double a = grad[j];
                double abs = Math.abs(a - numeric);
                double scale = Math.max(Math.abs(a), Math.abs(numeric));
                double rel = scale == 0 ? 0 : abs / scale;
                boolean ok = abs <= atol + rtol * scale; // false for NaN too
                double excess = Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs - (atol + rtol * scale);
                inputPassed &= ok;
                inputMaxAbs = Double.isNaN(abs) ? Double.NaN : Math.max(inputMaxAbs, abs);
                inputMaxRel = Double.isNaN(rel) ? Double.NaN : Math.max(inputMaxRel, rel);
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = j;
                    worstAnalytic = a;
                    worstNumeric = numeric;
                }
            }
            results.add(new InputResult(
                    i, shapes.get(i), inputMaxAbs, inputMaxRel, worst, worstAnalytic, worstNumeric, inputPassed));
            passed &= inputPassed;
            maxAbs = Double.isNaN(inputMaxAbs) ? Double.NaN : Math.max(maxAbs, inputMaxAbs);
            maxRel = Double.isNaN(inputMaxRel) ? Double.NaN : Math.max(maxRel, inputMaxRel);
        }
        return new Result(passed, maxAbs, maxRel, List.copyOf(results), working, h, atol, rtol);
    }

    /** Checks with the default options and throws an {@link AssertionError} describing the worst element if it fails. */
    public static Result assertGradients(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return assertGradients(f, List.of(inputs), Options.defaults());
    }

    /** Checks and throws an {@link AssertionError} describing the worst element if it fails. */
    public static Result assertGradients(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Options options) {
        Result result = check(f, inputs, options);
        if (!result.passed()) {
            throw new AssertionError(result.toString());
        }
        return result;
    }

    // ------------------------------------------------------------------ internals

    private record Analytic(List<double[]> gradients, double[] weights) {}

    private static DType workingType(List<Tensor> inputs, Backend backend, Options options) {
        if (options.dtype() != null) {
            if (!backend.supports(options.dtype())) {
                throw new IllegalArgumentException("GradCheck: backend '" + backend.name() + "' does not support "
                        + options.dtype() + "; expected a type it supports");
            }
            return options.dtype();
        }
        if (backend.supports(DType.FLOAT64)) {
            return DType.FLOAT64;
        }
        for (Tensor t : inputs) {
            if (t.dtype().isFloating()) {
                return t.dtype();
            }
        }
        throw new IllegalArgumentException("GradCheck: no input is floating-point; expected at least one variable");
    }

    /** One forward pass with recording on, then backward(w): the gradients of L = Σ w·f. */
    private static Analytic analytic(
            Function<List<Tensor>, Tensor> f,
            List<Tensor> originals,
            List<double[]> values,
            List<int[]> shapes,
            List<DType> types,
            TensorFactory factory,
            long seed) {
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> leaves = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                Tensor leaf = types.get(i).isFloating()
                        ? upload(factory, values.get(i), shapes.get(i), types.get(i))
                        : originals.get(i);
                if (types.get(i).isFloating()) {
                    leaf.requiresGrad(true);
                }
                leaves.add(leaf);
            }
            Tensor out = f.apply(List.copyOf(leaves));
            if (out == null || !out.dtype().isFloating()) {
                throw new IllegalArgumentException("GradCheck: the function must return a floating-point tensor, got "
                        + (out == null ? "null" : out.dtype()));
            }
            double[] weights = new double[(int) out.size()];
            SplittableRandom random = new SplittableRandom(seed);
            for (int k = 0; k < weights.length; k++) {
                weights[k] = toType(random.nextDouble(-1, 1), out.dtype());
            }
            if (out.tracksGrad()) {
                out.backward(upload(factory, weights, out.shape(), out.dtype()));
            }
            List<double[]> gradients = new ArrayList<>();
            for (int i = 0; i < leaves.size(); i++) {
                Tensor leaf = leaves.get(i);
                if (!types.get(i).isFloating()) {
                    gradients.add(null);
                } else {
                    gradients.add(
                            leaf.grad() == null
                                    ? new double[values.get(i).length]
                                    : leaf.grad().toDoubleArray());
                    leaf.close(); // closes its gradient too
                }
            }
            return new Analytic(gradients, weights);
        }
    }

    /** L = Σ w·f(inputs) with autograd off, summed on the host in double. */
    private static double projectedLoss(
            Function<List<Tensor>, Tensor> f,
            List<Tensor> originals,
            List<double[]> values,
            List<int[]> shapes,
            List<DType> types,
            TensorFactory factory,
            double[] weights) {
        try (TensorScope scope = TensorScope.open();
                NoGrad off = NoGrad.enter()) {
            List<Tensor> arguments = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                arguments.add(
                        types.get(i).isFloating()
                                ? upload(factory, values.get(i), shapes.get(i), types.get(i))
                                : originals.get(i));
            }
            double[] y = f.apply(List.copyOf(arguments)).toDoubleArray();
            double loss = 0;
            for (int k = 0; k < y.length; k++) {
                loss += weights[k] * y[k];
            }
            return loss;
        }
    }

    /** A new FLOAT64 or FLOAT32 tensor holding {@code values}. */
    private static Tensor upload(TensorFactory factory, double[] values, int[] shape, DType type) {
        if (shape.length == 0) { // of(...) without a shape means 1-D
            return type == DType.FLOAT64
                    ? factory.full(DType.FLOAT64, values[0])
                    : factory.full(DType.FLOAT32, (float) values[0]);
        }
        if (type == DType.FLOAT64) {
            return factory.of(values.clone(), shape);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return factory.of(floats, shape);
    }

    private static double[] round(double[] values, DType type) {
        for (int i = 0; i < values.length; i++) {
            values[i] = toType(values[i], type);
        }
        return values;
    }

    private static double toType(double value, DType type) {
        return type == DType.FLOAT32 ? (float) value : value;
    }

    private static String fmt(double v) {
        return String.format("%.3g", v);
    }
}
