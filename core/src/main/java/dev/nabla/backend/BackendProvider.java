package dev.nabla.backend;

/**
 * Registers a backend with {@link java.util.ServiceLoader}: a backend jar lists its provider in
 * {@code META-INF/services/dev.nabla.backend.BackendProvider}, and putting the jar on the class
 * path is all it takes.
 *
 * <p>Implementations must be cheap to construct and must never crash the JVM or hang in
 * {@link #availability()}: load native libraries defensively and turn every failure into an
 * {@link Availability#unavailable} reason.
 */
public interface BackendProvider {

    /** The name users select it by ("cpu", "cuda", "opencl"). */
    String name();

    /** Preference in automatic choice; higher wins (cuda 300, opencl 200, cpu 100); see also {@link #passOverReason()}. */
    int priority();

    /** Whether this machine can run the backend, and why not. Computed once and cached. */
    Availability availability();

    /**
     * Why automatic choice should pass over this backend although it is available, or null to
     * take it. A backend can run here and still be a poor default: the OpenCL backend on a
     * platform whose device is the CPU itself (PoCL) runs the same work several times slower than
     * the cpu backend. A backend passed over stays selectable by name, and is still chosen when no
     * other backend can run.
     */
    default String passOverReason() {
        return null;
    }

    /**
     * What automatic choice needs to know: whether the backend can run here and, if so, why it should be
     * passed over (null to take it). Automatic choice asks this, never {@link #availability()}, because
     * it must not load into this process a native driver that it will not use: a driver loaded only to be
     * passed over can still harm the JVM (PoCL's LLVM replaces the JVM's own signal handlers, which then
     * crash it at a later safepoint). A provider whose probe loads such a driver overrides this to probe
     * in a short-lived child process; the default asks {@link #availability()} and {@link #passOverReason()}.
     */
    default Candidacy candidacy() {
        Availability availability = availability();
        return new Candidacy(availability, availability.available() ? passOverReason() : null);
    }

    /**
     * The answer of {@link #candidacy()}.
     *
     * @param availability   whether the backend can run here, and why not
     * @param passOverReason why automatic choice should pass it over although it is available, or null
     */
    record Candidacy(Availability availability, String passOverReason) {}

    /**
     * Creates the backend on device {@code deviceIndex} (0 for the first).
     *
     * @throws BackendUnavailableException when it cannot run here, with the reason
     */
    Backend create(int deviceIndex);
}
