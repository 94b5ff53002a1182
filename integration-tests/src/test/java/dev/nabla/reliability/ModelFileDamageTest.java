package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.backend.Backend;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.io.ModelFormatException;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved model (architecture, weights and Adam state) cut at every byte offset, or with any byte
 * damaged (its lowest bit or all eight bits flipped), either loads a model identical to the
 * saved one or is refused with a {@link ModelFormatException} that says why. Never another
 * exception, never a model with other weights, never a device buffer left behind.
 */
class ModelFileDamageTest {
    private static final Backend DEVICE = CpuBackendProvider.createIsolated();
    /** Each byte is damaged two ways: its lowest bit flipped, all eight bits flipped. */
    private static final int[] MASKS = {0x01, 0xFF};

    private static byte[] bytes;
    private static List<float[]> weights;
    private static float[] predictions;
    private static Tensor probe;

    @BeforeAll
    static void saveASmallTrainedModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.nabla");
        try (Sequential model = Fixture.healthyClassifier()) {
            model.fit(
                    Fixture.blobs(12, 4),
                    new FitOptions().batchSize(4).epochs(1).verbose(0));
            model.save(file);
        }
        bytes = Files.readAllBytes(file);
        probe = Tensor.on(DEVICE).of(Fixture.blobs(6, 8).features(), 6, 4);
        try (Model loaded = Model.load(file, DEVICE)) {
            weights = loaded.getWeights();
            try (Tensor out = loaded.predict(probe)) {
                predictions = out.toFloatArray();
            }
        }
        assertTrue(bytes.length < 4096, "a small model: " + bytes.length + " bytes");
    }

    @AfterAll
    static void release() {
        probe.close();
        DEVICE.close();
    }

    @Test
    void aFileCutAtEveryOffsetIsRefusedAndSaysSo(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.nabla");
        long live = DEVICE.memoryStats().liveBuffers();
        for (int length = 0; length < bytes.length; length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            String message = refused(cut, "cut at " + length);
            assertTrue(
                    message.contains("truncated") || message.contains("not a Nabla model file"),
                    "cut at " + length + ": " + message);
        }
        assertEquals(live, DEVICE.memoryStats().liveBuffers(), "buffers left behind");
    }

    @Test
    void anyFlippedByteIsRefusedOrLoadsTheSameModel(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("flipped.nabla");
        long live = DEVICE.memoryStats().liveBuffers();
        int refusals = 0;
        int identical = 0;
        for (int position = 0; position < bytes.length; position++) {
            for (int mask : MASKS) {
                byte[] copy = bytes.clone();
                copy[position] ^= (byte) mask;
                Files.write(bad, copy);
                String what = "byte " + position + " ^ 0x" + Integer.toHexString(mask);
                Model model;
                try {
                    model = Model.load(bad, DEVICE);
                } catch (ModelFormatException e) {
                    String m = e.getMessage();
                    assertTrue(
                            m.contains("corrupted")
                                    || m.contains("version")
                                    || m.contains("truncated")
                                    || m.contains("damaged")
                                    || m.contains("not a Nabla model file"),
                            what + ": " + m);
                    refusals++;
                    continue;
                } catch (RuntimeException e) {
                    fail(what + ": expected a ModelFormatException, got " + e, e);
                    return;
                }
                try (model) {
                    List<float[]> loaded = model.getWeights();
                    assertEquals(weights.size(), loaded.size(), what);
                    for (int i = 0; i < loaded.size(); i++) {
                        assertArrayEquals(weights.get(i), loaded.get(i), what + ": loaded other weights");
                    }
                    try (Tensor out = model.predict(probe)) {
                        assertArrayEquals(predictions, out.toFloatArray(), what + ": predicts otherwise");
                    }
                    identical++;
                }
            }
        }
        assertEquals(bytes.length * MASKS.length, refusals + identical);
        assertEquals(live, DEVICE.memoryStats().liveBuffers(), "buffers left behind");
        System.out.println("[reliability] " + bytes.length + "-byte model file, " + bytes.length * MASKS.length
                + " single-byte damages: " + refusals + " refused, " + identical + " loaded identically");
    }

    private static String refused(Path file, String what) {
        try (Model model = Model.load(file, DEVICE)) {
            fail(what + ": loaded " + model);
            return null;
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what);
            return e.getMessage();
        } catch (RuntimeException e) {
            fail(what + ": expected a ModelFormatException, got " + e, e);
            return null;
        }
    }
}
