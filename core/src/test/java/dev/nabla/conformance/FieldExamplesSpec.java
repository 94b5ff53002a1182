package dev.nabla.conformance;

import dev.nabla.autograd.GradCheck;
import dev.nabla.backend.DType;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of the deep-learning course notes Nabla follows (Ng's Deep Learning
 * specialization, "Deep Learning from Scratch", a lecture on training techniques), one nested class
 * per topic (Tensors and vectorization, Activations, Losses, Derivatives, Gradient descent,
 * Perceptrons), each reproducing the numbers printed there, on the backend under test. Numbers are
 * checked to the precision the notes print them.
 */
abstract class FieldExamplesSpec {
    protected final Kit kit;

    protected FieldExamplesSpec(Kit kit) {
        this.kit = kit;
    }

    /** A vector of FLOAT32 values. */
    Tensor vec(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return kit.t.of(f, values.length);
    }

    /** Plain SGD step under NoGrad: w := w − lr·∇w, then the gradient is cleared. */
    static void step(Tensor w, double lr) {
        try (TensorScope scope = TensorScope.open();
                NoGrad off = NoGrad.enter()) {
            w.assign(w.sub(w.grad().mul(lr)));
        }
        w.zeroGrad();
    }

    @Nested
    @DisplayName("Tensors and vectorization")
    class TensorsAndVectorization extends Spec {
        TensorsAndVectorization() {
            super(FieldExamplesSpec.this.kit);
        }

        @Test
        @DisplayName(
                "vectorized logistic regression (Z = wᵀX + b, A = σ(Z), dw = X·dZᵀ/m, db = Σ dZ/m) equals the per-sample loop")
        void vectorizedLogisticRegressionEqualsThePerSampleLoop() {
            int nx = 3, m = 8;
            double alpha = 0.5;
            SplittableRandom random = new SplittableRandom(17);
            double[] x = new double[nx * m];
            double[] y = new double[m];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(-2, 2);
            }
            for (int j = 0; j < m; j++) {
                y[j] = x[j] + x[m + j] > 0 ? 1 : 0; // a separable rule on the first two features
            }
            double[] w = {0.1, -0.2, 0.05};
            double b = 0.1;
            for (DType dtype : kit.floatTypes) {
                Tensor tx = kit.upload(HostArray.of(x, nx, m), dtype);
                Tensor ty = kit.upload(HostArray.of(y, 1, m), dtype);
                Tensor tw = kit.upload(HostArray.of(w, nx, 1), dtype);
                Tensor tb = kit.upload(HostArray.scalar(b), dtype);
                double[] loopW = w.clone();
                double loopB = b;
                for (int iteration = 0; iteration < 3; iteration++) {
                    // the vectorized form, exactly as the notes write it
                    Tensor z = tw.t().matmul(tx).add(tb);
                    Tensor a = z.sigmoid();
                    Tensor dz = a.sub(ty);
                    Tensor dw = tx.matmul(dz.t()).div(m);
                    Tensor db = dz.sum().div(m);
                    // the per-sample loop, in double
                    double[] loopDw = new double[nx];
                    double loopDb = 0;
                    for (int j = 0; j < m; j++) {
                        double zj = loopB;
                        for (int i = 0; i < nx; i++) {
                            zj += loopW[i] * x[i * m + j];
                        }
                        double aj = 1 / (1 + Math.exp(-zj));
                        for (int i = 0; i < nx; i++) {
                            loopDw[i] += (aj - y[j]) * x[i * m + j];
                        }
                        loopDb += aj - y[j];
                    }
                    double tolerance = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
                    double[] expectedDw = new double[nx];
                    for (int i = 0; i < nx; i++) {
                        expectedDw[i] = loopDw[i] / m;
                    }
                    kit.assertValues("dw of iteration " + iteration + " in " + dtype, expectedDw, dw, tolerance);
                    kit.assertValue("db of iteration " + iteration + " in " + dtype, loopDb / m, db.item(), tolerance);
                    // w := w − α·dw, b := b − α·db
                    tw = tw.sub(dw.mul(alpha));
                    tb = tb.sub(db.mul(alpha));
                    for (int i = 0; i < nx; i++) {
                        loopW[i] -= alpha * loopDw[i] / m;
                    }
                    loopB -= alpha * loopDb / m;
                }
                kit.assertValues("w after three steps in " + dtype, loopW, tw, dtype == DType.FLOAT64 ? 1e-12 : 1e-5);
            }
        }

