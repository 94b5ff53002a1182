package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.History;
import dev.nabla.callbacks.Logs;
import dev.nabla.callbacks.TerminateOnNaN;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.data.Dataset;
import dev.nabla.losses.MeanSquaredError;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.NanCheck;
import dev.nabla.tensor.NonFiniteValueException;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two NaN guards: {@link TerminateOnNaN}, which stops training at the first batch whose loss is
 * not finite, and {@link NanCheck}, the debugging mode that names the first op that made a NaN or
 * an infinity.
 */
class NanGuardTest {
    @AfterEach
    void checkOff() {
        NanCheck.disable();
    }

    /** A regression whose SGD steps are far too large: the loss overflows within a few batches. */
    private static Sequential diverging(long seed) {
        RandomSeed.set(seed);
        Sequential model = new Sequential(new Dense(8, "relu").inputShape(4), new Dense(1));
        model.backend(Fixture.CPU);
        model.compile(new SGD(1e6), new MeanSquaredError());
        return model;
    }

    private static Dataset regression() {
        Dataset blobs = Fixture.blobs(64, 9);
        return Dataset.of(blobs.features(), new int[] {4}, blobs.targets(), new int[] {1});
    }

    @Test
    void terminateOnNaNStopsAtTheFirstBatchWhoseLossIsNotFinite() {
        List<Double> losses = new ArrayList<>();
        TerminateOnNaN terminate = new TerminateOnNaN();
        Callback record = new Callback() {
            @Override
            public void onBatchEnd(int batch, Logs logs) {
                losses.add(logs.get("loss"));
            }
        };
        try (Sequential model = diverging(4)) {
            History history = model.fit(
                    regression(),
                    new FitOptions()
                            .batchSize(4)
                            .epochs(3)
                            .shuffle(false)
                            .verbose(0)
                            .callbacks(record, terminate));
            assertTrue(terminate.terminated());
            assertTrue(model.stopTraining());
            assertEquals(1, history.epochs().size(), "stopped in the first epoch");
            int last = losses.size() - 1;
            assertTrue(last < 15, "stopped early: " + losses);
            assertFalse(Double.isFinite(losses.get(last)), "the last batch's loss is not finite: " + losses);
            for (int i = 0; i < last; i++) {
                assertTrue(
                        Double.isFinite(losses.get(i)),
                        "batch " + i + " was finite and did not stop training: " + losses);
            }
        }
    }

    @Test
    void terminateOnNaNLetsAHealthyRunFinish() {
        TerminateOnNaN terminate = new TerminateOnNaN();
        try (Sequential model = Fixture.healthyClassifier()) {
            History history = model.fit(
                    Fixture.blobs(24, 2),
                    new FitOptions().batchSize(8).epochs(3).verbose(0).callbacks(terminate));
            assertFalse(terminate.terminated());
            assertEquals(3, history.epochs().size());
        }
    }

    @Test
    void theCheckIsOffUnlessAskedFor() {
        assertFalse(NanCheck.isEnabled(), "-D" + NanCheck.PROPERTY + " is not set in the tests");
        try (TensorScope scope = TensorScope.open()) {
            float[] values = Tensor.of(new float[] {-1}).log().toFloatArray();
            assertTrue(Float.isNaN(values[0]), "without the check, log(−1) is NaN, as IEEE 754 says");
        }
    }

