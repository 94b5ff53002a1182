package dev.nabla.reliability.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.data.Idx;
import dev.nabla.data.IdxArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes {@link Idx#read}: any bytes, plain or gzip, give either a consistent array or an
 * {@link IOException} naming the file — never another exception, a hang, or an allocation the
 * data cannot back. In a plain test run it replays the corpus in
 * {@code src/test/resources/dev/nabla/reliability/fuzz/IdxFuzzTestInputs/}; see docs/reliability.md
 * for a fuzzing session.
 */
class IdxFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void readsAnyBytesOrSaysWhatIsWrong(byte[] bytes) {
        IdxArray array;
        try {
            array = Idx.read(new ByteArrayInputStream(bytes), "fuzz.idx");
        } catch (IOException e) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().startsWith("fuzz.idx: "),
                    "the message names the file: " + e);
            return;
        }
        long elements = 1;
        for (int d : array.dims()) {
            assertTrue(d >= 0, "dimension " + d);
            elements *= d;
        }
        assertEquals(elements, array.size());
        assertEquals(elements * array.type().bytes(), array.rawBytes().length);
        assertEquals(array.size(), array.toFloatArray().length);
    }
}
