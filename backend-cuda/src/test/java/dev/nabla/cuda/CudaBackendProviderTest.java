package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Availability;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendUnavailableException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider answers on every machine, GPU or not, and never throws from availability(). */
class CudaBackendProviderTest {

    @Test
    void isFoundByTheServiceLoaderAsCudaWithPriority300() {
        BackendProvider found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof CudaBackendProvider)
                .findFirst()
                .orElseThrow(() -> new AssertionError("CudaBackendProvider is not registered"));
        assertEquals("cuda", found.name());
        assertEquals(300, found.priority());
    }

    @Test
    void availabilityNeverThrowsAndAlwaysSaysWhy() {
        Availability availability = new CudaBackendProvider().availability();
        System.out.println("[cuda] " + availability);
        assertFalse(
                availability.detail() == null || availability.detail().isBlank(),
                "availability must name the device or the reason: " + availability);
        assertEquals(availability, new CudaBackendProvider().availability(), "computed once and cached");
    }

    @Test
    void creatingAnUnavailableBackendThrowsTheReason() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Availability availability = provider.availability();
        if (availability.available()) {
            return; // a GPU machine: CudaBackendGpuTest covers it
        }
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> provider.create(0));
        assertTrue(e.getMessage().contains(availability.detail()), e.getMessage());
    }

    @Test
    void loadFailuresBecomeReadableReasons() {
        assertEquals(
                "no libcuda.so.1 (NVIDIA driver not installed)",
                CudaProbe.describeLoadFailure(new UnsatisfiedLinkError(
                        "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                                + "libcuda.so.1: cannot open shared object file: No such file or directory")));
        assertTrue(CudaProbe.describeLoadFailure(new UnsatisfiedLinkError("something else"))
                .contains("something else"));
        assertEquals("13.0", CudaProbe.cudaVersion(13000));
        assertEquals("12.4", CudaProbe.cudaVersion(12040));
    }
}
