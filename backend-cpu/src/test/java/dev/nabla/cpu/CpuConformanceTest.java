package dev.nabla.cpu;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import dev.nabla.conformance.BackendConformance;

/** The conformance kit on the CPU backend, which is the reference the other backends are held to. */
class CpuConformanceTest extends BackendConformance {

    @Override
    protected BackendProvider provider() {
        return new CpuBackendProvider();
    }

    /** The CPU is always there, so in CI the suite must run. */
    @Override
    protected boolean requiredInCi() {
        return true;
    }

    /** The provider shares one instance; an isolated one has its own pools. */
    @Override
    protected Backend secondBackend() {
        return CpuBackendProvider.createIsolated();
    }
}
