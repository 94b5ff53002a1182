package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.BackendUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which device the backend picks, on made-up device lists (no OpenCL needed). */
class DeviceChoiceTest {
    private static ClDeviceInfo device(int platform, String platformName, String name, String type, int units) {
        return new ClDeviceInfo(
                platform,
                platformName,
                null,
                null,
                name,
                type,
                units,
                1,
                2,
                "OpenCL 1.2",
                false,
                1L << 30,
                1L << 28,
                256,
                32768);
    }

    private static final ClDeviceInfo POCL = device(0, "Portable Computing Language", "pthread-cpu", "CPU", 64);
    private static final ClDeviceInfo SMALL_GPU = device(1, "NVIDIA CUDA", "small", "GPU", 20);
    private static final ClDeviceInfo BIG_GPU = device(1, "NVIDIA CUDA", "big", "GPU", 80);
    private static final ClDeviceInfo OTHER_BIG_GPU =
            device(2, "AMD Accelerated Parallel Processing", "gfx", "GPU", 80);
    private static final List<ClDeviceInfo> ALL = List.of(POCL, SMALL_GPU, BIG_GPU, OTHER_BIG_GPU);

    @Test
    void theGpuWithTheMostComputeUnitsWinsAndTiesGoToTheFirstListed() {
        assertEquals(BIG_GPU, DeviceChoice.choose(ALL, null, null));
    }

    @Test
    void withoutAGpuTheDeviceWithTheMostComputeUnitsWins() {
        ClDeviceInfo smallCpu = device(3, "Intel(R) OpenCL", "cpu", "CPU", 8);
        assertEquals(POCL, DeviceChoice.choose(List.of(smallCpu, POCL), null, null));
    }

    @Test
    void aPlatformIsChosenByIndexOrByPartOfItsName() {
        assertEquals(POCL, DeviceChoice.choose(ALL, "0", null));
        assertEquals(POCL, DeviceChoice.choose(ALL, "Portable", null));
        assertEquals(OTHER_BIG_GPU, DeviceChoice.choose(ALL, "amd", null));
        assertEquals(BIG_GPU, DeviceChoice.choose(ALL, "nvidia", null));
    }

    @Test
    void anExplicitDeviceIndexCountsWithinTheChosenPlatform() {
        assertEquals(SMALL_GPU, DeviceChoice.choose(ALL, "nvidia", 0));
        assertEquals(BIG_GPU, DeviceChoice.choose(ALL, "1", 1));
        assertEquals(POCL, DeviceChoice.choose(ALL, null, 0));
    }

    @Test
    void badChoicesSayWhatExists() {
        BackendUnavailableException noPlatform =
                assertThrows(BackendUnavailableException.class, () -> DeviceChoice.choose(ALL, "intel", null));
        assertTrue(noPlatform.getMessage().contains("nabla.opencl.platform"), noPlatform.getMessage());
        assertTrue(noPlatform.getMessage().contains("pthread-cpu"), noPlatform.getMessage());
        BackendUnavailableException badIndex =
                assertThrows(BackendUnavailableException.class, () -> DeviceChoice.choose(ALL, "nvidia", 2));
        assertTrue(badIndex.getMessage().contains("expected 0 ≤ index < 2"), badIndex.getMessage());
    }

    @Test
    void devicesOlderThanOpenCl12AreNotSupported() {
        ClDeviceInfo old = new ClDeviceInfo(0, "p", null, null, "old", "GPU", 4, 1, 1, "OpenCL 1.1", false, 1, 1, 1, 1);
        assertFalse(old.isSupportedVersion());
        assertTrue(POCL.isSupportedVersion());
    }
}
