package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.BatchNormalization;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Parameter;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A training step that fails — out of device memory at any allocation, or a device error in any
 * kernel before the optimizer's in-place updates — leaves the model exactly as it was: the same
 * weights bit for bit (BatchNormalization's moving statistics included), no step counted, no
 * gradient left, no buffer leaked. Retrying then gives the same weights as a step that never failed.
 * A failure after the updates (reading the epoch's logs) leaves the whole step applied: the model
 * is always before or after a step, never between.
 */
class FailedStepTest {
    private static final Dataset DATA = Fixture.blobs(12, 5);
    private static final FitOptions ONE_STEP =
            new FitOptions().batchSize(12).epochs(1).shuffle(false).verbose(0);

    private static FaultyBackend device;
    private static List<float[]> initial;
    private static List<float[]> afterOneStep;
    private static long allocationsPerFit;
    private static long allocationsBeforeUpdates;
    private static long kernelsBeforeUpdates;

    private static Sequential model() {
        RandomSeed.set(21);
        Sequential model =
                new Sequential(new Dense(6, "relu").inputShape(4), new BatchNormalization(), new Dense(3, "softmax"));
        model.backend(device);
        model.compile(new Adam(0.05).clipnorm(1.0), new SparseCategoricalCrossentropy(), "accuracy");
        model.build(4);
        return model;
    }

    @BeforeAll
    static void measureOneCleanStep() {
        device = new FaultyBackend(CpuBackendProvider.createIsolated());
        try (Sequential model = model()) {
            initial = model.getWeights();
            device.count();
            device.onFirstUpdate(() -> {
                allocationsBeforeUpdates = device.allocations();
                kernelsBeforeUpdates = device.kernels();
            });
            model.fit(DATA, ONE_STEP);
            allocationsPerFit = device.allocations();
            afterOneStep = model.getWeights();
        }
        assertTrue(
                allocationsBeforeUpdates > 10
                        && kernelsBeforeUpdates > 10
                        && allocationsPerFit > allocationsBeforeUpdates,
                "one fit of one step: " + allocationsPerFit + " allocations, " + allocationsBeforeUpdates + " and "
                        + kernelsBeforeUpdates + " kernels before the updates");
    }

    @AfterAll
    static void release() {
        device.close();
    }

    @Test
    void runningOutOfMemoryAtAnyAllocationOfAStepChangesNothing() {
        for (long n = 1; n <= allocationsPerFit; n++) {
            failedStepChangesNothing(FaultyBackend.Fault.ALLOCATION, n, DeviceOutOfMemoryException.class);
        }
    }

    @Test
    void aDeviceErrorInAnyKernelBeforeTheUpdatesChangesNothing() {
        for (long n = 1; n <= kernelsBeforeUpdates; n++) {
            failedStepChangesNothing(FaultyBackend.Fault.KERNEL, n, IllegalStateException.class);
        }
    }

    private static void failedStepChangesNothing(
            FaultyBackend.Fault fault, long n, Class<? extends RuntimeException> type) {
        String what = fault + " " + n;
        long live = device.memoryStats().liveBuffers();
        try (Sequential model = model()) {
            device.arm(fault, n);
            RuntimeException e = assertThrows(type, () -> model.fit(DATA, ONE_STEP), what);
            assertTrue(
                    e.getMessage().contains("faulty test device")
                            || e.getMessage().contains("injected"),
                    what + ": " + e);
            device.disarm();
            boolean stepDone = fault == FaultyBackend.Fault.ALLOCATION && n > allocationsBeforeUpdates;
            List<float[]> expected = stepDone ? afterOneStep : initial;
            List<float[]> weights = model.getWeights();
            for (int i = 0; i < weights.size(); i++) {
                assertArrayEquals(
                        expected.get(i),
                        weights.get(i),
                        what + ": weight " + model.weights().get(i).name()
                                + (stepDone ? " is not the whole step's result" : " changed"));
            }
            assertEquals(stepDone ? 1 : 0, model.optimizer().iterations(), what + ": steps counted");
            for (Parameter p : model.weights()) {
                assertNull(p.value().grad(), what + ": a gradient was left on " + p.name());
            }
            if (!stepDone) {
                model.fit(DATA, ONE_STEP);
                List<float[]> retried = model.getWeights();
                for (int i = 0; i < retried.size(); i++) {
                    assertArrayEquals(
                            afterOneStep.get(i), retried.get(i), what + ": the retried step differs on weight " + i);
                }
            }
        }
        assertEquals(live, device.memoryStats().liveBuffers(), what + ": buffers leaked");
    }
}
