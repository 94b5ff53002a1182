package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.opencl.OpenClBackendProvider;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Through the tensor API: a tensor larger than the OpenCL device is a
 * {@link DeviceOutOfMemoryException}, nothing stays allocated, and the backend keeps computing.
 * (dev.nabla.opencl.OpenClMemoryTest checks the same at the SPI level, with a buffer just above
 * the device's largest allocation.) Skipped where OpenCL is unavailable, except under CI=true.
 */
class OpenClOutOfMemoryTest {
    @Test
    void aTensorLargerThanTheDeviceIsAnExceptionAndTheBackendKeepsComputing() {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        Availability availability = provider.availability();
        if (!availability.available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("OpenCL must run in CI but is " + availability);
            }
            Assumptions.abort("OpenCL is " + availability);
        }
        Backend device = provider.create(0);
        try {
            outOfMemoryThenCompute(device);
        } finally {
            device.close();
        }
    }

    private static void outOfMemoryThenCompute(Backend device) {
        long live = device.memoryStats().liveBuffers();
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                () -> Tensor.on(device).zeros(1 << 30, 1 << 10)); // 4 TiB of FLOAT32
        assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
        assertEquals(live, device.memoryStats().liveBuffers(), "nothing stays allocated");
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.on(device).of(new float[] {1, 2, 3, 4}, 2, 2);
            assertArrayEquals(new float[] {7, 10, 15, 22}, x.matmul(x).toFloatArray());
        }
        assertEquals(live, device.memoryStats().liveBuffers());
    }
}
