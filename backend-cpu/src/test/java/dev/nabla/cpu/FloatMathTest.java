package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link FloatMath} is the Java form of the native lane kernels' exp and tanh ({@code lane_kernels.c}): the constants
 * it declares for each C function are that function's, in the same order, so that a change to one cannot leave the
 * other behind. (That every kind of lane kernels gives the same bits, and how close they are to {@code Math.exp} and
 * {@code Math.tanh}, is {@link LaneKernelsTest}'s.)
 */
class FloatMathTest {
    private static final Path C = Path.of("src/main/native/lane-kernels/lane_kernels.c");
    private static final Path JAVA = Path.of("src/main/java/dev/nabla/cpu/FloatMath.java");

    @ParameterizedTest(name = "FloatMath has {0}''s constants")
    @CsvSource({"exp_float, float", "exp_clamped, double", "tanh_double, double"})
    void declaresEachNativeFunctionsConstants(String function, String type) throws IOException {
        List<String> native_ = constants(body(Files.readString(C), "static inline " + type + " " + function + "("));
        String java = Files.readString(JAVA);
        String begin = "// " + function + "'s constants", end = "// end of " + function + "'s constants";
        assertTrue(java.contains(begin) && java.contains(end), "FloatMath marks " + function + "'s constants");
        List<String> declared = constants(java.substring(java.indexOf(begin), java.indexOf(end)));
        assertTrue(native_.size() >= 5, function + " has its constants: " + native_);
        assertEquals(native_, declared, "FloatMath against " + function);
    }

    /** The text from a function's header to its closing brace, indented as the header is. */
    private static String body(String source, String header) {
        int start = source.indexOf(header);
        assertTrue(start >= 0, "no " + header);
        String indent = source.substring(source.lastIndexOf('\n', start) + 1, start);
        int end = source.indexOf("\n" + indent + "}", start);
        return source.substring(start, end);
    }

    /** Hexadecimal floats (their f suffix dropped) and the Taylor series' fractions, in order. */
    private static List<String> constants(String code) {
        Matcher m = Pattern.compile("0x[0-9a-fA-F]+(?:\\.[0-9a-fA-F]*)?p[-+]?\\d+|\\d+\\.0 / \\d+")
                .matcher(code);
        return m.results().map(r -> r.group()).toList();
    }
}
