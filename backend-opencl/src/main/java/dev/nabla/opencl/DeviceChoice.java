package dev.nabla.opencl;

import dev.nabla.backend.BackendUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the device the backend runs on, from the usable devices discovery found.
 *
 * <ul>
 *   <li>{@code nabla.opencl.platform} / {@code NABLA_OPENCL_PLATFORM}: a platform index (0, 1, …)
 *       or a part of its name ("pocl", "nvidia"), case-insensitive; limits the choice to it.</li>
 *   <li>{@code nabla.device} / {@code NABLA_DEVICE} (or a device index other than 0 passed to
 *       {@code create}): the index among those devices, in the ICD loader's order.</li>
 *   <li>Otherwise: the GPU with the most compute units, else the device with the most compute
 *       units, first listed on ties.</li>
 * </ul>
 */
final class DeviceChoice {
    static final String PLATFORM_PROPERTY = "nabla.opencl.platform";
    static final String PLATFORM_ENVIRONMENT = "NABLA_OPENCL_PLATFORM";

    private DeviceChoice() {}

    /**
     * @param devices  usable devices in discovery order
     * @param platform the platform setting, or null
     * @param index    an explicit device index, or null to choose automatically
     */
    static ClDeviceInfo choose(List<ClDeviceInfo> devices, String platform, Integer index) {
        List<ClDeviceInfo> candidates = onPlatform(devices, platform);
        if (index != null) {
            if (index < 0 || index >= candidates.size()) {
                throw new BackendUnavailableException("OpenCL device index " + index
                        + " is out of range; expected 0 ≤ index < " + candidates.size() + " among " + list(candidates));
            }
            return candidates.get(index);
        }
        Comparator<ClDeviceInfo> byUnits = Comparator.comparingInt(ClDeviceInfo::computeUnits);
        // Stream.max keeps the first of equal elements (BinaryOperator.maxBy), so ties go to the first listed.
        return candidates.stream()
                .filter(ClDeviceInfo::isGpu)
                .max(byUnits)
                .orElseGet(() -> candidates.stream().max(byUnits).orElseThrow());
    }

    /** The devices of the platform the setting names (all when null); never empty. */
    static List<ClDeviceInfo> onPlatform(List<ClDeviceInfo> devices, String platform) {
        if (devices.isEmpty()) {
            throw new BackendUnavailableException("no usable OpenCL device");
        }
        if (platform == null || platform.isBlank()) {
            return devices;
        }
        String wanted = platform.trim();
        List<ClDeviceInfo> matching = new ArrayList<>();
        boolean numeric = wanted.length() <= 9 && wanted.chars().allMatch(Character::isDigit);
        for (ClDeviceInfo d : devices) {
            boolean match = numeric
                    ? d.platformIndex() == Integer.parseInt(wanted)
                    : d.platformName().toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT));
            if (match) {
                matching.add(d);
            }
        }
        if (matching.isEmpty()) {
            throw new BackendUnavailableException("OpenCL platform '" + wanted + "' (from " + PLATFORM_PROPERTY + "/"
                    + PLATFORM_ENVIRONMENT
                    + ") matches no usable device; expected a platform index or part of a name among "
                    + list(devices));
        }
        return matching;
    }

    static String list(List<ClDeviceInfo> devices) {
        List<String> names = new ArrayList<>();
        for (ClDeviceInfo d : devices) {
            names.add("platform " + d.platformIndex() + ": " + d.describe());
        }
        return String.join("; ", names);
    }
}