        @Test
        @DisplayName("the elementwise functions of the notes: exp, log, abs, maximum(v, 0), v², 1/v")
        void elementwiseFunctionsOfTheNotes() {
            Tensor v = vec(1, -2, 0.5);
            kit.assertValues("exp([1, −2, 0.5])", new double[] {Math.E, Math.exp(-2), Math.exp(0.5)}, v.exp(), 1e-6);
            kit.assertValues(
                    "log([1, 2, 0.5])",
                    new double[] {0, Math.log(2), Math.log(0.5)},
                    vec(1, 2, 0.5).log(),
                    1e-6);
            kit.assertValues("abs([1, −2, 0.5])", new double[] {1, 2, 0.5}, v.abs(), 0);
            kit.assertValues("maximum(v, 0)", new double[] {1, 0, 0.5}, v.maximum(0), 0);
            kit.assertValues("v²", new double[] {1, 4, 0.25}, v.square(), 0);
            kit.assertValues("v ** 2", new double[] {1, 4, 0.25}, v.pow(2), 1e-6);
            kit.assertValues("1/v", new double[] {1, -0.5, 2}, v.reciprocal(), 0);
        }

        @Test
        @DisplayName("broadcasting a scalar and a row over a matrix")
        void broadcastingAScalarAndARow() {
            Tensor m = kit.t.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
            kit.assertValues("matrix + 100", new double[] {101, 102, 103, 104, 105, 106}, m.add(kit.t.scalar(100)), 0);
            kit.assertValues("matrix + [10, 20, 30]", new double[] {11, 22, 33, 14, 25, 36}, m.add(vec(10, 20, 30)), 0);
            kit.assertValues(
                    "matrix / column sums (cal = A.sum(axis=0); A / cal)",
                    new double[] {0.2, 2 / 7.0, 1 / 3.0, 0.8, 5 / 7.0, 2 / 3.0},
                    m.div(m.sum(new int[] {0}, true)),
                    1e-6);
        }
    }

    @Nested
    @DisplayName("Activations (β shapes the curve; default β = 1)")
    class Activations extends Spec {
        Activations() {
            super(FieldExamplesSpec.this.kit);
        }

        @Test
        @DisplayName("softmax of z = [5, 2, −1, 3] is [0.842, 0.042, 0.002, 0.114]; hardmax is [1, 0, 0, 0]")
        void softmaxAndHardmaxOfTheExample() {
            Tensor z = vec(5, 2, -1, 3);
            kit.assertValues(
                    "softmax([5, 2, −1, 3]) to 3 decimals",
                    new double[] {0.842, 0.042, 0.002, 0.114},
                    z.softmax(0),
                    0.0005);
            kit.assertValues("hardmax([5, 2, −1, 3])", new double[] {1, 0, 0, 0}, z.hardmax(0), 0);
        }

        @Test
        @DisplayName("with C = 2 classes softmax reduces to logistic regression: softmax([z, 0])₀ = σ(z)")
        void softmaxOfTwoClassesIsTheSigmoid() {
            Tensor z = vec(-2, -0.5, 0, 0.7, 3);
            Tensor pairs = Tensor.stack(List.of(z, kit.t.zeros(5)), 1);
            kit.assertValues(
                    "softmax([z, 0]) first column = σ(z)",
                    z.sigmoid().toDoubleArray(),
                    pairs.softmax(1).select(1, 0),
                    1e-6);
        }

        @Test
        @DisplayName("softmax stays finite for large logits: z = [1000, 1001] gives [0.269, 0.731]")
        void softmaxOfLargeLogits() {
            kit.assertValues(
                    "softmax([1000, 1001])",
                    new double[] {0.269, 0.731},
                    vec(1000, 1001).softmax(0),
                    0.0005);
        }

        @Test
        @DisplayName("each activation follows its formula in the table, with β = 0.5, 1 and 2")
        void eachActivationFollowsItsFormula() {
            double[] s = {-2, -0.5, 0, 0.5, 2};
            Tensor x = vec(s);
            kit.assertValues("step τ(s) = 1 if s > 0 else −1", map(s, v -> v > 0 ? 1 : -1), x.bipolarStep(), 0);
            kit.assertValues("step h(s) = 1 if s > 0 else 0", map(s, v -> v > 0 ? 1 : 0), x.step(), 0);
            kit.assertValues("ReLU max(0, s)", map(s, v -> Math.max(0, v)), x.relu(), 0);
            kit.assertValues(
                    "leaky ReLU s if s > 0 else 0.01·s", map(s, v -> v > 0 ? v : 0.01 * v), x.leakyRelu(), 1e-7);
            for (double beta : new double[] {0.5, 1, 2}) {
                kit.assertValues(
                        "logistic sigmoid 1 / (1 + e^(−βs)), β = " + beta,
                        map(s, v -> 1 / (1 + Math.exp(-beta * v))),
                        x.sigmoid(beta),
                        1e-6);
                kit.assertValues(
                        "hyperbolic tangent 2 / (1 + e^(−βs)) − 1, β = " + beta,
                        map(s, v -> 2 / (1 + Math.exp(-beta * v)) - 1),
                        x.tanh(beta),
                        1e-6);
                kit.assertValues(
                        "softplus log(1 + e^(βs)) / β, β = " + beta,
                        map(s, v -> Math.log(1 + Math.exp(beta * v)) / beta),
                        x.softplus(beta),
                        1e-6);
                kit.assertValues(
                        "swish s / (1 + e^(−βs)), β = " + beta,
                        map(s, v -> v / (1 + Math.exp(-beta * v))),
                        x.swish(beta),
                        1e-6);
            }
            kit.assertValues("sigmoid() is β = 1", map(s, v -> 1 / (1 + Math.exp(-v))), x.sigmoid(), 1e-6);
            kit.assertValues(
                    "tanh() is the standard tanh (the notes' form with β = 2)", map(s, Math::tanh), x.tanh(), 1e-6);
            kit.assertValues("softplus() is β = 1", map(s, v -> Math.log(1 + Math.exp(v))), x.softplus(), 1e-6);
            kit.assertValues("swish() is β = 1", map(s, v -> v / (1 + Math.exp(-v))), x.swish(), 1e-6);
        }
    }

    static double[] map(double[] s, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = f.applyAsDouble(s[i]);
        }
        return out;
    }

    @Nested
    @DisplayName("Losses as tensor expressions")
    class Losses extends Spec {
        Losses() {
            super(FieldExamplesSpec.this.kit);
        }

        private final double[] y = {0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0};
        private final double[] t2 = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0};

        @Test
        @DisplayName(
                "cross-entropy −Σ t·log(y + δ), δ = 1e−7, of y = [0.1, 0.05, 0.6, …] against one-hot at 2 is −log 0.6 ≈ 0.51")
        void crossEntropyWithDelta() {
            double loss = vec(t2).mul(vec(y).add(1e-7).log()).sum().neg().item();
            kit.assertValue("−Σ t·log(y + δ)", -Math.log(0.6 + 1e-7), loss, 1e-6);
            kit.assertValue("≈ 0.51", 0.51, loss, 0.005);
        }

        @Test
        @DisplayName("mean squared error and the sum of squares 0.5·Σ(y − t)² = 0.0975 for the same y and t")
        void squaredErrors() {
            Tensor diff = vec(y).sub(vec(t2));
            kit.assertValue(
                    "0.5·Σ (y − t)²", 0.0975, diff.square().sum().mul(0.5).item(), 1e-7);
            kit.assertValue("(1/n)·Σ (f − y)²", 0.0195, diff.square().mean().item(), 1e-7);
        }

        @Test
        @DisplayName("softmax loss −Σ y log ŷ for y = [0, 1, 0, 0], ŷ = [0.3, 0.2, 0.1, 0.4] is −log 0.2")
        void softmaxLoss() {
            double loss = vec(0, 1, 0, 0)
                    .mul(vec(0.3, 0.2, 0.1, 0.4).log())
                    .sum()
                    .neg()
                    .item();
            kit.assertValue("−Σ y log ŷ", -Math.log(0.2), loss, 1e-6);
        }

        @Test
        @DisplayName("softmax and cross-entropy together back-propagate dz = ŷ − y")
        void softmaxCrossEntropyGradientIsPredictionMinusTarget() {
            Tensor z = vec(5, 2, -1, 3).reshape(1, 4).requiresGrad(true);
            Tensor target = vec(0, 1, 0, 0).reshape(1, 4);
            z.softmaxCrossEntropy(target).sum().backward();
            double[] expected = z.detach().softmax(1).sub(target).toDoubleArray();
            kit.assertValues("∂L/∂z of the fused loss = ŷ − y", expected, z.grad(), 1e-6);
            Tensor z2 = vec(5, 2, -1, 3).reshape(1, 4).requiresGrad(true);
            z2.logSoftmax(1).mul(target).sum().neg().backward();
            kit.assertValues("∂L/∂z of −Σ y·logSoftmax(z) = ŷ − y", expected, z2.grad(), 1e-6);
            kit.assertValue(
                    "the loss itself is −log ŷ₁",
                    -Math.log(Math.exp(2) / (Math.exp(5) + Math.exp(2) + Math.exp(-1) + Math.exp(3))),
                    z.detach().softmaxCrossEntropy(target).item(),
                    1e-6);
            z.close();
            z2.close();
        }

        @Test
        @DisplayName(
                "binary cross-entropy: dL/da = −y/a + (1 − y)/(1 − a), dL/dz = a − y, dw_i = (a − y)·x_i, db = a − y")
        void binaryCrossEntropyDerivatives() {
            double[] xs = {0.5, -1.5};
            double[] ws = {0.8, 0.3};
            double bias = -0.2;
            for (double label : new double[] {0, 1}) {
                Tensor w = vec(ws).requiresGrad(true);
                Tensor b = kit.t.scalar(bias).requiresGrad(true);
                Tensor z = w.mul(vec(xs)).sum().add(b);
                Tensor a = z.sigmoid();
                // L(a, y) = −(y log a + (1 − y) log(1 − a)), with a detached copy to differentiate by a
                Tensor aLeaf = a.detach().requiresGrad(true);
                bce(aLeaf, label).backward();
                double av = a.item();
                kit.assertValue(
                        "dL/da at y = " + label,
                        -label / av + (1 - label) / (1 - av),
                        aLeaf.grad().item(),
                        1e-5);
                bce(a, label).backward();
                kit.assertValues(
                        "dw_i = (a − y)·x_i at y = " + label,
                        new double[] {(av - label) * xs[0], (av - label) * xs[1]},
                        w.grad(),
                        1e-6);
                kit.assertValue(
                        "db = a − y at y = " + label, av - label, b.grad().item(), 1e-6);
                Tensor zLeaf = z.detach().requiresGrad(true);
                bce(zLeaf.sigmoid(), label).backward();
                kit.assertValue(
                        "dL/dz = a − y at y = " + label,
                        av - label,
                        zLeaf.grad().item(),
                        1e-6);
                for (Tensor leaf : new Tensor[] {w, b, aLeaf, zLeaf}) {
                    leaf.close();
                }
            }
        }

        private Tensor bce(Tensor a, double y) {
            return a.log().mul(y).add(a.rsub(1).log().mul(1 - y)).neg();
        }

        @Test
        @DisplayName("the cost over a batch is the mean of the per-sample losses")
        void costIsTheMeanOfTheLosses() {
            Tensor logits = kit.t.of(new float[][] {{2, 1, 0.1f}, {0.5f, 2.5f, 0.3f}});
            Tensor targets = kit.t.of(new float[][] {{1, 0, 0}, {0, 0, 1}});
            double[] losses = logits.softmaxCrossEntropy(targets).toDoubleArray();
            kit.assertValue(
                    "cost = mean of the two losses",
                    (losses[0] + losses[1]) / 2,
                    logits.softmaxCrossEntropy(targets).mean().item(),
                    1e-6);
        }
    }

    @Nested
    @DisplayName("Derivatives")
    class Derivatives extends Spec {
        Derivatives() {
            super(FieldExamplesSpec.this.kit);
        }

        @Test
        @DisplayName(
                "J = 3v, v = a + u, u = b·c at a = 5, b = 3, c = 2: J = 33, dJ/dv = 3, dJ/da = 3, dJ/du = 3, dJ/db = 6, dJ/dc = 9")
        void computationGraph() {
            Tensor a = kit.t.scalar(5).requiresGrad(true);
            Tensor b = kit.t.scalar(3).requiresGrad(true);
            Tensor c = kit.t.scalar(2).requiresGrad(true);
            Tensor u = b.mul(c);
            Tensor v = a.add(u);
            Tensor j = v.mul(3);
            kit.assertValue("J", 33, j.item(), 0);
            j.backward();
            kit.assertValue("dJ/da", 3, a.grad().item(), 0);
            kit.assertValue("dJ/db", 6, b.grad().item(), 0);
            kit.assertValue("dJ/dc", 9, c.grad().item(), 0);
            // the intermediate derivatives, from v and u as leaves of the same expressions
            Tensor vLeaf = kit.t.scalar(11).requiresGrad(true);
            vLeaf.mul(3).backward();
            kit.assertValue("dJ/dv", 3, vLeaf.grad().item(), 0);
            Tensor uLeaf = kit.t.scalar(6).requiresGrad(true);
            kit.t.scalar(5).add(uLeaf).mul(3).backward();
            kit.assertValue("dJ/du", 3, uLeaf.grad().item(), 0);
            for (Tensor leaf : new Tensor[] {a, b, c, vLeaf, uLeaf}) {
                leaf.close();
            }
        }

        private double f(double x, double z) {
            DType dtype = kit.precise;
            Tensor tx = kit.upload(HostArray.scalar(x), dtype);
            Tensor tz = kit.upload(HostArray.scalar(z), dtype);
            return tx.square().add(tz.square()).item();
        }

        @Test
        @DisplayName(
                "forward and central differences with h = 1e−4 of f(x, z) = x² + z² at (3, 4): ∂f/∂x ≈ 6, ∂f/∂z ≈ 8")
        void numericalDifferentiation() {
            double h = 1e-4;
            double tolerance = kit.precise == DType.FLOAT64 ? 1e-6 : 0.05; // FLOAT32 rounds f(3 ± h) to ~1e−6
            kit.assertValue("forward difference ∂f/∂x = 6 + h", 6 + h, (f(3 + h, 4) - f(3, 4)) / h, tolerance);
            kit.assertValue("central difference ∂f/∂x", 6, (f(3 + h, 4) - f(3 - h, 4)) / (2 * h), tolerance);
            kit.assertValue("central difference ∂f/∂z", 8, (f(3, 4 + h) - f(3, 4 - h)) / (2 * h), tolerance);
        }

        @Test
        @DisplayName("gradient checking compares the central differences with back-propagation")
        void gradientChecking() {
            Tensor x = kit.t.scalar(3);
            Tensor z = kit.t.scalar(4);
            GradCheck.Result result = kit.assertGradients(
                    "GradCheck of x² + z² at (3, 4)",
                    in -> in.get(0).square().add(in.get(1).square()),
                    x,
                    z);
            kit.assertTrue("GradCheck works in FLOAT64 where the backend has it", result.dtype() == kit.precise);
            Tensor xv = kit.t.scalar(3).requiresGrad(true);
            Tensor zv = kit.t.scalar(4).requiresGrad(true);
            xv.square().add(zv.square()).backward();
            kit.assertValue("back-propagated ∂f/∂x", 6, xv.grad().item(), 0);
            kit.assertValue("back-propagated ∂f/∂z", 8, zv.grad().item(), 0);
            xv.close();
            zv.close();
        }
    }

    @Nested
    @DisplayName("Gradient descent")
    class GradientDescent extends Spec {
        GradientDescent() {
            super(FieldExamplesSpec.this.kit);
        }

        @Test
        @DisplayName(
                "J(x) = x₁² + 2x₂² − x₁x₂ from [−5, 4] with η = 0.1: x(1) = [−3.6, 1.9], x(2) = [−2.69, 0.78], x(30) ≈ [−0.0161, −0.00665]")
        void twoVariables() {
            Tensor x = vec(-5, 4).requiresGrad(true);
            for (int t = 1; t <= 30; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor x1 = x.select(0, 0), x2 = x.select(0, 1);
                    x1.square().add(x2.square().mul(2)).sub(x1.mul(x2)).backward();
                }
                step(x, 0.1);
                if (t == 1) {
                    kit.assertValues("x(1)", new double[] {-3.6, 1.9}, x, 1e-6);
                } else if (t == 2) {
                    kit.assertValues("x(2)", new double[] {-2.69, 0.78}, x, 1e-6);
                }
            }
            kit.assertValues("x(30) ≈ [−0.0161, −0.00665]", new double[] {-0.0161, -0.00665}, x, 0.00005);
            x.close();
        }

        @Test
        @DisplayName(
                "one weight, one sample: J(u) = (y − ux)² from u = 0.8 at (x, y) = (0.2, 1): dJ/du = −0.336, u = 1.136; then −0.309, u = 1.4451; u tends to 5")
        void oneWeightOneSample() {
            Tensor u = kit.t.scalar(0.8).requiresGrad(true);
            double[][] expected = {{-0.336, 1.136}, {-0.30912, 1.44512}};
            for (int t = 0; t < 500; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    kit.t.scalar(1).sub(u.mul(0.2)).square().backward();
                }
                if (t < 2) {
                    kit.assertValue(
                            "dJ/du at step " + (t + 1), expected[t][0], u.grad().item(), 1e-6);
                }
                step(u, 1.0);
                if (t < 2) {
                    kit.assertValue("u after step " + (t + 1), expected[t][1], u.item(), 1e-6);
                }
            }
            kit.assertValue("u tends to y/x = 5", 5, u.item(), 1e-4);
            u.close();
        }

        @Test
        @DisplayName(
                "minimizing w² − 10w + 25 through autograd from w = 0 with lr 0.01: 0.1 after one step, ≈ 4.99999 after 1000")
        void minimizeAQuadratic() {
            Tensor w = kit.t.scalar(0).requiresGrad(true);
            for (int t = 1; t <= 1000; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    w.square().sub(w.mul(10)).add(25).backward();
                }
                step(w, 0.01);
                if (t == 1) {
                    kit.assertValue("w after one step", 0.1, w.item(), 1e-7);
                }
            }
            kit.assertValue("w after 1000 steps ≈ 4.99999", 4.99999, w.item(), 1e-5);
            w.close();
        }

        @Test
        @DisplayName("with the coefficients fed as data, [1, −20, 100], the minimum moves to 10")
        void minimizeAQuadraticWithCoefficientsAsData() {
            Tensor coefficients = vec(1, -20, 100);
            Tensor w = kit.t.scalar(0).requiresGrad(true);
            for (int t = 1; t <= 1000; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor powers = Tensor.stack(List.of(w.square(), w, kit.t.scalar(1)), 0); // [w², w, 1]
                    coefficients.mul(powers).sum().backward();
                }
                step(w, 0.01);
                if (t == 1) {
                    kit.assertValue("w after one step (−dJ/dw = 20, lr 0.01)", 0.2, w.item(), 1e-7);
                }
            }
            kit.assertValue("w after 1000 steps ≈ 10", 10, w.item(), 1e-4);
            w.close();
        }
    }

    @Nested
    @DisplayName("Perceptrons and MLPs")
    class Perceptrons extends Spec {
        Perceptrons() {
            super(FieldExamplesSpec.this.kit);
        }

        /** [1, x]: the design matrix with the bias input x₀ = 1 prepended to every row. */
        private Tensor withBias(Tensor x) {
            return Tensor.concat(List.of(kit.t.ones(x.shape(0), 1), x), 1);
        }

        private final float[][] inputs = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

        @Test
        @DisplayName("OR with u = (−0.5, 1, 1): O = τ(u·Xᵀ) = (−1, 1, 1, 1)")
        void orPerceptron() {
            Tensor u = vec(-0.5, 1, 1).reshape(1, 3);
            Tensor x = withBias(kit.t.of(inputs));
            kit.assertValues("OR", new double[] {-1, 1, 1, 1}, u.matmul(x.t()).bipolarStep(), 0);
        }

        @Test
        @DisplayName(
                "XOR with U¹ = [[−0.5, 1, 1], [1.5, −1, −1]], U² = [[−1, 1, 1]]: O = (−1, 1, 1, −1); hidden pre-activations (0.5, 0.5) at x = (0, 1)")
        void xorNetwork() {
            Tensor u1 = kit.t.of(new float[][] {{-0.5f, 1, 1}, {1.5f, -1, -1}});
            Tensor u2 = kit.t.of(new float[][] {{-1, 1, 1}});
            Tensor x = withBias(kit.t.of(inputs));
            Tensor hiddenPre = u1.matmul(x.t()); // [2 hidden, 4 samples]
            kit.assertValues(
                    "hidden pre-activations at x = (0, 1)", new double[] {0.5, 0.5}, hiddenPre.select(1, 1), 0);
            Tensor hidden = hiddenPre.bipolarStep().t(); // [4, 2]
            Tensor out = u2.matmul(withBias(hidden).t()).bipolarStep();
            kit.assertValues("XOR", new double[] {-1, 1, 1, -1}, out, 0);
        }

        @Test
        @DisplayName("the predicted class is argmax_k o_k")
        void predictedClassIsTheArgmax() {
            Tensor outputs = kit.t.of(new float[][] {{0.1f, 0.7f, 0.2f}, {0.5f, 0.1f, 0.4f}});
            kit.assertValues("argmax_k o_k", new double[] {1, 0}, outputs.argmax(1), 0);
        }
    }
}
