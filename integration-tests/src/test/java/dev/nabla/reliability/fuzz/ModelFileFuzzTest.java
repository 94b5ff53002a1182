package dev.nabla.reliability.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.backend.Backend;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.io.ModelFormatException;
import dev.nabla.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Model#load}. An input whose first byte is odd is a payload (the sections) that the
 * harness wraps in a valid header and SHA-256, so that the fuzzer explores the parser and the
 * model builder behind the checksum; an even first byte means the rest is a whole file. Every
 * input either loads or raises {@link ModelFormatException} with a message — never another
 * exception — and leaves no device buffer behind.
 */
class ModelFileFuzzTest {
    private static final byte[] MAGIC = {(byte) 0x89, 'N', 'A', 'B', 'L', 'A', '\r', '\n'};
    private static final Backend DEVICE = CpuBackendProvider.createIsolated();
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("nabla-model-fuzz-", ".nabla");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void loadsAnyBytesOrSaysWhatIsWrong(byte[] input) throws IOException {
        byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        boolean wrap = input.length > 0 && (input[0] & 1) == 1;
        Files.write(FILE, wrap ? wrap(rest) : rest);
        long live = DEVICE.memoryStats().liveBuffers();
        try (Model model = Model.load(FILE, DEVICE)) {
            model.getWeights();
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(FILE.toString() + ": "), "message: " + e);
        }
        assertEquals(live, DEVICE.memoryStats().liveBuffers(), "device buffers left behind");
    }

    /** Found by reading the parser the fuzzer pointed at: deep nesting overflowed the stack (an Error, not an exception). */
    @Test
    void anArchitectureNestedTooDeeplyIsRefusedNotAStackOverflow() throws IOException {
        byte[] json = "[".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer payload = ByteBuffer.allocate(12 + json.length);
        payload.put("ARCH".getBytes(StandardCharsets.US_ASCII))
                .putLong(json.length)
                .put(json);
        Files.write(FILE, wrap(payload.array()));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(FILE, DEVICE));
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
    }

    /** A file around {@code payload}: magic, version 1, flags 0, length, payload, SHA-256. */
    static byte[] wrap(byte[] payload) {
        ByteBuffer file = ByteBuffer.allocate(24 + payload.length + 32);
        file.put(MAGIC).putInt(1).putInt(0).putLong(payload.length).put(payload);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(file.array(), 0, 24 + payload.length);
            file.put(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return file.array();
    }
}
