package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link CublasCompat#prepare()} does on the host at hand, and, in a child JVM, the whole chain
 * JCublas2 → shim → a stand-in libcublas.so.13 built for the tests.
 */
class CublasCompatTest {
    private static final String FAKE_CUBLAS_13 = "/dev/nabla/cuda/fake/libcublas.so.13";

    @Test
    void onAHostWithoutAnyCuBlasItNamesTheReasonAndWhatToInstall() {
        CublasLocator host = CublasLocator.forThisHost();
        assumeTrue(
                host.configured().isEmpty()
                        && host.find("libcublas.so.12").isEmpty()
                        && host.find("libcublas.so.13").isEmpty(),
                "this host has a cuBLAS library");
        Optional<String> reason = CublasCompat.prepare();
        assertTrue(reason.isPresent(), "prepare() found no cuBLAS yet reported it usable");
        assertTrue(
                reason.get().contains("libcublas.so.13") && reason.get().contains(CublasCompat.LIBRARY_ENV),
                reason.get());
        assertEquals(reason, CublasCompat.prepare(), "a second call repeats the first outcome");
    }

    @Test
    void neverThrowsWhateverTheHost() {
        Optional<String> outcome = CublasCompat.prepare();
        assertEquals(outcome, CublasCompat.prepare());
    }

    @Test
    void jcublas2RunsOnCuda13CuBlasThroughTheShim(@TempDir Path directory) throws Exception {
        Path fake = directory.resolve("libcublas.so.13");
        try (InputStream in = CublasCompatTest.class.getResourceAsStream(FAKE_CUBLAS_13)) {
            assumeTrue(in != null, "the stand-in libcublas.so.13 was not built (no gcc at build time)");
            Files.copy(in, fake);
        }
        assumeTrue(CublasCompat.class.getResource(CublasCompat.SHIM_RESOURCE) != null, "the shim was not built");

        List<String> output = runProbe(fake);
        String all = String.join("\n", output);
        assertTrue(output.contains("prepare: ok"), all);
        assertTrue(all.contains("libcublas.so.12 forwards to libcublas.so.13 (already loaded)"), all);
        assertTrue(output.contains("create: 0"), all);
        assertTrue(output.contains("version: 0 130100"), all);
        // [1 2 3; 4 5 6] (2x3) times [1 0; 0 1; 1 1] (3x2) = [4 5; 10 11], column-major
        assertTrue(output.contains("sgemm: 0 [4.0, 10.0, 5.0, 11.0]"), all);
        assertTrue(output.contains("sgemm transposed: 0 [4.0, 5.0, 10.0, 11.0]"), all);
        // The stand-in lacks cublasSetMathMode: the shim's stub answers CUBLAS_STATUS_NOT_SUPPORTED.
        assertTrue(output.contains("setMathMode: 15"), all);
        assertTrue(output.contains("free: 0"), all);
        assertTrue(output.contains("destroy: 0"), all);
    }

    /** Runs {@link CublasShimProbe} in a child JVM so that the stand-in never enters this one. */
    private static List<String> runProbe(Path fake) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CublasShimProbe.class.getName(),
                        fake.toString())
                .redirectErrorStream(true);
        builder.environment().remove(CublasCompat.LIBRARY_ENV);
        builder.environment().put("NABLA_CUBLAS_SHIM_DEBUG", "1");
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        lines.addAll(text.lines().toList());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe did not finish");
        assertEquals(0, process.exitValue(), text);
        return lines;
    }
}
