package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** With OpenBLAS loaded, the backend runs it on one thread and splits products across its own pool. */
class BlasThreadsTest {

    @Test
    void openBlasIsSetToOneThreadAndProductsAreSplitByTheBackend() {
        GemmKernel blas = NativeBlas.require();
        assumeTrue(
                BlasThreads.class.getResource(BlasThreads.RESOURCE) != null
                        || "1".equals(System.getenv("OPENBLAS_NUM_THREADS")),
                "the BLAS thread control library was not built (no gcc at build time; install gcc and rebuild)");
        BlasThreads.Outcome outcome = BlasThreads.makeSingleThreaded();
        NativeBlas.require(!outcome.how().contains("is not OpenBLAS"), outcome.how()); // e.g. the reference BLAS
        assertTrue(outcome.singleThreaded(), outcome.how());
        if (Parallel.THREADS > 1) {
            assertTrue(
                    blas.description().contains("split over " + Parallel.THREADS + " Nabla threads"),
                    blas.description());
        }
    }

    @Test
    void askingForTheBlassOwnThreadsLeavesThemAlone() {
        assumeTrue(
                System.getenv("OPENBLAS_NUM_THREADS") == null && System.getenv("OMP_NUM_THREADS") == null,
                "the environment already fixes the BLAS's threads");
        String before = System.getProperty(BlasThreads.PROPERTY);
        System.setProperty(BlasThreads.PROPERTY, "blas");
        try {
            BlasThreads.Outcome outcome = BlasThreads.makeSingleThreaded();
            assertFalse(outcome.singleThreaded());
            assertEquals(BlasThreads.PROPERTY + "=blas", outcome.how());
        } finally {
            if (before == null) {
                System.clearProperty(BlasThreads.PROPERTY);
            } else {
                System.setProperty(BlasThreads.PROPERTY, before);
            }
        }
    }
}
