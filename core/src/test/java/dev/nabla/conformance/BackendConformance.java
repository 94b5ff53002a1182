package dev.nabla.conformance;

import dev.nabla.backend.Availability;
import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendProvider;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The backend conformance kit: extend it in a backend module's tests and every check runs on
 * that backend against the plain FLOAT64 reference.
 *
 * <pre>{@code
 * class CpuConformanceTest extends BackendConformance {
 *     @Override protected BackendProvider provider() { return new CpuBackendProvider(); }
 * }
 * }</pre>
 *
 * <p>When the backend is unavailable the suite is skipped with the reason printed; when
 * {@link #requiredInCi()} and the environment variable {@code CI=true}, a skip is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformance {

    /** The provider of the backend under test. */
    protected abstract BackendProvider provider();

    /** Whether CI (CI=true) must run this suite rather than skip it. */
    protected boolean requiredInCi() {
        return false;
    }

    /** The backend under test, created once per test class. */
    protected Backend backend;

    @BeforeAll
    void createBackend() {
        BackendProvider provider = provider();
        Availability availability = provider.availability();
        System.out.println("[conformance] backend '" + provider.name() + "': " + availability);
        if (!availability.available()) {
            if (requiredInCi() && "true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("backend '" + provider.name() + "' must run in CI but is " + availability);
            }
            Assumptions.abort("backend '" + provider.name() + "' is " + availability);
        }
        backend = provider.create(0);
        System.out.println("[conformance] running on " + backend.deviceName());
    }
}
