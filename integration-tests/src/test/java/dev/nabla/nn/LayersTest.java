package dev.nabla.nn;

import static dev.nabla.nn.Fixtures.CPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.activations.Activations;
import dev.nabla.nn.initializers.Constant;
import dev.nabla.nn.regularizers.L2;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.testing.LiveBuffers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayersTest {
    private static final TensorFactory T = Tensor.on(CPU);

    @Test
    void denseComputesActivationOfXTimesKernelPlusBias() {
        Dense dense = new Dense(2, "relu").kernelInitializer(new Constant(0.5)).biasInitializer(new Constant(-1));
        Tensor x = T.of(new float[] {1, 2, 3, -4, 0, 0}, 2, 3);
        Tensor y = dense.apply(x);
        // row 1: 0.5·6 − 1 = 2; row 2: 0.5·(−4) − 1 = −3 → relu 0
        assertArrayEquals(new float[] {2, 2, 0, 0}, y.toFloatArray());
        assertArrayEquals(new int[] {3, 2}, dense.kernel().shape());
        assertArrayEquals(new int[] {2}, dense.bias().shape());
        assertEquals(8, dense.countParams());
        dense.close();
    }

    @Test
    void fusedBiasActivationGivesTheSameValuesAndGradientsAsTheOpsOneByOne() {
        for (Activations act : Activations.values()) {
            RandomSeed.set(3);
            Dense dense = new Dense(4, act);
            Tensor x = T.uniform(new dev.nabla.tensor.Generator(1), -2, 2, 5, 3);
            Tensor y = dense.apply(x, true);
            Tensor reference =
                    act.apply(x.matmul(dense.kernel().value()).add(dense.bias().value()));
            assertArrayEquals(reference.toFloatArray(), y.toFloatArray(), 1e-5f, act.name());
            y.square().sum().backward();
            float[] fusedGrad = dense.kernel().value().grad().toFloatArray();
            dense.kernel().value().zeroGrad();
            dense.bias().value().zeroGrad();
            reference.square().sum().backward();
            assertArrayEquals(dense.kernel().value().grad().toFloatArray(), fusedGrad, 1e-4f, act.name());
            dense.close();
        }
    }

    @Test
    void denseOnHigherRankInputsWorksOnTheLastAxis() {
        Dense dense = new Dense(5);
        Tensor y = dense.apply(T.ones(2, 3, 4));
        assertArrayEquals(new int[] {2, 3, 5}, y.shape());
        assertArrayEquals(new int[] {3, 5}, dense.outputShape());
        dense.close();
    }

    @Test
    void aLayerRefusesInputOfAnotherShapeThanItWasBuiltFor() {
        Dense dense = new Dense(2);
        dense.apply(T.ones(1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dense.apply(T.ones(1, 4)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[1, 4]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> dense.kernelInitializer(new Constant(1)));
        assertThrows(IllegalArgumentException.class, () -> new Dense(0));
        assertThrows(IllegalArgumentException.class, () -> new Dense(3, "relux"));
        dense.close();
    }

    @Test
    void dropoutZeroesAboutRateOfTheValuesInTrainingOnlyAndScalesTheRest() {
        Dropout dropout = new Dropout(0.25, 9L);
        Tensor x = T.ones(100, 100);
        assertArrayEquals(x.toFloatArray(), dropout.apply(x, false).toFloatArray());
        float[] trained = dropout.apply(x, true).toFloatArray();
        int zeros = 0;
        for (float v : trained) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(2500, zeros, 200);
        float[] next = dropout.apply(x, true).toFloatArray();
        assertFalse(java.util.Arrays.equals(trained, next), "a new mask every step");
        float[] again = new Dropout(0.25, 9L).apply(x, true).toFloatArray();
        assertArrayEquals(trained, again, "the same seed gives the same masks");
    }

    @Test
    void batchNormalizationNormalizesInTrainingAndMovesItsStatistics() {
        BatchNormalization bn = new BatchNormalization();
        assertEquals(0.99, bn.momentum());
        assertEquals(1e-3, bn.epsilon());
        Tensor x = T.of(new float[] {1, 10, 3, 20, 5, 30, 7, 40}, 4, 2);
        float[] y = bn.apply(x, true).toFloatArray();
        // column 0: mean 4, variance 5; column 1: mean 25, variance 125
        for (int r = 0; r < 4; r++) {
            assertEquals((x.toFloatArray()[r * 2] - 4) / Math.sqrt(5 + 1e-3), y[r * 2], 1e-5);
            assertEquals((x.toFloatArray()[r * 2 + 1] - 25) / Math.sqrt(125 + 1e-3), y[r * 2 + 1], 1e-5);
        }
        assertArrayEquals(new float[] {0.04f, 0.25f}, bn.movingMean().get(), 1e-6f);
        assertArrayEquals(
                new float[] {0.99f + 0.05f, 0.99f + 1.25f}, bn.movingVariance().get(), 1e-5f);
        // inference uses the moving statistics
        float[] inferred = bn.apply(x, false).toFloatArray();
        assertEquals((1 - 0.04) / Math.sqrt(1.04 + 1e-3), inferred[0], 1e-5);
        assertEquals(2, bn.trainableWeights().size());
        assertEquals(2, bn.nonTrainableWeights().size());
        bn.close();
    }

    @Test
    void batchNormalizationLearnsGammaAndBetaButNotItsMovingStatistics() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = T.of(new float[] {1, 2, 3, 4}, 4, 1);
        bn.apply(x, true).mul(T.of(new float[] {1, 2, 3, 4}, 4, 1)).sum().backward();
        Parameter gamma = bn.weights().get(0);
        Parameter beta = bn.weights().get(1);
        assertTrue(gamma.value().grad() != null && beta.value().grad() != null);
        assertEquals(10, beta.value().grad().item(), 1e-5);
        assertEquals(null, bn.movingMean().value().grad());
        bn.close();
    }

    @Test
    void flattenAndActivation() {
        Flatten flatten = new Flatten();
        Tensor y = flatten.apply(T.ones(2, 3, 4));
        assertArrayEquals(new int[] {2, 12}, y.shape());
        Activation softmax = new Activation("softmax");
        float[] p = softmax.apply(T.of(new float[] {5, 2, -1, 3}, 1, 4)).toFloatArray();
        assertArrayEquals(new float[] {0.842f, 0.042f, 0.002f, 0.114f}, p, 5e-4f);
        float[] big = new Activation(Activations.SOFTMAX)
                .apply(T.of(new float[] {1000, 1001}, 1, 2))
                .toFloatArray();
        assertArrayEquals(new float[] {0.269f, 0.731f}, big, 5e-4f);
    }

    @Test
    void layersAreNamedLikeKeras() {
        Dense a = new Dense(1);
        Dense b = new Dense(1);
        assertTrue(a.name().matches("dense(_\\d+)?"), a.name());
        assertNotEquals(a.name(), b.name());
        assertEquals("batch_normalization", Layer.snakeCase("BatchNormalization"));
        assertEquals("head", new Dense(1).name("head").name());
    }

    @Test
    void regularizersAddToTheTrainingLoss() {
        RandomSeed.set(1);
        try (Sequential model = new Sequential(new Dense(1)
                .kernelRegularizer(new L2(0.5))
                .kernelInitializer(new Constant(2))
                .inputShape(2))) {
            model.backend(CPU);
            model.compile(new dev.nabla.optim.SGD(0.0), new dev.nabla.losses.MeanSquaredError());
            var data = dev.nabla.data.Dataset.of(new float[] {0, 0}, new int[] {2}, new float[] {0}, new int[] {1});
            var history = model.fit(data, new FitOptions().verbose(0));
            // prediction 0, target 0: the loss is the penalty 0.5·(2² + 2²) = 4
            assertEquals(4.0, history.last("loss"), 1e-6);
        }
    }

    @Test
    void aFrozenLayerKeepsItsWeightsWhileTheOthersTrain() {
        RandomSeed.set(5);
        Dense frozen = new Dense(4, "tanh").inputShape(4);
        try (Sequential model = new Sequential(frozen, new Dense(3, "softmax"))) {
            model.backend(CPU);
            model.build(4);
            frozen.trainable(false);
            float[] before = frozen.kernel().get();
            float[] headBefore = ((Dense) model.layers().get(1)).kernel().get();
            model.compile(new dev.nabla.optim.Adam(0.01), new dev.nabla.losses.SparseCategoricalCrossentropy());
            model.fit(Fixtures.blobs(30, 1), new FitOptions().epochs(2).verbose(0));
            assertArrayEquals(before, frozen.kernel().get());
            assertEquals(null, frozen.kernel().value().grad());
            assertFalse(java.util.Arrays.equals(
                    headBefore, ((Dense) model.layers().get(1)).kernel().get()));
            assertEquals(2, model.nonTrainableWeights().size());
        }
    }

    @Test
    void summaryListsLayersOutputShapesAndParameterCountsLikeKeras() {
        Sequential model = new Sequential(
                new Input(784), new Dense(512, "tanh").name("hidden"), new Dense(10, "softmax").name("output"));
        model.backend(CPU);
        List<String> lines = new ArrayList<>();
        model.summary(lines::add);
        assertTrue(lines.get(0).startsWith("Model: \"sequential"), lines.get(0));
        assertEquals(" Layer (type)                Output Shape              Param #   ", lines.get(2));
        assertEquals(" hidden (Dense)              (None, 512)               401920    ", lines.get(4));
        assertEquals(" output (Dense)              (None, 10)                5130      ", lines.get(6));
        assertTrue(lines.contains("Total params: 407,050 (1.55 MB)"), lines.toString());
        assertTrue(lines.contains("Trainable params: 407,050 (1.55 MB)"), lines.toString());
        assertTrue(lines.contains("Non-trainable params: 0 (0.00 B)"), lines.toString());
        model.close();
    }

    @Test
    void summaryCountsBatchNormalizationStatisticsAsNonTrainable() {
        Sequential model = new Sequential(new Dense(4).inputShape(3), new BatchNormalization());
        model.backend(CPU);
        List<String> lines = new ArrayList<>();
        model.summary(lines::add);
        assertTrue(lines.contains("Total params: 32 (128.00 B)"), lines.toString());
        assertTrue(lines.contains("Trainable params: 24 (96.00 B)"), lines.toString());
        assertTrue(lines.contains("Non-trainable params: 8 (32.00 B)"), lines.toString());
        model.close();
    }

    @Test
    void aModelWithoutAnInputShapeCannotBeSummarizedUntilBuilt() {
        Sequential model = new Sequential(new Dense(4), new Dense(2));
        model.backend(CPU);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.summary(s -> {}));
        assertTrue(e.getMessage().contains("Input"), e.getMessage());
        model.build(3);
        model.summary(s -> {});
        assertArrayEquals(new int[] {2}, model.outputShape());
        model.close();
    }

    @Test
    void duplicateLayerNamesAreRejected() {
        Sequential model = new Sequential(new Dense(2).name("same"));
        assertThrows(IllegalArgumentException.class, () -> model.add(new Dense(2).name("same")));
        assertThrows(IllegalArgumentException.class, () -> model.add(new Input(3)));
    }

    @Test
    void inferenceOutsideAnyScopeReleasesIntermediates() {
        try (Sequential model = new Sequential(
                new Dense(8, "relu").inputShape(4),
                new Dropout(0.5),
                new BatchNormalization(),
                new Dense(3, "softmax"))) {
            model.backend(CPU);
            model.build(4);
            Tensor x = T.ones(2, 4);
            try (NoGrad off = NoGrad.enter()) {
                model.apply(x).close();
                long before = LiveBuffers.settled(CPU);
                for (int i = 0; i < 5; i++) {
                    model.apply(x).close();
                }
                assertEquals(before, CPU.memoryStats().liveBuffers());
            }
            x.close();
        }
    }
}
