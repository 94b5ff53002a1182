package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels give the same bits before and after the JIT compiles them: a JVM that only interprets
 * ({@code -Xint}: the Vector API's Java implementation, lane by lane) and one that has run the kernels long enough for
 * C2 to compile them with its intrinsics print the same checksums of every kernel's outputs
 * ({@link LaneKernelsDigest}). The Vector API's own TANH and EXP did not (interpreted they are {@code Math}'s,
 * compiled a vector math library's, 1 ulp apart for about 1 % of floats), nor did reduceLanes(ADD) on JDK 25, which
 * adds the lanes in another order compiled: the same seeded fit, run twice in one JVM, could end a few ulps apart
 * when the JIT compiled a kernel between the two.
 */
class LaneKernelsJitTest {

    @Test
    void interpretedAndCompiledVectorKernelsGiveTheSameBits() throws Exception {
        assumeTrue(LaneKernels.choose("vector") instanceof VectorLaneKernels, "no Vector API in this JVM");
        List<String> interpreted = digestsIn(0, "-Xint");
        List<String> compiled = digestsIn(300); // after 300 runs the JIT has compiled the kernels with its intrinsics
        assertEquals("implementation VectorLaneKernels", interpreted.get(0));
        assertEquals(interpreted, compiled);
    }

    /** The vector kernels' digests printed by a child JVM with these options, after running them {@code warmUp} times. */
    private static List<String> digestsIn(int warmUp, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector"));
        command.addAll(List.of(options));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                LaneKernelsDigest.class.getName(),
                "vector",
                String.valueOf(warmUp)));
        String what = "the child JVM " + String.join(" ", options) + " after " + warmUp + " runs";
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), what + " finished");
            assertEquals(0, child.exitValue(), what + ": " + printed);
            List<String> digests = printed.lines()
                    .filter(l -> l.startsWith(LaneKernelsDigest.PREFIX))
                    .map(l -> l.substring(LaneKernelsDigest.PREFIX.length()))
                    .toList();
            assertTrue(digests.size() > 5, what + " printed its digests:\n" + printed);
            return digests;
        } finally {
            child.destroyForcibly();
        }
    }
}
