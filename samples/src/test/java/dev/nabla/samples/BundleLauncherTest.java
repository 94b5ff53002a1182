package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jlink bundle's {@code bin/nabla} (written by {@code samples/bin/nabla-bundle}) starts the JVM as the launchers
 * do: with the Vector API, and with OpenBLAS's fastest kernels for this CPU unless the user chose others. Run here in a
 * bundle in miniature: the launcher as nabla-bundle writes it, the file it sources, and a {@code runtime/bin/java}
 * that prints what it was given.
 */
class BundleLauncherTest {
    @TempDir
    Path bundle;

    @Test
    void theBundlesLauncherAsksOpenBlasForTheLaunchersKernels() throws Exception {
        String output = runBundleLauncher(null);
        assertTrue(
                output.contains("args: --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector"), output);
        assertEquals("coretype: " + launchersCoreType(), line(output, "coretype: "), output);
    }

    @Test
    void aCoreTypeTheUserSetStands() throws Exception {
        assertEquals("coretype: Zen", line(runBundleLauncher("Zen"), "coretype: "));
    }

    /** Runs the bundle's bin/nabla with a fake java; OPENBLAS_CORETYPE preset to {@code coreType} unless null. */
    private String runBundleLauncher(String coreType) throws Exception {
        Path bin = Files.createDirectories(bundle.resolve("bin"));
        Files.writeString(bin.resolve("nabla"), launcherScript());
        Files.copy(LaunchersTest.bin().resolve("nabla-openblas.sh"), bin.resolve("nabla-openblas.sh"));
        Path java = Files.createDirectories(bundle.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"coretype: ${OPENBLAS_CORETYPE:-}\"\necho \"args: $*\"\n");
        assertTrue(java.toFile().setExecutable(true));
        ProcessBuilder builder = new ProcessBuilder("sh", bin.resolve("nabla").toString(), "dev.nabla.samples.Main")
                .redirectErrorStream(true);
        builder.environment().remove("OPENBLAS_CORETYPE");
        builder.environment().remove("JAVA_OPTS");
        if (coreType != null) {
            builder.environment().put("OPENBLAS_CORETYPE", coreType);
        }
        return run(builder);
    }

    /** What the launchers of samples/bin export on this machine (empty without AVX-512). */
    private static String launchersCoreType() throws Exception {
        String output = run(new ProcessBuilder(
                        "sh",
                        "-c",
                        ". \"$0\" && nabla_openblas_coretype",
                        LaunchersTest.bin()
                                .toAbsolutePath()
                                .resolve("nabla-openblas.sh")
                                .toString())
                .redirectErrorStream(true));
        return output.strip();
    }

    /** bin/nabla as nabla-bundle writes it: the here-document after {@code cat > "$stage/bin/nabla"}. */
    private static String launcherScript() throws IOException {
        String script = Files.readString(LaunchersTest.bin().resolve("nabla-bundle"));
        Matcher m = Pattern.compile("cat > \"\\$stage/bin/nabla\" <<'EOF'\\n(.*?)\\nEOF\\n", Pattern.DOTALL)
                .matcher(script);
        assertTrue(m.find(), "nabla-bundle writes bin/nabla from a here-document");
        return m.group(1) + "\n";
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no line " + prefix + ")");
    }
}
