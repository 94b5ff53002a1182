package dev.nabla.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader} and chooses one. First match wins: a name set with
 * {@link #use}, the system property {@code nabla.backend}, the environment variable
 * {@code NABLA_BACKEND}, else the available provider of highest priority (cuda, opencl, cpu) that
 * does not ask to be passed over (the OpenCL backend on a CPU device does: the cpu backend is faster there).
 * The device index comes from {@code nabla.device} / {@code NABLA_DEVICE} (default 0).
 *
 * <p>Backends are created once per (name, device) and shared.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    public static final String PROPERTY = "nabla.backend";
    public static final String ENVIRONMENT = "NABLA_BACKEND";
    public static final String DEVICE_PROPERTY = "nabla.device";
    public static final String DEVICE_ENVIRONMENT = "NABLA_DEVICE";

    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;
    private static volatile Backend current;
    private static volatile String chosenName;

    private Backends() {}

    /** Every provider on the class path, best first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = providers;
        if (list == null) {
            synchronized (Backends.class) {
                if (providers == null) {
                    List<BackendProvider> found = new ArrayList<>();
                    ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())
                            .forEach(found::add);
                    found.sort(
                            Comparator.comparingInt(BackendProvider::priority).reversed());
                    providers = List.copyOf(found);
                }
                list = providers;
            }
        }
        return list;
    }

    /** The provider called {@code name}, or an exception listing the names that exist. */
    public static BackendProvider provider(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (BackendProvider provider : providers()) {
            if (provider.name().equals(wanted)) {
                return provider;
            }
        }
        throw new BackendUnavailableException("unknown backend '" + name + "': expected one of "
                + providers().stream().map(BackendProvider::name).collect(Collectors.toList())
                + " (a backend is found when its jar, e.g. nabla-backend-" + wanted + ", is on the class path)");
    }

    /**
     * Makes {@code name} the default backend from now on (on device {@code nabla.device}).
     *
     * @throws BackendUnavailableException naming the reason if it cannot run here
     */
    public static Backend use(String name) {
        Backend backend = get(name, defaultDevice());
        current = backend;
        chosenName = backend.name();
        return backend;
    }

    /** Makes an existing backend instance the default. */
    public static void use(Backend backend) {
        current = backend;
        chosenName = backend.name();
    }

    /** The backend {@code name} on device {@code device}, created on first use. */
    public static Backend get(String name, int device) {
        BackendProvider provider = provider(name);
        Availability availability = provider.availability();
        if (!availability.available()) {
            throw new BackendUnavailableException(
                    "backend '" + provider.name() + "' is unavailable: " + availability.detail());
        }
        return CREATED.computeIfAbsent(provider.name() + ":" + device, key -> provider.create(device));
    }

    /** The default backend, chosen on first call as the class comment says. */
    public static Backend current() {
        Backend backend = current;
        if (backend == null) {
            synchronized (Backends.class) {
                if (current == null) {
                    current = choose();
                }
                backend = current;
            }
        }
        return backend;
    }

    private static Backend choose() {
        String named = setting(PROPERTY, ENVIRONMENT);
        if (named != null) {
            Backend backend = get(named, defaultDevice());
            chosenName = backend.name();
            LOG.info(
                    "Nabla backend: {} on {} (requested by {})",
                    backend.name(),
                    backend.deviceName(),
                    System.getProperty(PROPERTY) != null ? "-D" + PROPERTY : ENVIRONMENT);
            return backend;
        }
        Choice choice = choose(providers());
        Backend backend = get(choice.provider().name(), defaultDevice());
        chosenName = backend.name();
        LOG.info(
                "Nabla backend: {} on {} (best available{})",
                backend.name(),
                backend.deviceName(),
                choice.passedOver().isEmpty() ? "" : "; passed over " + String.join("; ", choice.passedOver()));
        return backend;
    }

    /** An automatic choice: the provider taken, and why each better one was passed over. */
    record Choice(BackendProvider provider, List<String> passedOver) {}

    /**
     * The automatic choice among {@code candidates}, best first: the first available one that does
     * not ask to be passed over ({@link BackendProvider#candidacy()}); when every available one
     * asks, the best of those.
     *
     * @throws BackendUnavailableException with every reason when none is available
     */
    static Choice choose(List<BackendProvider> candidates) {
        List<String> passedOver = new ArrayList<>();
        BackendProvider fallback = null;
        for (BackendProvider provider : candidates) {
            BackendProvider.Candidacy candidacy = provider.candidacy();
            Availability availability = candidacy.availability();
            if (!availability.available()) {
                passedOver.add(provider.name() + ": " + availability.detail());
                continue;
            }
            String reason = candidacy.passOverReason();
            if (reason == null) {
                return new Choice(provider, List.copyOf(passedOver));
            }
            passedOver.add(provider.name() + ": " + reason);
            if (fallback == null) {
                fallback = provider;
            }
        }
        if (fallback != null) {
            return new Choice(fallback, List.copyOf(passedOver));
        }
        throw new BackendUnavailableException("no Nabla backend can run here: "
                + (passedOver.isEmpty()
                        ? "none is on the class path (add nabla-backend-cpu)"
                        : String.join("; ", passedOver)));
    }

    /** The device index from {@code nabla.device} / {@code NABLA_DEVICE}, default 0. */
    public static int defaultDevice() {
        String value = setting(DEVICE_PROPERTY, DEVICE_ENVIRONMENT);
        if (value == null) {
            return 0;
        }
        try {
            int device = Integer.parseInt(value.trim());
            if (device < 0) {
                throw new NumberFormatException();
            }
            return device;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device index '" + value + "' (from " + DEVICE_PROPERTY + "/"
                    + DEVICE_ENVIRONMENT + ") is not a non-negative integer");
        }
    }

    /**
     * A setting as Nabla reads each one: the system property if set, else the environment variable; trimmed,
     * null when neither is set or both are blank. Backends read their own settings (a platform, a device) with it.
     */
    public static String setting(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Name of the default backend if one has been chosen, else null. For diagnostics. */
    public static String chosenName() {
        return chosenName;
    }
}
