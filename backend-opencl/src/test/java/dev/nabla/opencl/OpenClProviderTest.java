package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Availability;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.Backends;
import dev.nabla.backend.DType;
import org.junit.jupiter.api.Test;

/** Registration, availability and the OpenCL-specific behaviour of the backend: kernel builds, the allocator, out of memory. */
class OpenClProviderTest {

    @Test
    void theProviderIsRegisteredAsOpenclWithPriority200() {
        BackendProvider provider = Backends.provider("opencl");
        assertTrue(provider instanceof OpenClBackendProvider);
        assertEquals(200, provider.priority());
    }

    @Test
    void availabilityAnswersWithoutThrowingAndNamesTheDeviceOrTheReason() {
        Availability availability = new OpenClBackendProvider().availability();
        System.out.println("[opencl tests] " + availability);
        assertNotNull(availability.detail());
        assertFalse(availability.detail().isBlank());
    }

    @Test
    void automaticChoicePassesOverACpuDeviceButNotAGpu() {
        OpenClTestSupport.requireOpenCl(); // nothing to choose without a device; OpenClUnavailableTest covers that case
        OpenClBackendProvider provider = new OpenClBackendProvider();
        ClDeviceInfo device = OpenClBackendProvider.choose(0);
        String reason = provider.passOverReason();
        if ("CPU".equals(device.type())) { // PoCL, as in CI
            assertNotNull(reason, "a CPU device is passed over");
            assertTrue(reason.contains("is a CPU") && reason.contains(device.name()), reason);
        } else {
            assertEquals(null, reason, "a " + device.type() + " is taken");
        }
    }

    @Test
    void aBrokenKernelSourceReportsTheCompilerLog() {
        OpenClBackend backend = OpenClTestSupport.backend();
        String source = "__kernel void broken(__global float *x) { x[0] = no_such_variable; }";
        KernelBuildException e = assertThrows(
                KernelBuildException.class, () -> backend.programs().build("broken (test)", source, ""));
        assertTrue(e.buildLog().contains("no_such_variable"), e.buildLog());
        assertTrue(
                e.getMessage().contains("broken (test)") && e.getMessage().contains(backend.deviceName()),
                e.getMessage());
    }

    @Test
    void programsAreBuiltOncePerContextAndElementType() {
        OpenClBackend backend = OpenClTestSupport.backend();
        ClPrograms.Program first = backend.programs().program("elementwise", DType.FLOAT32);
        int builds = backend.programs().builds();
        assertSame(first, backend.programs().program("elementwise", DType.FLOAT32));
        assertSame(first.kernel("fill_contig"), first.kernel("fill_contig"));
        assertEquals(builds, backend.programs().builds());
    }

    @Test
    void theKernelSourcesShipInNablaKernels() {
        for (String name : ClPrograms.NAMES) {
            assertTrue(dev.nabla.kernels.KernelSources.openCl(name).contains("__kernel"), name);
        }
        assertTrue(dev.nabla.kernels.KernelSources.openCl("common").contains("unary_apply"));
    }
}
