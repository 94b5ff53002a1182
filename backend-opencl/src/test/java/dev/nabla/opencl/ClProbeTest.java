package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.SignalChaining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic choice learns about OpenCL from a child JVM, so that a driver it passes over is never loaded
 * into the process that chose; what the child reports is what this process would have found.
 */
class ClProbeTest {
    private static final ClDeviceInfo ODD = new ClDeviceInfo(
            1,
            "Plat\tform \\ one",
            null,
            null,
            "dev\nice",
            "GPU",
            84,
            3,
            0,
            "OpenCL 3.0 CUDA",
            true,
            85_000_000_000L,
            21_000_000_000L,
            1024,
            49152);

    @Test
    void theChildFindsTheDevicesThisProcessFinds() {
        OpenClTestSupport.requireOpenCl();
        ClDiscovery.Result child = ClProbe.run();
        assertNull(child.reason(), String.valueOf(child.reason()));
        assertEquals(
                ClDiscovery.result().devices().stream()
                        .map(ClDeviceInfo::describe)
                        .toList(),
                child.devices().stream().map(ClDeviceInfo::describe).toList());
    }

    @Test
    void candidacyAgreesWithAvailabilityAndPassOverReason() {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        BackendProvider.Candidacy candidacy = provider.candidacy();
        assertEquals(provider.availability(), candidacy.availability());
        assertEquals(provider.passOverReason(), candidacy.passOverReason());
    }

    @Test
    void devicesProblemsAndReasonSurviveTheTripThroughText() {
        ClDiscovery.Result sent =
                new ClDiscovery.Result(List.of(ODD), List.of("an old\tdevice: OpenCL 1.1"), "none\\left");
        ClDiscovery.Result received = ClProbe.parse(ClProbe.format(sent));
        assertNotNull(received);
        assertEquals(sent, received);
    }

    @Test
    void whatADriverPrintsAroundTheAnswerIsIgnored() {
        ClDiscovery.Result sent = new ClDiscovery.Result(List.of(ODD), List.of(), null);
        String text = "pocl: warning: something\n" + ClProbe.format(sent).replace("end\n", "LLVM says hi\nend\n")
                + "after the end\n";
        assertEquals(sent, ClProbe.parse(text));
    }

    @Test
    void aChildThatDiedMidAnswerGaveNoAnswer() {
        String whole = ClProbe.format(new ClDiscovery.Result(List.of(ODD), List.of(), null));
        assertNull(ClProbe.parse(whole.substring(0, whole.indexOf("end"))), "no end line");
        assertNull(ClProbe.parse(""), "nothing printed");
        assertNull(ClProbe.parse(whole.replace("\t84\t", "\teighty-four\t")), "a damaged field");
    }

    @Test
    void noChildIsStartedWhereNoDriverIsRegistered(@TempDir Path vendors) throws IOException {
        String reason = ClProbe.noRegisteredDriver(vendors.toString(), null, "Linux");
        assertNotNull(reason);
        assertTrue(reason.contains("no OpenCL driver is registered") && reason.contains(vendors.toString()), reason);
        assertNotNull(ClProbe.noRegisteredDriver(vendors.resolve("missing").toString(), "", "Linux"));

        Files.writeString(vendors.resolve("pocl.icd"), "libpocl.so.2\n");
        assertNull(ClProbe.noRegisteredDriver(vendors.toString(), null, "Linux"), "an .icd file: ask the child");
        assertNull(ClProbe.noRegisteredDriver(vendors.resolve("pocl.icd").toString(), null, "Linux"), "a vendors file");
    }

    @Test
    void aDriverNamedOutsideTheVendorsFolderOrAnotherSystemIsAlwaysProbed(@TempDir Path empty) {
        assertNull(ClProbe.noRegisteredDriver(empty.toString(), "/opt/driver/libOpenCL-vendor.so", "Linux"));
        assertNull(ClProbe.noRegisteredDriver(empty.toString(), null, "Mac OS X"));
    }

    @Test
    void theTestJvmChainsSignalsAsTheLaunchersDo() {
        Assumptions.assumeTrue(
                Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "libjsig.so")),
                "this JDK has no libjsig.so");
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "not Linux");
        assertTrue(
                SignalChaining.active(),
                "Surefire preloads libjsig (profile signal-chaining), so the OpenCL tests "
                        + "that load PoCL cannot lose the JVM's signal handlers");
    }
}
