package dev.nabla.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backends;
import dev.nabla.nn.CountingBackend;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final CountingBackend BACKEND = new CountingBackend(Backends.get("cpu", 0));
    private static final TensorFactory T = Tensor.on(BACKEND);

    @Test
    void categoricalAccuracyComparesArgmaxesAcrossBatches() {
        try (Metric accuracy = new CategoricalAccuracy()) {
            assertTrue(Double.isNaN(accuracy.result()));
            accuracy.update(
                    T.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3), T.of(new float[] {.1f, .8f, .1f, .3f, .6f, .1f}, 2, 3));
            accuracy.update(T.of(new float[] {0, 0, 1}, 1, 3), T.of(new float[] {.2f, .2f, .6f}, 1, 3));
            assertEquals(2.0 / 3, accuracy.result(), 1e-9);
            accuracy.reset();
            accuracy.update(T.of(new float[] {1, 0}, 1, 2), T.of(new float[] {.9f, .1f}, 1, 2));
            assertEquals(1.0, accuracy.result());
        }
    }

    @Test
    void sparseCategoricalAccuracyComparesTheArgmaxWithTheLabel() {
        try (Metric accuracy = new SparseCategoricalAccuracy()) {
            accuracy.update(
                    T.of(new float[] {1, 0, 0}, 3),
                    T.of(new float[] {.1f, .8f, .1f, .3f, .6f, .1f, .9f, 0, .1f}, 3, 3));
            assertEquals(2.0 / 3, accuracy.result(), 1e-9);
            accuracy.update(T.of(new float[] {2}, 1, 1), T.of(new float[] {0, 0, 1}, 1, 3));
            assertEquals(3.0 / 4, accuracy.result(), 1e-9);
        }
    }

    @Test
    void binaryAccuracyPrecisionAndRecallThresholdAtOneHalf() {
        Tensor y = T.of(new float[] {1, 1, 1, 0}, 4, 1);
        Tensor p = T.of(new float[] {0.9f, 0.2f, 0.3f, 0.6f}, 4, 1);
        try (Metric binary = new BinaryAccuracy();
                Metric precision = new Precision();
                Metric recall = new Recall()) {
            binary.update(y, p);
            precision.update(y, p);
            recall.update(y, p);
            assertEquals(0.25, binary.result(), 1e-9); // only sample 0 is right
            assertEquals(0.5, precision.result(), 1e-9); // predicted positive: 0 and 3, of which 0 is
            assertEquals(1.0 / 3, recall.result(), 1e-9); // actual positive: 0, 1, 2, of which 0 is found
        }
    }

    @Test
    void meanAbsoluteError() {
        try (Metric mae = new MeanAbsoluteError()) {
            mae.update(T.of(new float[] {1, 2, 3, 4}, 2, 2), T.of(new float[] {1.5f, 2, 2, 4}, 2, 2));
            assertEquals(1.5 / 4, mae.result(), 1e-7);
        }
    }

    @Test
    void updatesStayOnTheDeviceAndResultsOfManyMetricsAreOneRead() {
        Metric a = new CategoricalAccuracy();
        Metric b = new Precision();
        Metric c = new MeanAbsoluteError();
        Tensor y = T.of(new float[] {0, 1, 1, 0}, 2, 2);
        Tensor p = T.of(new float[] {.3f, .7f, .4f, .6f}, 2, 2);
        int before = BACKEND.reads.get();
        for (int i = 0; i < 10; i++) {
            a.update(y, p);
            b.update(y, p);
            c.update(y, p);
        }
        assertEquals(before, BACKEND.reads.get(), "no reads while updating");
        double[] results = Metric.resultsOf(List.of(a, b, c));
        assertEquals(before + 1, BACKEND.reads.get(), "one read for all three");
        assertEquals(0.5, results[0], 1e-9); // argmax [1, 1] against [1, 0]
        assertEquals(0.5, results[1], 1e-9); // predicted positive: (0, 1) right, (1, 1) wrong
        assertEquals(0.45, results[2], 1e-6); // (0.3 + 0.3 + 0.6 + 0.6) / 4
        a.close();
        b.close();
        c.close();
    }

    @Test
    void accuracyPicksItsKindFromTheShapesAsKerasDoes() {
        assertInstanceOf(CategoricalAccuracy.class, Metrics.get("accuracy", new int[] {10}, new int[] {10}));
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.get("accuracy", new int[] {}, new int[] {10}));
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.get("acc", new int[] {1}, new int[] {10}));
        assertInstanceOf(BinaryAccuracy.class, Metrics.get("accuracy", new int[] {1}, new int[] {1}));
        assertEquals("acc", Metrics.get("acc", new int[] {1}, new int[] {10}).name());
        assertInstanceOf(MeanAbsoluteError.class, Metrics.get("mae", new int[] {1}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Metrics.get("auc", new int[] {1}, new int[] {1}));
    }
}
