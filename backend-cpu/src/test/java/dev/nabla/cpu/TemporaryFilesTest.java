package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.Backends;
import dev.nabla.backend.NativeLibraries;
import dev.nabla.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the CPU backend leaves nothing in the temporary directory, however it ends: its JNI
 * libraries (the BLAS thread control; the lane kernels, which a child JVM without the Vector API loads)
 * live once in the native cache, and netlib's copy of its JNI library is
 * deleted as soon as it is loaded. Each run is a child JVM killed with SIGKILL, so no shutdown hook
 * and no {@code deleteOnExit} runs.
 */
class TemporaryFilesTest {
    private static final int RUNS = 3;
    private static final String THREAD_CONTROL = "/dev/nabla/cpu/native/linux-x86_64/libnablablasthreads.so";

    /** Whether this build holds the thread control library (it needs gcc; the lane kernels come with it). */
    private static boolean threadControlBuilt() {
        return TemporaryFilesTest.class.getResource(THREAD_CONTROL) != null
                && System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void killedRunsLeaveNothingInTheTemporaryDirectoryAndOneCopyInTheCache(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        for (int run = 1; run <= RUNS; run++) {
            String printed = runAndKill(tmp, cache);
            assertEquals(
                    List.of(),
                    names(tmp),
                    "temporary directory after killed run " + run + ", which printed:\n" + printed);
        }
        assertEquals(
                threadControlBuilt() ? List.of("libnablablasthreads.so", "libnablalanes.so") : List.of(),
                names(cache),
                "the cache after " + RUNS + " runs");
    }

    @Test
    void copiesThatEarlierKilledRunsLeftAreRemovedAtTheNextStart(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Path netlibCopy = Files.write(tmp.resolve("libnetlibblasjni.so5021785634"), new byte[16]);
        Path oldFolder = Files.createDirectory(tmp.resolve("nabla-cpu-8190334512"));
        Files.write(oldFolder.resolve("libnablablasthreads.so"), new byte[16]);
        Path unrelated = Files.write(tmp.resolve("notes.txt"), new byte[16]);
        for (Path p : List.of(netlibCopy, oldFolder, unrelated)) {
            Files.setLastModifiedTime(p, hourAgo);
        }

        String printed = runAndKill(tmp, dir.resolve("cache"));
        List<String> expected = threadControlBuilt()
                ? List.of("notes.txt") // older versions' folders go with the library
                : List.of("nabla-cpu-8190334512", "nabla-cpu-8190334512/libnablablasthreads.so", "notes.txt");
        assertEquals(expected, names(tmp), "the run printed:\n" + printed);
    }

    @Test
    void netlibsCopyOfItsLibraryIsDeletedAsSoonAsItIsLoaded() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "Linux only");
        try (Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).to(Backends.get("cpu", 0));
                Tensor product = a.matmul(a)) {
            assertEquals(7f, product.toFloatArray()[0]);
        }
        List<String> netlib = Files.readAllLines(maps).stream()
                .filter(l -> l.contains("libnetlibblasjni.so"))
                .toList();
        NativeBlas.require(!netlib.isEmpty(), "netlib's native BLAS is not loaded here");
        assertTrue(netlib.stream().allMatch(l -> l.endsWith(" (deleted)")), String.join("\n", netlib));
    }

    /** Starts {@link NativeLibrariesJob} in a child JVM, kills it once its natives are loaded, returns what it printed. */
    private static String runAndKill(Path tmp, Path cache) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(
                        java.toString(),
                        "-Djava.io.tmpdir=" + tmp,
                        "-D" + NativeLibraries.CACHE_PROPERTY + "=" + cache,
                        "-cp",
                        System.getProperty("java.class.path"),
                        NativeLibrariesJob.class.getName())
                .redirectErrorStream(true)
                .start();
        StringBuilder printed = new StringBuilder();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                printed.append(line).append('\n');
            }
            assertEquals("ready", line, "the job loaded its natives; it printed:\n" + printed);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        return printed.toString();
    }

    /** The paths under {@code folder}, relative to it, without the hash folders of the cache. */
    private static List<String> names(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(p ->
                            !p.equals(folder) && !p.getFileName().toString().matches("[0-9a-f]{16}"))
                    .map(p -> folder.relativize(p).toString().replaceFirst("^[0-9a-f]{16}/", ""))
                    .sorted()
                    .toList();
        }
    }
}
