package dev.nabla.opencl;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendUnavailableException;
import dev.nabla.backend.Backends;

/**
 * Registers the OpenCL backend ("opencl", priority 200: after CUDA, before the CPU) with
 * {@link java.util.ServiceLoader}. Automatic choice passes it over when its device is a CPU
 * ({@link #passOverReason()}).
 *
 * <p>{@link #availability()} lists platforms and devices once per JVM and never throws or
 * crashes: without JOCL's native library, an ICD loader (libOpenCL.so.1), a platform, a device,
 * or a device of OpenCL 1.2 or newer, it answers unavailable with the reason. Device choice is
 * described in {@link DeviceChoice} ({@code nabla.opencl.platform}, {@code nabla.device}).
 *
 * <pre>{@code
 * BackendProvider opencl = Backends.provider("opencl");
 * System.out.println(opencl.availability()); // available: pthread-… (Portable Computing Language, CPU, …)
 * Backend backend = opencl.create(0);
 * }</pre>
 */
public final class OpenClBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Availability availability() {
        try {
            ClDiscovery.Result found = ClDiscovery.result();
            if (found.reason() != null) {
                return Availability.unavailable(found.reason());
            }
            ClDeviceInfo chosen = choose(0);
            String others = found.devices().size() > 1 ? " (of " + found.devices().size() + " devices)" : "";
            return Availability.available(chosen.describe() + others);
        } catch (BackendUnavailableException e) {
            return Availability.unavailable(e.getMessage());
        } catch (Throwable t) {
            return Availability.unavailable("OpenCL discovery failed: " + t);
        }
    }

    /**
     * Passed over by automatic choice when the device it would use is a CPU (as PoCL's is): there the
     * cpu backend runs the same work several times faster (the deep MLP's epoch, one run after the
     * other on a 2-core machine: 9.8 s on PoCL, 2.2 s on the cpu backend; docs/benchmarks.md).
     * {@code NABLA_BACKEND=opencl} still selects it.
     */
    @Override
    public String passOverReason() {
        if (!availability().available()) {
            return null;
        }
        try {
            ClDeviceInfo device = choose(Backends.defaultDevice());
            if ("CPU".equals(device.type())) {
                return "its device, " + device.name() + " (" + device.platformName() + "), is a CPU, where the cpu backend is faster"
                        + " (NABLA_BACKEND=opencl selects it anyway)";
            }
            return null;
        } catch (RuntimeException e) {
            return null; // create() will report it
        }
    }

    @Override
    public Backend create(int deviceIndex) {
        Availability availability = availability();
        if (!availability.available()) {
            throw new BackendUnavailableException("backend 'opencl' is unavailable: " + availability.detail());
        }
        ClDeviceInfo device = choose(deviceIndex);
        try {
            return new OpenClBackend(device);
        } catch (RuntimeException e) {
            throw new BackendUnavailableException("cannot open OpenCL device " + device.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The device for {@code deviceIndex}: explicit when nabla.device/NABLA_DEVICE is set or the index is not 0. */
    static ClDeviceInfo choose(int deviceIndex) {
        boolean explicit = deviceIndex != 0 || setting(Backends.DEVICE_PROPERTY, Backends.DEVICE_ENVIRONMENT) != null;
        return DeviceChoice.choose(ClDiscovery.result().devices(),
                setting(DeviceChoice.PLATFORM_PROPERTY, DeviceChoice.PLATFORM_ENVIRONMENT), explicit ? deviceIndex : null);
    }

    private static String setting(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
