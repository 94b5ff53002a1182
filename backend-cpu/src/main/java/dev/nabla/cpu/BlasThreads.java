package dev.nabla.cpu;

import dev.nabla.backend.NativeLibraries;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes the native BLAS single-threaded, so that large products are split across the backend's own
 * threads ({@link Parallel}) instead of the BLAS's.
 *
 * <p>Why: OpenBLAS's threads spin for a while after each product, and so do the backend's between
 * the kernels of a training step. With both pools on the same cores, each spins on a core the
 * other needs: on two cores the deep MLP's epoch took 2.7 s that way and 2.1–2.2 s with one pool
 * for everything (see docs/benchmarks.md).
 *
 * <p>How: OpenBLAS reads {@code OPENBLAS_NUM_THREADS} once, when loaded, and a JVM cannot set its
 * own environment; so a small JNI library built with the backend ({@code src/main/native/blas-threads})
 * calls {@code openblas_set_num_threads(1)} in the library that netlib loaded. When that library is
 * missing (built without gcc, another platform) or the BLAS is not OpenBLAS, the BLAS keeps its own
 * threads unless the environment already says one thread. {@code -Dnabla.cpu.blasThreads=blas} keeps
 * the BLAS's own threads on purpose (to compare). The library is extracted once into the native
 * cache ({@link NativeLibraries}), not into a temporary folder per run.
 */
final class BlasThreads {
    static final String PROPERTY = "nabla.cpu.blasThreads";
    static final String RESOURCE = "/dev/nabla/cpu/native/linux-x86_64/libnablablasthreads.so";
    private static final String LEGACY_TEMPORARY_FOLDER = "nabla-cpu-";

    private BlasThreads() {}

    /** The outcome: whether the BLAS now runs products on one thread, and how that came about. */
    record Outcome(boolean singleThreaded, String how) {}

    /** Asks the loaded BLAS (netlib's {@code libblas.so.3} or its configured library) for one thread. */
    static Outcome makeSingleThreaded() {
        if ("1".equals(System.getenv("OPENBLAS_NUM_THREADS")) || "1".equals(System.getenv("OMP_NUM_THREADS"))) {
            return new Outcome(true, "one BLAS thread by the environment");
        }
        if ("blas".equals(System.getProperty(PROPERTY))) {
            return new Outcome(false, PROPERTY + "=blas");
        }
        Optional<String> problem = loadLibrary();
        if (problem.isPresent()) {
            return new Outcome(false, problem.get());
        }
        String library = blasLibrary();
        int status = setThreads(library, 1);
        if (status == -1) {
            return new Outcome(false, library + " is not loaded");
        }
        if (status == -2) {
            return new Outcome(false, library + " is not OpenBLAS (no openblas_set_num_threads)");
        }
        int now = threads(library);
        return now == 1
                ? new Outcome(true, "OpenBLAS set to one thread")
                : new Outcome(false, "OpenBLAS kept " + now + " threads after openblas_set_num_threads(1)");
    }

    /** The library netlib opens: its {@code nativeLibPath} or {@code nativeLib} property, or {@code libblas.so.3}. */
    static String blasLibrary() {
        String path = System.getProperty("dev.ludovic.netlib.blas.nativeLibPath");
        return path != null ? path : System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3");
    }

    /**
     * Why the BLAS that netlib would open ({@link #blasLibrary()}) cannot be opened; empty when it
     * can, and then it is opened. Also empty when the thread control library is missing: then netlib
     * finds out itself.
     */
    static Optional<String> blasUnavailable() {
        if (loadLibrary().isPresent()) {
            return Optional.empty();
        }
        String library = blasLibrary();
        String why = open(library);
        return why == null ? Optional.empty() : Optional.of("cannot open " + library + ": " + why);
    }

    private static Optional<String> loaded; // guarded by the class lock

    private static synchronized Optional<String> loadLibrary() {
        if (loaded == null) {
            loaded = extractAndLoad();
        }
        return loaded;
    }

    private static Optional<String> extractAndLoad() {
        if (!System.getProperty("os.name", "").equals("Linux")
                || !System.getProperty("os.arch", "").equals("amd64")) {
            return Optional.of(
                    "no BLAS thread control on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        if (BlasThreads.class.getResource(RESOURCE) == null) {
            return Optional.of("the BLAS thread control library was not built (no gcc at build time)");
        }
        // folders that versions before the native cache made per run, left by runs that were killed
        NativeLibraries.deleteStaleTemporaryCopies(LEGACY_TEMPORARY_FOLDER, Duration.ofMinutes(10));
        try {
            // loaded here, not in core: the JVM binds native methods to the loading class's class loader
            System.load(NativeLibraries.extract(BlasThreads.class, RESOURCE).toString());
            return Optional.empty();
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return Optional.of("could not load the BLAS thread control library: " + e.getMessage());
        }
    }

    /** 0 when set; -1 when {@code library} is not loaded; -2 when it has no {@code openblas_set_num_threads}. */
    private static native int setThreads(String library, int threads);

    /** OpenBLAS's thread count; -1 or -2 as {@link #setThreads}. */
    private static native int threads(String library);

    /** Opens {@code library} for good; null when it opened, else the dynamic loader's reason. */
    private static native String open(String library);
}
