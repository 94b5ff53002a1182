package dev.nabla.backend;

/**
 * Whether a backend can run on this machine, and why not if it cannot.
 *
 * @param available whether {@link BackendProvider#create} can succeed
 * @param detail    when available, what it found (device, driver); otherwise the reason
 */
public record Availability(boolean available, String detail) {

    public static Availability available(String detail) {
        return new Availability(true, detail);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail;
    }
}
