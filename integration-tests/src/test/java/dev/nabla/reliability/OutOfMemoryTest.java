package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A tensor larger than the device can hold is a {@link DeviceOutOfMemoryException} with the size
 * asked for, thrown before anything is allocated, and the backend stays usable: the same model
 * trains on it afterwards. (backend-opencl's OpenClMemoryTest checks the same on OpenCL devices.)
 */
class OutOfMemoryTest {
    @Test
    void aTensorLargerThanTheDeviceIsAnExceptionAndTheBackendStaysUsable() {
        Backend device = CpuBackendProvider.createIsolated();
        try {
            long live = device.memoryStats().liveBuffers();
            DeviceOutOfMemoryException e = assertThrows(
                    DeviceOutOfMemoryException.class,
                    () -> Tensor.on(device).zeros(Integer.MAX_VALUE)); // the largest tensor: 8 GiB of FLOAT32
            String digits = e.getMessage()
                    .replaceAll("(?<=\\d)[,.\\s\u00a0\u202f](?=\\d)", ""); // "8,589,934,592" in any locale
            assertTrue(
                    e.getMessage().contains("out of memory") && digits.contains("asked for 8589934592 bytes"),
                    e.getMessage());
            assertEquals(live, device.memoryStats().liveBuffers(), "nothing allocated");
            try (Sequential model = Fixture.healthyClassifier();
                    Tensor x = Tensor.on(device).ones(3, 4)) {
                model.backend(device);
                model.fit(Fixture.blobs(12, 1), new FitOptions().batchSize(4).verbose(0));
                try (Tensor y = model.predict(x)) {
                    assertEquals(3, y.shape(0));
                }
            }
        } finally {
            device.close();
        }
    }
}
