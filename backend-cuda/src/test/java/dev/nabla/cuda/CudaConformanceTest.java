package dev.nabla.cuda;

import dev.nabla.backend.BackendProvider;
import dev.nabla.conformance.BackendConformance;

/** The conformance kit on the CUDA backend; skipped, with the reason printed, where CUDA cannot run. */
class CudaConformanceTest extends BackendConformance {
    @Override
    protected BackendProvider provider() {
        return new CudaBackendProvider();
    }

    @Override
    protected boolean requiredInCi() {
        return false; // CI machines have no GPU
    }
}
