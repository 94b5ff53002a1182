package dev.nabla.opencl;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendUnavailableException;
import dev.nabla.backend.Backends;
import dev.nabla.backend.SignalChaining;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Registers the OpenCL backend ("opencl", priority 200: after CUDA, before the CPU) with
 * {@link java.util.ServiceLoader}. Automatic choice passes it over when its device is a CPU
 * ({@link #passOverReason()}).
 *
 * <p>Automatic choice asks {@link #candidacy()}, which loads no OpenCL driver into this process: it
 * asks a child JVM ({@link ClProbe}). {@link #availability()}, asked when the backend is named or
 * created, lists platforms and devices in this process, once per JVM, and never throws: without
 * JOCL's native library, an ICD loader (libOpenCL.so.1), a platform, a device, or a device of OpenCL
 * 1.2 or newer, it answers unavailable with the reason. Once the driver is loaded, only signal
 * chaining keeps the JVM's signal handlers (see {@code docs/opencl.md}). Device choice is
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

    /** Whether OpenCL runs here, found in this process: loads the driver (see {@link #candidacy()}). */
    @Override
    public Availability availability() {
        warnWithoutSignalChaining();
        return availability(ClDiscovery.result());
    }

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Once per JVM, before the driver is loaded here: without libjsig the driver may take the JVM's signals. */
    private static void warnWithoutSignalChaining() {
        if (ClDiscovery.known() == null && !SignalChaining.active() && WARNED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(OpenClBackendProvider.class)
                    .warn(
                            "loading the OpenCL driver into a JVM without "
                                    + "signal chaining: a driver such as PoCL may replace the JVM's signal handlers and crash it; {}",
                            SignalChaining.advice());
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
        return passOverReason(ClDiscovery.result());
    }

    /**
     * For automatic choice, found without loading an OpenCL driver into this process: from the discovery
     * already made here when the backend was used, else by a child JVM ({@link ClProbe}), and without
     * either when no driver is registered.
     */
    @Override
    public Candidacy candidacy() {
        ClDiscovery.Result found = ClDiscovery.known();
        if (found == null) {
            found = ClProbe.result();
        }
        Availability availability = availability(found);
        return new Candidacy(availability, availability.available() ? passOverReason(found) : null);
    }

    private static Availability availability(ClDiscovery.Result found) {
        try {
            if (found.reason() != null) {
                return Availability.unavailable(found.reason());
            }
            ClDeviceInfo chosen = choose(found, 0);
            String others =
                    found.devices().size() > 1 ? " (of " + found.devices().size() + " devices)" : "";
            return Availability.available(chosen.describe() + others);
        } catch (BackendUnavailableException e) {
            return Availability.unavailable(e.getMessage());
        } catch (Throwable t) {
            return Availability.unavailable("OpenCL discovery failed: " + t);
        }
    }

    private static String passOverReason(ClDiscovery.Result found) {
        if (!availability(found).available()) {
            return null;
        }
        try {
            ClDeviceInfo device = choose(found, Backends.defaultDevice());
            if ("CPU".equals(device.type())) {
                return "its device, " + device.name() + " (" + device.platformName()
                        + "), is a CPU, where the cpu backend is faster" + " (NABLA_BACKEND=opencl selects it anyway)";
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
            throw new BackendUnavailableException(
                    "cannot open OpenCL device " + device.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The device for {@code deviceIndex}: explicit when nabla.device/NABLA_DEVICE is set or the index is not 0. */
    static ClDeviceInfo choose(int deviceIndex) {
        return choose(ClDiscovery.result(), deviceIndex);
    }

    private static ClDeviceInfo choose(ClDiscovery.Result found, int deviceIndex) {
        boolean explicit =
                deviceIndex != 0 || Backends.setting(Backends.DEVICE_PROPERTY, Backends.DEVICE_ENVIRONMENT) != null;
        return DeviceChoice.choose(
                found.devices(),
                Backends.setting(DeviceChoice.PLATFORM_PROPERTY, DeviceChoice.PLATFORM_ENVIRONMENT),
                explicit ? deviceIndex : null);
    }
}