    @Test
    void logOfANegativeNumberIsNamed() {
        NanCheck.enable();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(new float[] {2, -1, 3, 4}, 4, 1);
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, x::log);
            assertEquals("log", e.op());
            assertEquals(1, e.inputShapes().size());
            assertArrayEquals(new int[] {4, 1}, e.inputShapes().get(0));
            assertTrue(e.getMessage().contains("'log' produced NaN at element 1"), e.getMessage());
            assertTrue(e.getMessage().contains("[4, 1] FLOAT32"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("debugging aid"),
                    "the message says what the check costs: " + e.getMessage());
        }
    }

    @Test
    void zeroDividedByZeroIsNamedWithBothInputShapes() {
        NanCheck.enable();
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = Tensor.of(new float[] {1, 0, 2, 3, 0, 1}, 2, 3);
            Tensor b = Tensor.of(new float[] {1, 0, 1}, 3);
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> a.div(b));
            assertEquals("div", e.op());
            assertArrayEquals(new int[] {2, 3}, e.inputShapes().get(0));
            assertArrayEquals(new int[] {3}, e.inputShapes().get(1));
            assertTrue(e.getMessage().contains("'div' produced NaN at element 1"), e.getMessage());
        }
    }

    @Test
    void expOverflowInANetworkIsNamedAtTheExpNotDownstream() {
        NanCheck.enable();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
            Tensor w1 = Tensor.full(10, 4, 3).requiresGrad(true);
            Tensor w2 = Tensor.full(0.1, 3, 1).requiresGrad(true);
            Tensor hidden = x.matmul(w1); // up to 260: fine
            NonFiniteValueException e = assertThrows(
                    NonFiniteValueException.class,
                    () -> hidden.exp().matmul(w2).square().mean().backward());
            assertEquals("exp", e.op(), e.getMessage());
            assertArrayEquals(new int[] {2, 3}, e.inputShapes().get(0));
            assertTrue(e.getMessage().contains("produced Infinity"), e.getMessage());
        }
    }

    @Test
    void aNaNMadeInTheBackwardPassNamesTheOpWhoseBackwardRan() {
        NanCheck.enable();
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.of(new float[] {0, 4}).requiresGrad(true);
            Tensor loss = w.sqrt().sum(); // √0 = 0 is fine; its derivative 1/(2√0) is not
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, loss::backward);
            assertTrue(e.getMessage().contains("in the backward pass of 'sqrt'"), e.getMessage());
            assertEquals("div", e.op(), e.getMessage());
        }
    }

    @Test
    void nanInHostDataIsNamedAsSuchNotBlamedOnTheFirstOp() {
        NanCheck.enable();
        NonFiniteValueException e =
                assertThrows(NonFiniteValueException.class, () -> Tensor.of(new float[] {1, Float.NaN, 3}));
        assertTrue(e.getMessage().contains("host data") && e.getMessage().contains("NaN at element 1"), e.getMessage());
    }

    @Test
    void nanInADataSetIsNamedAsHostDataWhenItsBatchIsGathered() {
        NanCheck.enable();
        Dataset data =
                Dataset.of(new float[] {1, 2, 3, Float.NaN, 5, 6}, new int[] {2}, new float[] {0, 1, 0}, new int[] {1});
        Backend own = CpuBackendProvider.createIsolated(); // the Cleaner moves a shared backend's count
        NonFiniteValueException e = assertThrows(
                NonFiniteValueException.class,
                () -> data.batches(2, false, 0, own).iterator().next());
        assertTrue(
                e.getMessage().contains("Tensor.rowsOf") && e.getMessage().contains("NaN at element 3"),
                e.getMessage());
        assertEquals(0, own.memoryStats().liveBuffers(), "the refused batch's tensor was released");
    }

    @Test
    void aDivergingFitIsStoppedAtTheFirstOpThatOverflowsAndTheWeightsStayFinite() {
        try (Sequential model = diverging(4)) {
            NanCheck.enable();
            NonFiniteValueException e = assertThrows(
                    NonFiniteValueException.class,
                    () -> model.fit(
                            regression(),
                            new FitOptions()
                                    .batchSize(4)
                                    .epochs(3)
                                    .shuffle(false)
                                    .verbose(0)));
            NanCheck.disable();
            assertTrue(e.getMessage().startsWith("NanCheck: '" + e.op() + "'"), e.getMessage());
            for (float[] weight : model.getWeights()) {
                for (float v : weight) {
                    assertTrue(
                            Float.isFinite(v) || e.op().endsWith("update"),
                            "a weight became non-finite before the check stopped the run at " + e.op());
                }
            }
        }
    }

    @Test
    void aHealthyTrainingRunRaisesNothingWithTheCheckOn() {
        try (Sequential model = Fixture.healthyClassifier()) {
            NanCheck.enable();
            History history = model.fit(
                    Fixture.blobs(24, 2),
                    new FitOptions().batchSize(8).epochs(2).verbose(0).validationSplit(0.25));
            assertEquals(2, history.epochs().size());
            model.evaluate(Fixture.blobs(12, 3));
        }
    }
}
