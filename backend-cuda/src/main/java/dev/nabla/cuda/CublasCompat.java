package dev.nabla.cuda;

import dev.nabla.backend.NativeLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes JCublas2's native library loadable on the host as it is. JCuda 12.6.0's JCublas natives
 * link {@code libcublas.so.12} with versioned symbols; a CUDA-13-only host has just
 * {@code libcublas.so.13}. Call {@link #prepare()} before the first use of any
 * {@code jcuda.jcublas} class.
 *
 * <p>What it does, first match wins:
 * <ol>
 *   <li>The library named by the system property {@value #LIBRARY_PROPERTY} or the environment
 *       variable {@value #LIBRARY_ENV}: a {@code libcublas.so.12} is loaded as it is, anything else
 *       is taken for CUDA 13's {@code libcublas.so.13} and used through the shim (below).</li>
 *   <li>A {@code libcublas.so.12} that the dynamic loader finds alone (ldconfig cache,
 *       {@code LD_LIBRARY_PATH}): nothing to do.</li>
 *   <li>A {@code libcublas.so.12} in a CUDA install directory: loaded, so that JCublas's
 *       dependency on it is met by the library already in the process.</li>
 *   <li>A {@code libcublas.so.13}: loaded, then the compatibility shim built with this module
 *       (resource {@value #SHIM_RESOURCE}) is extracted once into the native cache
 *       ({@link NativeLibraries}) and loaded. The shim has the SONAME
 *       {@code libcublas.so.12}, defines the symbol version JCublas asks for and forwards every
 *       function to cuBLAS 13, so the loader binds JCublas to it.</li>
 * </ol>
 *
 * <p>Example:
 * <pre>{@code
 * Optional<String> problem = CublasCompat.prepare();
 * if (problem.isPresent()) {
 *     return Availability.unavailable("cuBLAS: " + problem.get());
 * }
 * JCublas2.cublasCreate(handle); // safe now
 * }</pre>
 */
public final class CublasCompat {
    /** System property naming the cuBLAS library to use (a path to libcublas.so.12 or .13). */
    public static final String LIBRARY_PROPERTY = "nabla.cuda.cublas";
    /** Environment variable naming the cuBLAS library to use, when the property is not set. */
    public static final String LIBRARY_ENV = "NABLA_CUBLAS_LIBRARY";
    /** Class-path resource of the shim; absent when the build had no C compiler. */
    public static final String SHIM_RESOURCE = "/dev/nabla/cuda/native/linux-x86_64/libcublas.so.12";

    static final String CUBLAS_12 = "libcublas.so.12";
    static final String CUBLAS_13 = "libcublas.so.13";
    private static final String LEGACY_TEMPORARY_FOLDER = "nabla-cublas-";

    private static final Logger LOG = LoggerFactory.getLogger(CublasCompat.class);

    /** The outcome of the first call, repeated to every later one; null until then. */
    private static Optional<String> outcome;

    private CublasCompat() {}

    /**
     * Ensures cuBLAS can be used through JCublas2 in this process. The work is done once; later
     * calls return the first outcome.
     *
     * @return empty when cuBLAS is usable, else the reason it is not (for availability messages)
     */
    public static synchronized Optional<String> prepare() {
        if (outcome == null) {
            try {
                outcome = prepare(CublasLocator.forThisHost());
            } catch (RuntimeException | LinkageError e) {
                outcome = Optional.of("preparing cuBLAS failed: " + e);
            }
        }
        return outcome;
    }

    private static Optional<String> prepare(CublasLocator locator) {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.of("cuBLAS through JCublas is supported on Linux x86-64 only; this is " + os + "/" + arch);
        }
        Optional<CublasLocator.Configured> configured = locator.configured();
        if (configured.isPresent()) {
            return useConfigured(configured.get());
        }
        Optional<CublasLocator.Found> cublas12 = locator.find(CUBLAS_12);
        if (cublas12.isPresent()) {
            if (cublas12.get().loaderFindsIt()) {
                LOG.debug(
                        "cuBLAS 12 is on the loader's path ({}): JCublas links it directly",
                        cublas12.get().path());
                return Optional.empty();
            }
            return load(cublas12.get().path());
        }
        Optional<CublasLocator.Found> cublas13 = locator.find(CUBLAS_13);
        if (cublas13.isEmpty()) {
            return Optional.of("no " + CUBLAS_12 + " or " + CUBLAS_13 + " found; install CUDA 12 or 13's cuBLAS or set "
                    + LIBRARY_ENV + " (or -D" + LIBRARY_PROPERTY + ") to the library's path");
        }
        return forwardTo(cublas13.get().path());
    }

    private static Optional<String> useConfigured(CublasLocator.Configured configured) {
        if (!Files.isRegularFile(configured.path())) {
            return Optional.of(configured.source() + "=" + configured.path() + " names no file; expected the path of "
                    + CUBLAS_12 + " or " + CUBLAS_13);
        }
        if (CublasLocator.isCublas12(configured.path())) {
            return load(configured.path());
        }
        return forwardTo(configured.path());
    }

    /** Loads CUDA 13's cuBLAS, then the shim that presents it to JCublas as libcublas.so.12. */
    private static Optional<String> forwardTo(Path cublas13) {
        if (CublasCompat.class.getResource(SHIM_RESOURCE) == null) {
            return Optional.of("cuBLAS 12 not found and the CUDA 13 compatibility shim was not built (gcc missing at"
                    + " build time); " + CUBLAS_13 + " is at " + cublas13);
        }
        Optional<String> problem = load(cublas13);
        if (problem.isPresent()) {
            return problem;
        }
        Path shim;
        try {
            shim = extractShim();
        } catch (IOException e) {
            return Optional.of("could not extract the cuBLAS compatibility shim: " + e.getMessage());
        }
        problem = load(shim);
        if (problem.isEmpty()) {
            LOG.debug(
                    "cuBLAS 12 not found: JCublas runs on CUDA 13's cuBLAS ({}) through the compatibility shim",
                    cublas13);
        }
        return problem;
    }

    /** Extracts the shim once into the native cache; it keeps its file name, libcublas.so.12. */
    private static Path extractShim() throws IOException {
        // folders that versions before the native cache made per run, left by runs that were killed
        NativeLibraries.deleteStaleTemporaryCopies(LEGACY_TEMPORARY_FOLDER, Duration.ofMinutes(10));
        return NativeLibraries.extract(CublasCompat.class, SHIM_RESOURCE);
    }

    private static Optional<String> load(Path library) {
        try {
            System.load(library.toAbsolutePath().toString());
            LOG.debug("loaded {}", library);
            return Optional.empty();
        } catch (UnsatisfiedLinkError e) {
            return Optional.of("could not load " + library + ": " + e.getMessage());
        }
    }
}
