package dev.nabla.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the GEMM kernel once per JVM and logs the choice (at debug level; a warning when only the
 * slow scalar kernel is left): a native BLAS when
 * {@code libblas.so.3} loads through netlib's JNI binding, else the Vector API kernel when
 * {@code jdk.incubator.vector} is in the boot layer, else plain Java. The system property
 * {@code nabla.cpu.gemm} = {@code blas}, {@code vector} or {@code java} forces one ({@code auto}
 * is the default); a forced kernel that cannot load falls back the same way, with a warning.
 */
final class GemmKernels {
    private static final Logger LOG = LoggerFactory.getLogger(GemmKernels.class);
    static final String PROPERTY = "nabla.cpu.gemm";
    /** Keeps netlib's java.util.logging logger (and the level set on it) alive. */
    private static final java.util.logging.Logger NETLIB_LOG =
            java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");

    private GemmKernels() {}

    private static final class Holder {
        static final GemmKernel SELECTED = select(System.getProperty(PROPERTY, "auto"));
    }

    /** The kernel of this JVM, chosen (and logged) on first use. */
    static GemmKernel selected() {
        return Holder.SELECTED;
    }

    static GemmKernel select(String wanted) {
        String choice = wanted.trim().toLowerCase(Locale.ROOT);
        GemmKernel kernel = switch (choice) {
            case "auto", "blas" -> firstOf(blas(), vector(), new ScalarGemm());
            case "vector" -> firstOf(vector(), new ScalarGemm());
            case "java", "scalar" -> new ScalarGemm();
            default -> {
                LOG.warn("{}={} is not one of auto, blas, vector, java; using auto", PROPERTY, wanted);
                yield firstOf(blas(), vector(), new ScalarGemm());
            }
        };
        boolean known = choice.equals("auto")
                || choice.equals("blas")
                || choice.equals("vector")
                || choice.equals("java")
                || choice.equals("scalar");
        if (known
                && !choice.equals("auto")
                && !kernel.description()
                        .toLowerCase(Locale.ROOT)
                        .contains(choice.equals("java") || choice.equals("scalar") ? "scalar" : choice)) {
            LOG.warn("{}={} is not available here; using {}", PROPERTY, wanted, kernel.description());
        }
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        String fastest = kernel instanceof BlasGemm ? fastestOpenBlasCoreType() : null;
        if (fastest != null && !fastest.equalsIgnoreCase(coreType)) {
            LOG.debug(
                    "cpu backend GEMM: {}; OPENBLAS_CORETYPE is {}, but {} selects OpenBLAS's fastest kernels on"
                            + " this CPU (an OpenBLAS older than the CPU may pick slower ones; the launchers set it)",
                    kernel.description(),
                    coreType == null ? "not set" : coreType,
                    fastest);
        } else if (kernel instanceof ScalarGemm && !choice.equals("java") && !choice.equals("scalar")) {
            LOG.warn(
                    "cpu backend GEMM: {}, 10-40x slower than a native BLAS; install OpenBLAS (Debian: apt-get install"
                            + " libopenblas0) or run with --add-modules jdk.incubator.vector",
                    kernel.description());
        } else {
            LOG.debug("cpu backend GEMM: {}", kernel.description());
        }
        return kernel;
    }

    /**
     * The {@code OPENBLAS_CORETYPE} whose kernels multiply fastest on this CPU, or null where OpenBLAS's
     * own choice stands (no AVX-512). The same rule as {@code nabla_openblas_coretype} in
     * samples/bin/nabla-openblas.sh, which sets it for the launchers and the bundle: the AVX-512 kernels
     * (SkylakeX), about twice the AVX2 ones where the FMA units are 512 bits wide, except on AMD's family 25
     * (Zen 4), which runs each AVX-512 instruction as two 256-bit halves and where the AVX2 kernels (Haswell)
     * are faster.
     */
    static String fastestOpenBlasCoreType() {
        try {
            return fastestOpenBlasCoreType(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final Pattern AVX512 = Pattern.compile("(?m)^flags\\s*:.* avx512f");
    private static final Pattern FAMILY_25 = Pattern.compile("(?m)^cpu family\\s*: 25$");

    /** {@link #fastestOpenBlasCoreType()} for the given text of /proc/cpuinfo. */
    static String fastestOpenBlasCoreType(String cpuinfo) {
        if (!AVX512.matcher(cpuinfo).find()) {
            return null;
        }
        boolean zen4 =
                cpuinfo.contains("AuthenticAMD") && FAMILY_25.matcher(cpuinfo).find();
        return zen4 ? "Haswell" : "SkylakeX";
    }

    private static GemmKernel firstOf(GemmKernel... candidates) {
        for (GemmKernel k : candidates) {
            if (k != null) {
                return k;
            }
        }
        throw new AssertionError("the scalar kernel is always available");
    }

    /** The native BLAS, or null (with the reason at debug level) when none loads. */
    static GemmKernel blas() {
        Level before = NETLIB_LOG.getLevel();
        NETLIB_LOG.setLevel(
                Level.OFF); // netlib warns about each Java fallback it cannot load; we report our own choice
        try {
            GemmKernel k = BlasGemm.load();
            // one tiny product, so a library that loads but cannot run is caught here
            float[] c = new float[1];
            k.sgemm(false, false, 1, 1, 1, new float[] {2}, 0, 1, new float[] {3}, 0, 1, c, 0, 1, false);
            if (c[0] != 6f) {
                throw new IllegalStateException("2 · 3 gave " + c[0]);
            }
            return k;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, …
            LOG.debug("no native BLAS: {}", e.toString());
            return null;
        } finally {
            NETLIB_LOG.setLevel(before);
        }
    }

    /** The Vector API kernel, or null when the incubator module is not in the boot layer. */
    static GemmKernel vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.debug("no Vector API: run with --add-modules jdk.incubator.vector to enable it");
            return null;
        }
        try {
            return (GemmKernel) Class.forName("dev.nabla.cpu.VectorGemm")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("no Vector API kernel: {}", e.toString());
            return null;
        }
    }
}
