package dev.nabla.reliability.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.data.Csv;
import dev.nabla.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fuzzes the three CSV loaders. The first input byte picks the loader, the header flag and the
 * label column; the rest is the file. Every input gives either a consistent data set, an
 * {@link IOException} naming the file, or (for a label column outside the rows) an
 * {@link IllegalArgumentException} saying so — never another exception.
 */
class CsvFuzzTest {
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("nabla-csv-fuzz-", ".csv");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void loadsAnyTextOrSaysWhatIsWrong(byte[] input) throws IOException {
        int flags = input.length == 0 ? 0 : input[0] & 0xFF;
        boolean header = (flags & 1) != 0;
        int labelColumn = ((flags >> 1) & 7) - 4; // −4 … 3
        int loader = (flags >> 4) % 3;
        Files.write(FILE, input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length));
        Dataset data;
        try {
            data = switch (loader) {
                case 0 -> Csv.load(FILE, header, labelColumn);
                case 1 -> Csv.loadNamedClasses(FILE, header, labelColumn).data();
                default -> Csv.loadRegression(FILE, header, labelColumn);
            };
        } catch (IOException e) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().contains(FILE.toString()),
                    "the message names the file: " + e);
            return;
        } catch (IllegalArgumentException e) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().startsWith("label column " + labelColumn),
                    "unexpected: " + e);
            return;
        }
        assertTrue(data.size() > 0);
        assertEquals(data.size() * data.featureSize(), data.features().length);
        assertEquals(data.size() * data.targetSize(), data.targets().length);
    }
}
