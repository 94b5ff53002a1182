package dev.nabla.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

/** The loss functions against the course notes' worked examples and Keras' definitions. */
class LossesTest {
    private static final Backend CPU = Backends.get("cpu", 0);
    private static final TensorFactory T = Tensor.on(CPU);

    private static double value(Loss loss, float[] yTrue, float[] yPred, int... shape) {
        return loss.call(T.of(yTrue, shape), T.of(yPred, shape)).item();
    }

    @Test
    void crossEntropyOfFieldsTenClassExampleIsMinusLogPointSix() {
        float[] y = {0.1f, 0.05f, 0.6f, 0, 0.05f, 0.1f, 0, 0.1f, 0, 0};
        float[] t = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        double loss = value(new CategoricalCrossentropy(), t, y, 1, 10);
        assertEquals(-Math.log(0.6), loss, 1e-6);
        assertEquals(0.51, loss, 0.005);
    }

    @Test
    void softmaxLossOfFieldsFourClassExampleIsMinusLogPointTwo() {
        double loss = value(
                new CategoricalCrossentropy(), new float[] {0, 1, 0, 0}, new float[] {0.3f, 0.2f, 0.1f, 0.4f}, 1, 4);
        assertEquals(-Math.log(0.2), loss, 1e-6);
    }

