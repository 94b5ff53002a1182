package dev.nabla.opencl;

import dev.nabla.backend.BackendProvider;
import dev.nabla.conformance.BackendConformance;

/** The backend conformance kit on OpenCL (PoCL in CI, where a skip is a failure). */
class OpenClConformanceTest extends BackendConformance {
    @Override
    protected BackendProvider provider() {
        return new OpenClBackendProvider();
    }

    @Override
    protected boolean requiredInCi() {
        return true;
    }
}
