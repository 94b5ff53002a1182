package dev.nabla.cpu;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendUnavailableException;

/** Registers the CPU backend: always available, one device. */
public final class CpuBackendProvider implements BackendProvider {
    private static volatile CpuBackend shared;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return Availability.available(Runtime.getRuntime().availableProcessors() + " cores");
    }

    /** The CPU has one device, 0; every call returns the same backend. */
    @Override
    public Backend create(int deviceIndex) {
        if (deviceIndex != 0) {
            throw new BackendUnavailableException("the cpu backend has one device, 0; asked for device " + deviceIndex);
        }
        CpuBackend backend = shared;
        if (backend == null) {
            synchronized (CpuBackendProvider.class) {
                if (shared == null) {
                    shared = new CpuBackend();
                }
                backend = shared;
            }
        }
        return backend;
    }

    /** A separate CPU backend instance (its own pools), e.g. to test that two backends are not mixed. */
    public static Backend createIsolated() {
        return new CpuBackend();
    }
}
