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

/** The switch of graph capture: on by default, off by {@code FitOptions.graphCapture(false)} or, for the whole JVM, {@code -Dnabla.graphCapture=false}. */
class GraphCaptureOptionTest {

    @Test
    void onByDefaultAndOffBySwitchOrProperty() {
        assertTrue(new FitOptions().graphCapture());
        assertFalse(new FitOptions().graphCapture(false).graphCapture());
        String before = System.getProperty("nabla.graphCapture");
        try {
            System.setProperty("nabla.graphCapture", "false");
            assertFalse(new FitOptions().graphCapture(), "the property turns the default off");
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
            assertEquals(7, replaysOfAFit(recording, new FitOptions()), "8 full steps: 1 eager, 7 replayed");
            assertEquals(0, replaysOfAFit(recording, new FitOptions().graphCapture(false)));
        } finally {
            cpu.close();
        }
    }
}
