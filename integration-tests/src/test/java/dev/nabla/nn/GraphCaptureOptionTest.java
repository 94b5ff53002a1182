package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.callbacks.History;
import dev.nabla.conformance.RecordingBackend;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * The switch of graph capture: off by default until the cuda backend's capture has run on a GPU; on by {@code
 * FitOptions.graphCapture(true)} or {@code -Dnabla.graphCapture=true}; off for the whole JVM, whatever the options
 * say, by {@code -Dnabla.graphCapture=false}.
 */
class GraphCaptureOptionTest {

    @Test
    void offByDefaultOnBySwitchOrPropertyAndThePropertysFalseWins() {
        String before = System.getProperty("nabla.graphCapture");
        try {
            System.clearProperty("nabla.graphCapture");
            assertFalse(new FitOptions().graphCapture(), "off until it has run on a GPU");
            assertTrue(new FitOptions().graphCapture(true).graphCapture());
            System.setProperty("nabla.graphCapture", "true");
            assertTrue(new FitOptions().graphCapture(), "the property turns the default on");
            assertFalse(new FitOptions().graphCapture(false).graphCapture(), "an option still turns it off");
            System.setProperty("nabla.graphCapture", "false");
            assertFalse(new FitOptions().graphCapture(true).graphCapture(), "the property turns it off for the JVM");
        } finally {
            if (before == null) {
                System.clearProperty("nabla.graphCapture");
            } else {
                System.setProperty("nabla.graphCapture", before);
            }
        }
    }

    private static long replaysOfAFit(RecordingBackend recording, FitOptions options) {
        RandomSeed.set(3);
        try (Sequential model = new Sequential(new Dense(8, "relu").inputShape(4), new Dense(3, "softmax"))) {
            model.backend(recording);
            model.compile(new SGD(0.05, 0.9, false), new SparseCategoricalCrossentropy(), "accuracy");
            long before = recording.replays();
            History h = model.fit(
                    Fixtures.blobs(64, 1), options.batchSize(16).epochs(2).verbose(0));
            assertEquals(2, h.get("loss").size());
            return recording.replays() - before;
        }
    }

    @Test
    void fitReplaysOnlyWhenTheSwitchIsOn() {
        Backend cpu = CpuBackendProvider.createIsolated();
        try {
            RecordingBackend recording = new RecordingBackend(cpu);
            assertEquals(
                    7,
                    replaysOfAFit(recording, new FitOptions().graphCapture(true)),
                    "8 full steps: 1 eager, 7 replayed");
            assertEquals(0, replaysOfAFit(recording, new FitOptions()), "off by default");
            assertEquals(0, replaysOfAFit(recording, new FitOptions().graphCapture(false)));
        } finally {
            cpu.close();
        }
    }
}
