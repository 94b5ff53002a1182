package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM without {@code --add-modules jdk.incubator.vector} says once, in one log line, what runs the CPU
 * kernels instead (the native loops where they were built, else scalar loops), what that costs and which
 * flag changes it; a JVM with the flag says nothing of the kind. Each runs {@link #main} in a child JVM
 * (Surefire runs this one with the flag).
 */
class VectorApiNoticeTest {
    /** What only the notice says. */
    private static final String NOTICE = "run java with --add-modules jdk.incubator.vector to enable it";

    @Test
    void aJvmWithoutTheVectorApiIsToldOnceWithTheFlag() throws Exception {
        List<String> notices = notices(run());
        assertEquals(1, notices.size(), "one notice, however many backends and ops: " + notices);
        String line = notices.get(0);
        String resource = NativeLaneKernels.resourceHere();
        if (resource != null && NativeLaneKernels.class.getResource(resource) != null) {
            assertTrue(line.contains("run as native loops instead (up to 1.1x slower)"), line);
        } else {
            assertTrue(line.contains("run as scalar loops (tanh and exp about 15x slower"), line);
        }
    }

    @Test
    void aJvmWithTheVectorApiHearsNothingOfIt() throws Exception {
        assertEquals(List.of(), notices(run("--add-modules", "jdk.incubator.vector")));
    }

    private static List<String> notices(String output) {
        List<String> found = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.contains(NOTICE)) {
                found.add(line);
            }
        }
        return found;
    }

    private static String run(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorApiNoticeTest.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM ended");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("tanh ok"), output);
        return output;
    }

    /** Two CPU backends and a few elementwise ops: the notice must still come once. */
    public static void main(String[] args) {
        Backend shared = new CpuBackendProvider().create(0);
        try (Backend isolated = CpuBackendProvider.createIsolated()) {
            for (Backend backend : List.of(shared, isolated)) {
                try (Tensor x = Tensor.on(backend).of(new float[] {-1, 0, 1}, 3);
                        Tensor y = x.tanh();
                        Tensor z = y.exp().relu()) {
                    if (z.toFloatArray().length != 3) {
                        throw new AssertionError("3 values expected");
                    }
                }
            }
        }
        System.out.println("tanh ok");
    }
}
