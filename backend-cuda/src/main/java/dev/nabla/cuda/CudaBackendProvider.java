package dev.nabla.cuda;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.backend.BackendUnavailableException;

/**
 * The CUDA backend's provider: name "cuda", priority 300 (preferred over OpenCL and the CPU when
 * it can run). Registered in {@code META-INF/services/dev.nabla.backend.BackendProvider}.
 *
 * <pre>{@code
 * Availability a = new CudaBackendProvider().availability();
 * // available: NVIDIA H100 80GB HBM3 (compute capability 9.0), driver for CUDA 13.0
 * // or e.g. unavailable: no libcuda.so.1 (NVIDIA driver not installed)
 * }</pre>
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 300;
    }

    /** Never throws and never crashes the JVM: every failure to load or initialize CUDA becomes the reason. */
    @Override
    public Availability availability() {
        return CudaProbe.backend();
    }

    @Override
    public Backend create(int deviceIndex) {
        Availability availability = availability();
        if (!availability.available()) {
            throw new BackendUnavailableException("backend 'cuda' is unavailable: " + availability.detail());
        }
        return new CudaBackend(deviceIndex);
    }
}
