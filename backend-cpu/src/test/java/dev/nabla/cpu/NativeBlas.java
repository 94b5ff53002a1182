package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need the native BLAS (Debian's {@code libopenblas0}): where it does not load, such a
 * test is skipped with the reason, printed, or, under {@code CI=true}, fails, since CI installs OpenBLAS
 * ({@code .ci/run}). Without it the CPU backend itself runs on its pure-Java GEMM.
 */
final class NativeBlas {
    private NativeBlas() {}

    /** The native BLAS kernel, or the calling test is skipped (failed in CI) with the reason it is missing. */
    static GemmKernel require() {
        GemmKernel blas = GemmKernels.blas();
        if (blas == null) {
            String why;
            try {
                BlasGemm.load();
                why = "it loads, but a 1×1 product through it failed";
            } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, …
                why = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            missing("no native BLAS (" + why + ")");
        }
        return blas;
    }

    /** Skips the calling test with {@code why} (printed), or fails it under CI=true, when {@code present} is false. */
    static void require(boolean present, String why) {
        if (!present) {
            missing(why);
        }
    }

    private static void missing(String why) {
        String reason = why + "; install OpenBLAS (apt-get install libopenblas0) to run this test";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("the native BLAS must be tested in CI (.ci/run installs libopenblas0): " + reason);
        }
        System.out.println("[native BLAS] test skipped: " + reason);
        Assumptions.abort(reason);
    }
}
