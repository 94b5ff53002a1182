package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded fit on the cpu backend (an MLP with tanh, ReLU and dropout; a small convolutional network) ends with the
 * same weights bit for bit however the JVM runs it: the first fit of a
 * JVM (its kernels interpreted, or compiled by C1) and its 40th (compiled by C2, with the Vector API's intrinsics), a
 * JVM that only interprets, and a JVM without the Vector API flag (the native loops instead of the vector kernels).
 * Before the vector kernels computed tanh and exp as the scalar loops do, the JIT changed their last bit, and two
 * seeded fits in one JVM could differ (the conformance kit's graph capture test saw it once on a busy machine).
 */
class ReproducibleFitTest {

    @Test
    void aSeededFitEndsWithTheSameWeightsWhateverTheJitHasDoneAndWithOrWithoutTheFlag() throws Exception {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no Vector API in this JVM");
        List<String> warm = run(40, "--add-modules", "jdk.incubator.vector");
        String first = warm.get(0).replace("first fit ", "");
        assertEquals("last fit " + first, warm.get(1), "the 40th fit in one JVM against its first");
        assertEquals(
                "first fit " + first,
                run(1, "--add-modules", "jdk.incubator.vector", "-Xint").get(0),
                "an interpreting JVM against the first fit");
        assertEquals("first fit " + first, run(1).get(0), "a JVM without the Vector API against one with it");
    }

    /** The two lines {@link SeededFitJob} prints after {@code fits} fits in a child JVM with these options. */
    private static List<String> run(int fits, String... options) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), SeededFitJob.class.getName(), String.valueOf(fits)));
        String what = "SeededFitJob " + fits + " with " + String.join(" ", options);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(300, TimeUnit.SECONDS), what + " finished");
            assertEquals(0, child.exitValue(), what + ": " + printed);
            List<String> lines = printed.lines()
                    .filter(l -> l.startsWith("first fit ") || l.startsWith("last fit "))
                    .toList();
            assertEquals(2, lines.size(), what + " printed its checksums:\n" + printed);
            return lines;
        } finally {
            child.destroyForcibly();
        }
    }
}
