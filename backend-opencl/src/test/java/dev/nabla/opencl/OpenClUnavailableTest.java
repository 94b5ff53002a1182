package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without OpenCL the provider answers "unavailable, because …" and never crashes the JVM. */
class OpenClUnavailableTest {

    /** Prints the provider's availability; run in a child JVM with a hostile environment. */
    public static void main(String[] args) {
        System.out.println(new OpenClBackendProvider().availability());
    }

    @Test
    void withoutAnyDriverTheReasonIsNoPlatform() throws IOException, InterruptedException {
        Path noVendors = Files.createTempDirectory("no-opencl-vendors");
        ProcessBuilder child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OpenClUnavailableTest.class.getName()));
        child.environment().put("OCL_ICD_VENDORS", noVendors.toString()); // ocl-icd reads drivers from here only
        child.redirectErrorStream(true);
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        assertEquals(0, process.exitValue(), output);
        // with PoCL's ICD loader (ocl-icd) the reason is "no OpenCL platform"; other loaders may still find a driver
        assertTrue(output.contains("unavailable: no OpenCL platform") || output.startsWith("available"), output);
        Files.delete(noVendors);
    }

    @Test
    void aMissingIcdLoaderIsNamedAsSuch() {
        String reason = ClDiscovery.loadFailure(new UnsatisfiedLinkError(
                "Could not initialize native OpenCL library. Implementation library could not be loaded"));
        assertTrue(reason.startsWith("no OpenCL ICD loader: JOCL opens libOpenCL.so"), reason);
        String other =
                ClDiscovery.loadFailure(new UnsatisfiedLinkError("no JOCL_2_0_5-linux-riscv64 in java.library.path"));
        assertTrue(other.startsWith("JOCL's native library cannot be loaded"), other);
    }
}
