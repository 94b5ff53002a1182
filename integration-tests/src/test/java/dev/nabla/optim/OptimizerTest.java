package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed steps of each optimizer, with Keras 3's formulas. */
class OptimizerTest {
    private static final Backend CPU = Backends.get("cpu", 0);

    private static Tensor variable(float... values) {
        return Tensor.on(CPU).of(values, values.length).requiresGrad(true);
    }

    /** Sets p.grad to {@code gradient} through loss = Σ p·gradient. */
    private static void gradient(Tensor p, float... gradient) {
        try (TensorScope scope = TensorScope.open()) {
            p.mul(Tensor.on(CPU).of(gradient, gradient.length)).sum().backward();
        }
    }

    private static float[] steps(Optimizer optimizer, int n, float start, float grad) {
        Tensor p = variable(start);
        float[] path = new float[n];
        for (int i = 0; i < n; i++) {
            gradient(p, grad);
            optimizer.step(List.of(p));
            path[i] = p.toFloatArray()[0];
        }
        p.close();
        optimizer.close();
        return path;
    }

    @Test
    void plainSgdWalksFieldsQuadraticBowl() {
        // J(x) = x1² + 2·x2² − x1·x2 from (−5, 4) with η = 0.1: x(1) = (−3.6, 1.9), x(2) = (−2.69, 0.78)
        Tensor x = variable(-5, 4);
        SGD sgd = new SGD(0.1);
        float[][] expected = {{-3.6f, 1.9f}, {-2.69f, 0.78f}};
        for (int step = 1; step <= 30; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor x1 = x.slice(0, 0, 1);
                Tensor x2 = x.slice(0, 1, 2);
                x1.square().add(x2.square().mul(2)).sub(x1.mul(x2)).sum().backward();
            }
            sgd.step(List.of(x));
            assertNull(x.grad(), "the step clears the gradient");
            if (step <= 2) {
                assertArrayEquals(expected[step - 1], x.toFloatArray(), 1e-5f);
            }
        }
        assertArrayEquals(new float[] {-0.0161f, -0.00665f}, x.toFloatArray(), 1e-4f);
        assertEquals(30, sgd.iterations());
    }

    @Test
    void sgdMinimizesFieldsParabolaToFive() {
        // J(w) = w² − 10w + 25 from w = 0 with learning rate 0.01: w(1) = 0.1, w(1000) ≈ 5
        Tensor w = variable(0);
        SGD sgd = new SGD(0.01);
        for (int step = 1; step <= 1000; step++) {
            try (TensorScope scope = TensorScope.open()) {
                w.square().sub(w.mul(10)).add(25).sum().backward();
            }
            sgd.step(List.of(w));
            if (step == 1) {
                assertEquals(0.1, w.toFloatArray()[0], 1e-6);
            }
        }
        assertEquals(4.99999, w.toFloatArray()[0], 1e-5); // the worked example: w ≈ 4.99999 after 1000 steps
    }

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        // v = 0.9·v − 0.1·2; p += v: 1 → 0.8 → 0.42
        assertArrayEquals(new float[] {0.8f, 0.42f}, steps(new SGD(0.1, 0.9, false), 2, 1, 2), 1e-6f);
    }

    @Test
    void nesterovLooksAhead() {
        // v = 0.9·v − 0.2; p += 0.9·v − 0.2: 1 → 0.62 → 0.078
        assertArrayEquals(new float[] {0.62f, 0.078f}, steps(new SGD(0.1, 0.9, true), 2, 1, 2), 1e-6f);
    }

    @Test
    void rmspropDividesByTheRootOfTheMeanSquare() {
        // ms = 0.1·4 = 0.4, p = 1 − 0.01·2/√0.4; ms = 0.9·0.4 + 0.4 = 0.76, p −= 0.02/√0.76
        double p1 = 1 - 0.02 / Math.sqrt(0.4 + 1e-7);
        double p2 = p1 - 0.02 / Math.sqrt(0.76 + 1e-7);
        assertArrayEquals(new float[] {(float) p1, (float) p2}, steps(new RMSprop(0.01), 2, 1, 2), 1e-6f);
    }

    @Test
    void adamTakesStepsOfAboutTheLearningRateAtFirst() {
        // t = 1: m = 0.2, v = 0.004, α = 0.1·√0.001/0.1, step = α·0.2/(√0.004 + 1e−7) ≈ 0.1
        float[] path = steps(new Adam(0.1), 3, 1, 2);
        assertEquals(0.9, path[0], 1e-5);
        double m = 0, v = 0, p = 1;
        for (int t = 1; t <= 3; t++) {
            m += (2 - m) * 0.1;
            v += (4 - v) * 0.001;
            double alpha = 0.1 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            p -= alpha * m / (Math.sqrt(v) + 1e-7);
            assertEquals(p, path[t - 1], 1e-6, "step " + t);
        }
    }

    @Test
    void adamWDecaysTheWeightBeforeTheAdamStep() {
        // p = 1·(1 − 0.004·0.1) − 0.1 = 0.8996
        assertEquals(0.8996, steps(new AdamW(0.1, 0.004), 1, 1, 2)[0], 1e-5);
        assertEquals(0.004, new AdamW().weightDecay());
    }

    @Test
    void kerasDefaults() {
        assertEquals(0.01, new SGD().learningRate());
        assertEquals(0.001, new RMSprop().learningRate());
        RMSprop rms = new RMSprop();
        assertEquals(0.9, rms.rho());
        assertEquals(1e-7, rms.epsilon());
        Adam adam = new Adam();
        assertEquals(0.001, adam.learningRate());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-7, adam.epsilon());
    }

    @Test
    void clipnormLimitsEachGradientsNorm() {
        Tensor p = variable(0, 0);
        gradient(p, 3, 4); // norm 5
        new SGD(1.0).clipnorm(1.0).step(List.of(p));
        assertArrayEquals(new float[] {-0.6f, -0.8f}, p.toFloatArray(), 1e-6f);
        gradient(p, 0.3f, 0.4f); // norm 0.5 < 1: unchanged
        new SGD(1.0).clipnorm(1.0).step(List.of(p));
        assertArrayEquals(new float[] {-0.9f, -1.2f}, p.toFloatArray(), 1e-6f);
    }

    @Test
    void clipvalueLimitsEachElement() {
        Tensor p = variable(0, 0, 0);
        gradient(p, 3, -0.2f, -4);
        new SGD(1.0).clipvalue(0.5).step(List.of(p));
        assertArrayEquals(new float[] {-0.5f, 0.2f, 0.5f}, p.toFloatArray(), 1e-6f);
    }

    @Test
    void globalClipnormScalesAllGradientsTogether() {
        Tensor a = variable(0, 0);
        Tensor b = variable(0);
        gradient(a, 3, 4);
        gradient(b, 12); // global norm 13
        new SGD(1.0).globalClipnorm(1.0).step(List.of(a, b));
        assertArrayEquals(new float[] {-3f / 13, -4f / 13}, a.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-12f / 13}, b.toFloatArray(), 1e-6f);
    }

    @Test
    void onlyOneKindOfClippingAtATime() {
        assertThrows(IllegalArgumentException.class, () -> new SGD().clipnorm(1).clipvalue(1));
        assertThrows(IllegalArgumentException.class, () -> new Adam().clipnorm(-1));
    }

    @Test
    void aScheduleSetsTheRateOfEveryStep() {
        // rate 0.1·0.5^step with gradient 1: 1 → 0.9 → 0.85 → 0.825
        float[] path = steps(new SGD(new ExponentialDecay(0.1, 1, 0.5, false), 0, false), 3, 1, 1);
        assertArrayEquals(new float[] {0.9f, 0.85f, 0.825f}, path, 1e-6f);
    }

    @Test
    void variablesWithoutAGradientAreLeftAlone() {
        Tensor a = variable(1);
        Tensor b = variable(1);
        gradient(a, 1);
        new SGD(0.5).step(List.of(a, b));
        assertArrayEquals(new float[] {0.5f}, a.toFloatArray());
        assertArrayEquals(new float[] {1f}, b.toFloatArray());
    }

    @Test
    void optimizerStateCanBeReadAndRestored() {
        Tensor p = variable(1);
        Adam adam = new Adam(0.1);
        gradient(p, 2);
        adam.step(List.of(p));
        List<Tensor> slots = adam.slots(p);
        assertArrayEquals(new float[] {0.2f}, slots.get(0).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.004f}, slots.get(1).toFloatArray(), 1e-6f);

        Tensor q = variable(p.toFloatArray());
        Adam resumed = new Adam(0.1);
        resumed.iterations(adam.iterations());
        resumed.setSlots(q, List.of(slots.get(0).toFloatArray(), slots.get(1).toFloatArray()));
        gradient(p, 2);
        adam.step(List.of(p));
        gradient(q, 2);
        resumed.step(List.of(q));
        assertArrayEquals(p.toFloatArray(), q.toFloatArray(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> resumed.setSlots(q, List.of(new float[] {1f})));
        adam.close();
        resumed.close();
    }
}
