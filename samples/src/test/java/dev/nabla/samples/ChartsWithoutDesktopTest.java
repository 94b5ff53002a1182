package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU bundle's Java runtime is jlink'ed without {@code java.desktop}, which charts need: a sample run on it does
 * all its other work (results, history, the saved model) and says once that it skipped its charts. Run here with the
 * JVM limited to the bundle's own module list, read from {@code samples/bin/nabla-bundle}.
 */
class ChartsWithoutDesktopTest {
    @TempDir
    Path out;

    @Test
    void aTrainingJobOnTheBundlesModulesSavesItsModelAndSkipsItsCharts() throws Exception {
        Result run = run(
                "nabla-train", "--model", "784-10:softmax", "--epochs", "1", "--verbose", "0", "--out", out.toString());
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("charts skipped: this Java runtime has no java.desktop module"), run.output);
        assertTrue(Files.exists(out.resolve("model.nabla")), "the model is saved: " + listing());
        assertFalse(listing().contains(".png"), listing());
    }

    @Test
    void aFieldSampleWritesItsDataAndSaysOnceThatItSkippedItsChart() throws Exception {
        Result run = run("nabla-minimize", "--epochs", "50", "--out", out.toString());
        assertEquals(0, run.exit, run.output);
        assertEquals(1, run.output.split("charts skipped", -1).length - 1, run.output);
        assertTrue(Files.exists(out.resolve("minimize.csv")), listing());
        assertFalse(listing().contains(".png"), listing());
    }

    private record Result(int exit, String output) {}

    private Result run(String launcher, String... args) throws Exception {
        ProcessBuilder builder = LaunchersTest.script(launcher, args).redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "--limit-modules " + bundleModules());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), launcher + " did not finish");
        return new Result(process.exitValue(), output);
    }

    /** The modules nabla-bundle links into its runtime. */
    static String bundleModules() throws IOException {
        String script = Files.readString(LaunchersTest.bin().resolve("nabla-bundle"));
        Matcher m = Pattern.compile("--add-modules (java\\.base[\\w.,]+)").matcher(script);
        assertTrue(m.find(), "nabla-bundle names its runtime's modules after --add-modules");
        assertFalse(m.group(1).contains("java.desktop"), "this test is about a runtime without java.desktop");
        return m.group(1);
    }

    private String listing() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.map(out::relativize)
                    .map(Path::toString)
                    .sorted()
                    .toList()
                    .toString();
        }
    }
}