    @Test
    void fusedSoftmaxCrossEntropyBackPropagatesPredictionMinusTarget() {
        Tensor z = T.of(new float[] {5, 2, -1, 3, 0.5f, 0.5f, 1, -2}, 2, 4).requiresGrad(true);
        Tensor y = T.of(new float[] {1, 0, 0, 0, 0, 0, 1, 0}, 2, 4);
        new CategoricalCrossentropy(true).call(y, z).backward();
        float[] softmax = z.detach().softmax(-1).toFloatArray();
        float[] expected = new float[8];
        float[] targets = y.toFloatArray();
        for (int i = 0; i < 8; i++) {
            expected[i] = (softmax[i] - targets[i]) / 2; // mean over a batch of 2
        }
        assertArrayEquals(expected, z.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.842f, 0.042f, 0.002f, 0.114f}, java.util.Arrays.copyOf(softmax, 4), 5e-4f);
    }

    @Test
    void crossEntropyFromLogitsStaysFiniteForHugeLogits() {
        double loss = value(new CategoricalCrossentropy(true), new float[] {0, 1}, new float[] {1000, 1001}, 1, 2);
        assertEquals(-Math.log(0.7310585786), loss, 1e-5);
    }

    @Test
    void aSoftmaxOutputLayerIsFusedWithCategoricalCrossEntropyDuringTraining() {
        // one Dense softmax layer, one SGD step with lr 1: W −= xᵀ(ŷ − y)/n, b −= mean(ŷ − y)
        float[] x = {1, 2, 0.5f, -1};
        float[] y = {0, 1, 0, 1, 0, 0};
        try (Sequential model = new Sequential(new Dense(3, "softmax").inputShape(2))) {
            model.backend(CPU);
            model.build(2);
            Dense dense = (Dense) model.layers().get(0);
            float[] w = {0.1f, -0.2f, 0.3f, 0.0f, 0.5f, -0.4f};
            dense.kernel().set(w);
            Tensor probs = model.predict(T.of(x, 2, 2));
            float[] p = probs.toFloatArray();
            model.compile(new SGD(1.0), new CategoricalCrossentropy());
            model.fit(
                    Dataset.of(x, new int[] {2}, y, new int[] {3}),
                    new FitOptions().batchSize(2).epochs(1).shuffle(false).verbose(0));
            float[] expectedW = w.clone();
            float[] expectedB = new float[3];
            for (int c = 0; c < 3; c++) {
                for (int n = 0; n < 2; n++) {
                    float dz = (p[n * 3 + c] - y[n * 3 + c]) / 2;
                    expectedB[c] -= dz;
                    for (int i = 0; i < 2; i++) {
                        expectedW[i * 3 + c] -= x[n * 2 + i] * dz;
                    }
                }
            }
            assertArrayEquals(expectedW, dense.kernel().get(), 1e-6f);
            assertArrayEquals(expectedB, dense.bias().get(), 1e-6f);
        }
    }

    @Test
    void binaryCrossEntropyMatchesItsDefinitionAndItsLogitFormHasGradientAMinusY() {
        float[] a = {0.9f, 0.2f, 0.6f};
        float[] y = {1, 0, 0};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += -(y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log(1 - a[i]));
        }
        assertEquals(expected / 3, value(new BinaryCrossentropy(), y, a, 3, 1), 1e-6);

        Tensor z = T.of(new float[] {2, -1, 0.3f}, 3, 1).requiresGrad(true);
        Tensor target = T.of(y, 3, 1);
        new BinaryCrossentropy(true).call(target, z).backward();
        float[] sigma = z.detach().sigmoid().toFloatArray();
        float[] grad = z.grad().toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertEquals((sigma[i] - y[i]) / 3, grad[i], 1e-6);
        }
        assertEquals(
                new BinaryCrossentropy().call(target, z.detach().sigmoid()).item(),
                new BinaryCrossentropy(true).call(target, z.detach()).item(),
                1e-6);
    }

    @Test
    void binaryCrossEntropyIsStableAtTheExtremes() {
        assertEquals(100.0, value(new BinaryCrossentropy(true), new float[] {0}, new float[] {100}, 1, 1), 1e-4);
        assertEquals(0.0, value(new BinaryCrossentropy(true), new float[] {1}, new float[] {100}, 1, 1), 1e-6);
        // from probabilities Keras clips to [1e−7, 1 − 1e−7]; in FLOAT32 1 − 1e−7 is 1 − 1.19e−7, so the loss is
        // −log(1.19e−7) = 15.9424 (Keras gives the same), not −log(1e−7) = 16.118
        assertEquals(
                -Math.log(1 - (double) (float) (1 - 1e-7)),
                value(new BinaryCrossentropy(), new float[] {0}, new float[] {1}, 1, 1),
                1e-3);
    }

    @Test
    void meanSquaredErrorAndSumOfSquares() {
        float[] f = {1, 2, 3, 4};
        float[] t = {1.5f, 2, 2, 4};
        // per sample (rows of 2): mse = (0.25 + 0)/2, (1 + 0)/2 → mean 0.3125; sse = ½·0.25, ½·1 → mean 0.3125
        assertEquals(0.3125, value(new MeanSquaredError(), t, f, 2, 2), 1e-7);
        assertEquals(0.3125, value(new SumOfSquares(), t, f, 2, 2), 1e-7);
        // J(W) = (1/n)·Σ (f(x) − y)² for one output per sample
        assertEquals((0.25 + 0 + 1 + 0) / 4, value(new MeanSquaredError(), t, f, 4, 1), 1e-7);
        // E = ½·Σ (y − t)², gradient y − t
        Tensor out = T.of(f, 1, 4).requiresGrad(true);
        new SumOfSquares().call(T.of(t, 1, 4), out).backward();
        assertArrayEquals(new float[] {-0.5f, 0, 1, 0}, out.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void sparseCategoricalCrossEntropyEqualsTheOneHotForm() {
        float[] logits = {2, 1, 0.1f, 0.5f, 2.5f, -1};
        double sparse = value2(new SparseCategoricalCrossentropy(true), new float[] {0, 1}, new int[] {2}, logits);
        double dense = value(new CategoricalCrossentropy(true), new float[] {1, 0, 0, 0, 1, 0}, logits, 2, 3);
        assertEquals(dense, sparse, 1e-6);
        double column = value2(new SparseCategoricalCrossentropy(true), new float[] {0, 1}, new int[] {2, 1}, logits);
        assertEquals(dense, column, 1e-6);
    }

    private static double value2(Loss loss, float[] labels, int[] labelShape, float[] logits) {
        return loss.call(T.of(labels, labelShape), T.of(logits, 2, 3)).item();
    }

    @Test
    void sparseLabelsAreCheckedOnTheHostWithTheirIndexAndValue() {
        Loss loss = new SparseCategoricalCrossentropy();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> loss.validateValues(new float[] {0, 2, 10, 1}, new int[] {}, new int[] {10}));
        assertTrue(
                e.getMessage().contains("label 10 of sample 2")
                        && e.getMessage().contains("[0, 10)"),
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> loss.validateValues(new float[] {-1}, new int[] {}, new int[] {10}));
        assertTrue(e.getMessage().contains("label -1 of sample 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss.validateShapes(new int[] {10}, new int[] {10}));
        assertTrue(e.getMessage().contains("one-hot"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> loss.call(T.of(new float[] {0, 1, 2}, 3), T.of(new float[6], 2, 3)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void targetsOfTheWrongShapeAreAClearError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new CategoricalCrossentropy().call(T.of(new float[4], 2, 2), T.of(new float[6], 2, 3)));
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new MeanSquaredError().validateShapes(new int[] {3}, new int[] {10}));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[10]"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new MeanSquaredError().call(T.of(new float[3], 3, 1), T.of(new float[4], 4, 1)));
    }

    @Test
    void lossesByKerasName() {
        assertInstanceOf(MeanSquaredError.class, Losses.get("mse"));
        assertInstanceOf(MeanSquaredError.class, Losses.get("mean_squared_error"));
        assertInstanceOf(SumOfSquares.class, Losses.get("sum_of_squares"));
        assertInstanceOf(BinaryCrossentropy.class, Losses.get("binary_crossentropy"));
        assertInstanceOf(CategoricalCrossentropy.class, Losses.get("categorical_crossentropy"));
        assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("sparse_categorical_crossentropy"));
        assertThrows(IllegalArgumentException.class, () -> Losses.get("hinge"));
    }
}
