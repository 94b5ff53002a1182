package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.nn.Parameter;
import dev.nabla.tensor.TensorScope;
import dev.nabla.testing.LiveBuffers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@link BadInputs}: the bad call raises the row's exception type, its message names
 * the problem and the expectation, and nothing is left half-changed — the model's weights,
 * optimizer step count and gradients are as before, and no device buffer is left behind.
 *
 * <p>docs/errors.md is generated from the same table; {@link #theDocumentListsEveryRow} fails
 * when it is stale. Regenerate it with
 * {@code mvn -o -q -pl integration-tests -am test -Dtest=BadInputTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dnabla.errors.write=true}.
 */
class BadInputTableTest {
    private static final Path DOC = Path.of("..", "docs", "errors.md");
    private static final String LAUNCHERS_SECTION = "<!-- launchers: begin -->";
    /** The message each row raised, in table order, for the document. */
    private static final Map<BadInput, String> MESSAGES = new LinkedHashMap<>();

    static Stream<BadInput> rows() {
        return BadInputs.all().stream();
    }

    @Test
    void theTableHasAtLeastFortyRows() {
        assertTrue(BadInputs.all().size() >= 40, "rows: " + BadInputs.all().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aBadInputIsAClearExceptionAndChangesNothing(BadInput row) throws Exception {
        messageOf(row);
    }

    /** Runs the row on a fresh fixture, checks everything, and returns the message. */
    static String messageOf(BadInput row) throws Exception {
        long liveBefore = LiveBuffers.settled(Fixture.CPU);
        try (Fixture f = new Fixture()) {
            List<float[]> weights = f.model.getWeights();
            long steps = f.model.optimizer().iterations();
            Throwable thrown = null;
            try (TensorScope scope = TensorScope.open()) {
                row.call().run(f);
            } catch (Throwable t) {
                thrown = t;
            }
            assertNotNull(thrown, row + ": no exception");
            if (!row.type().isInstance(thrown)) {
                fail(row + ": expected " + row.type().getSimpleName() + ", got " + thrown, thrown);
            }
            String message = thrown.getMessage();
            assertNotNull(message, row + ": no message");
            for (String fragment : row.problemSays()) {
                assertTrue(
                        message.contains(fragment),
                        row + ": the message does not name the problem ('" + fragment + "'): " + message);
            }
            for (String fragment : row.expectationSays()) {
                assertTrue(
                        message.contains(fragment),
                        row + ": the message does not say what was expected ('" + fragment + "'): " + message);
            }
            if (!f.model.isClosed()) {
                List<float[]> after = f.model.getWeights();
                for (int i = 0; i < weights.size(); i++) {
                    assertArrayEquals(weights.get(i), after.get(i), row + ": weight " + i + " changed");
                }
                assertEquals(steps, f.model.optimizer().iterations(), row + ": the optimizer counted a step");
                for (Parameter p : f.model.weights()) {
                    assertNull(p.value().grad(), row + ": a gradient was left on " + p.name());
                }
            }
            f.close();
            assertEquals(liveBefore, Fixture.CPU.memoryStats().liveBuffers(), row + ": device buffers left behind");
            synchronized (MESSAGES) {
                MESSAGES.put(row, message);
            }
            return message;
        }
    }

    @Test
    void theDocumentListsEveryRow() throws Exception {
        StringBuilder doc = new StringBuilder(ErrorsDoc.HEADER);
        int n = 0;
        for (BadInput row : BadInputs.all()) {
            String message;
            synchronized (MESSAGES) {
                message = MESSAGES.get(row);
            }
            doc.append(ErrorsDoc.row(++n, row, message != null ? message : messageOf(row)));
        }
        doc.append(ErrorsDoc.FOOTER);
        String expected = doc.toString();
        // the launchers' section at the end is generated by the samples' BadInvocationTableTest: kept as it is
        String file = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        int launchers = file.indexOf(LAUNCHERS_SECTION);
        String ours = launchers < 0 ? file : file.substring(0, launchers - 1);
        String theirs = launchers < 0 ? "" : file.substring(launchers - 1);
        if (Boolean.getBoolean("nabla.errors.write")) {
            Files.writeString(DOC, expected + theirs, StandardCharsets.UTF_8);
            ours = expected;
        }
        assertEquals(
                expected,
                ours,
                "docs/errors.md is stale; regenerate it with -Dnabla.errors.write=true (see this class)");
    }
}
