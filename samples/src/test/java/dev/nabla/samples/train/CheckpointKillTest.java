package dev.nabla.samples.train;

import static dev.nabla.samples.train.TrainCliTest.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.samples.TestJvm;
import dev.nabla.samples.cli.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training job killed at any write of its results resumes, and ends with the weights of a run never killed.
 * The kills are real: {@code strace} sends SIGKILL to the job's JVM at the N-th {@code rename} or {@code fsync}
 * (its fault injection), for every N that the job reaches; the job is then continued as a user would, with
 * {@code --resume} where a checkpoint exists and the same command where none does yet.
 *
 * <p>Needs {@code strace} (Debian's {@code strace}; another one with {@code -Dnabla.strace=PATH}): the two
 * kill tests are skipped, with the reason printed, where it is missing or cannot trace, and fail there
 * under {@code CI=true} ({@code .ci/run} installs it).
 */
class CheckpointKillTest {
    /** Two epochs of 2 batches: 7 renames and 15 fsyncs in an uninterrupted run. */
    static final String[] JOB = {
        "--backend",
        "cpu",
        "--model",
        "784-16:relu-10:softmax",
        "--samples",
        "256",
        "--seed",
        "3",
        "--epochs",
        "2",
        "--verbose",
        "0"
    };

    @TempDir
    static Path dir;

    static Path uninterrupted;

    @BeforeAll
    static void trainWithoutInterruption() {
        uninterrupted = dir.resolve("uninterrupted");
        assertEquals(ExitCode.OK, TrainCli.run(job(uninterrupted)));
    }

    /*
     * strace counts calls per thread ("per syscall and per tracee"), and the checkpoints are written on the
     * job's background writer thread: the main thread makes 5 of the 7 renames and 11 of the 15 fsyncs, and a
     * kill at n lands at the n-th call of whichever thread makes its n-th first. The writer's own write is
     * killed in its middle by aJobKilledDuringABackgroundCheckpointWriteKeepsThePreviousOne.
     */

    @Test
    void aJobKilledAtEveryRenameResumesToTheUninterruptedWeights() throws Exception {
        killAtEveryCall("rename", 5);
    }

    @Test
    void aJobKilledAtEveryFsyncResumesToTheUninterruptedWeights() throws Exception {
        killAtEveryCall("fsync", 11);
    }

    /**
     * The checkpoint of epoch 2 is written in the background: the job prints the epoch's line while the write is
     * held (a test-only pause after half the file, {@code -Dnabla.test.pauseWrite}), and is killed with SIGKILL
     * there. The checkpoint of epoch 1 is left whole and loadable, and the job resumes from it to the weights of
     * the uninterrupted run.
     */
    @Test
    void aJobKilledDuringABackgroundCheckpointWriteKeepsThePreviousOne() throws Exception {
        Path out = dir.resolve("background");
        String[] args = job(out);
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--verbose")) {
                args[i + 1] = "2";
            }
        }
        List<String> command = new ArrayList<>(List.of(
                TestJvm.java(),
                "-Dnabla.test.pauseWrite=" + Checkpoint.MODEL_FILE + "#2",
                "-cp",
                TestJvm.classPath(),
                TrainCli.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("Epoch 2/2")) {
                output.append(line).append('\n');
            }
            assertTrue(line != null, "the job printed epoch 2's line while its checkpoint was written:\n" + output);
            assertTrue(
                    line.matches("Epoch 2/2 - train \\d+\\.\\d\\ds - val \\d+\\.\\d\\ds - checkpoint \\d+\\.\\d\\ds "
                            + "\\(background\\) - loss: .* - checkpoint checkpoint\\.nabla"),
                    line);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (halfWritten(out) == null) { // the write is held after half the file
                assertTrue(process.isAlive() && System.nanoTime() < deadline, "no write held:\n" + output);
                Thread.sleep(20);
            }
            assertTrue(process.isAlive(), "the job waits for its checkpoint before it ends");
            process.destroyForcibly(); // SIGKILL, mid-write
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(128 + 9, process.exitValue(), "killed");
        assertTrue(halfWritten(out) != null, "the half-written temporary file is left beside the checkpoint");
        Checkpoint previous = Checkpoint.read(out, 1);
        assertEquals(1, previous.epochsDone(), "the checkpoint of epoch 1 is intact");
        previous.loadModel(out, dev.nabla.backend.Backends.get("cpu", 0)).close();
        assertEquals(ExitCode.OK, TrainCli.run("--resume", out.toString()));
        assertSameModel(uninterrupted.resolve(TrainJob.MODEL_FILE), out.resolve(TrainJob.MODEL_FILE));
        assertEquals(null, halfWritten(out), "the resumed job deleted the temporary file");
    }

    /** A temporary file of the checkpoint with bytes in it, or null. */
    private static Path halfWritten(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().startsWith("." + Checkpoint.MODEL_FILE + "."))
                    .filter(f -> f.getFileName().toString().endsWith(".tmp"))
                    .filter(f -> f.toFile().length() > 0)
                    .findFirst()
                    .orElse(null);
        }
    }

    @Test
    void twoJobsStartedTogetherInOneFolderNeverBothWrite() throws Exception {
        Path out = dir.resolve("shared");
        List<Process> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jobs.add(java(List.of(), job(out)).redirectErrorStream(true).start());
        }
        List<Integer> codes = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (Process job : jobs) {
            outputs.add(new String(job.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(job.waitFor(120, TimeUnit.SECONDS));
            codes.add(job.exitValue());
        }
        codes.sort(null);
        assertEquals(List.of(ExitCode.OK, ExitCode.BAD_ARGUMENTS), codes, String.join("\n---\n", outputs));
        String refused = outputs.get(jobs.get(0).exitValue() == ExitCode.OK ? 1 : 0);
        assertTrue(
                refused.contains("is in use by another nabla-train job")
                        || refused.contains("holds the checkpoint of an earlier run"),
                refused); // had the first one ended
        assertSameModel(uninterrupted.resolve(TrainJob.MODEL_FILE), out.resolve(TrainJob.MODEL_FILE));
    }

    /** Kills the job at the n-th {@code call} (of each thread), for every n. */
    private static void killAtEveryCall(String call, int calls) throws Exception {
        String strace = strace();
        int killed = 0;
        for (int n = 1; ; n++) {
            Path out = dir.resolve(call + "-" + n);
            List<String> prefix = List.of(
                    strace,
                    "-f",
                    "-qq",
                    "-o",
                    "/dev/null",
                    "-e",
                    "trace=" + call,
                    "-e",
                    "inject=" + call + ":signal=SIGKILL:when=" + n);
            Process process = java(prefix, job(out)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), call + " " + n + ": " + output);
            if (process.exitValue() == ExitCode.OK) {
                // at least the job's own calls (a first run may also extract a native library into the cache)
                assertTrue(
                        n - 1 >= calls, "the job makes " + calls + " " + call + " calls, killed at each: " + (n - 1));
                break;
            }
            killed++;
            assertTrue(
                    process.exitValue() == 128 + 9 || process.exitValue() == 9 + 256,
                    call + " " + n + ": killed, not failed: exit " + process.exitValue() + "\n" + output);
            int code = Checkpoint.existsIn(out) ? TrainCli.run("--resume", out.toString()) : TrainCli.run(job(out));
            assertEquals(ExitCode.OK, code, "the job killed at " + call + " " + n + " continues");
            assertSameModel(uninterrupted.resolve(TrainJob.MODEL_FILE), out.resolve(TrainJob.MODEL_FILE));
            try (Stream<Path> files = Files.list(out)) {
                List<String> left = files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".tmp"))
                        .toList();
                assertEquals(List.of(), left, "no temporary file left after the kill at " + call + " " + n);
            }
        }
        assertTrue(killed >= calls, killed + " kills");
    }

    private static String[] job(Path out) {
        return Stream.concat(Stream.of(JOB), Stream.of("--out", out.toString())).toArray(String[]::new);
    }

    /** {@code [prefix…] java -cp <tests> TrainCli args…}. */
    private static ProcessBuilder java(List<String> prefix, String[] args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(TestJvm.java(), "-cp", TestJvm.classPath(), TrainCli.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static String strace() throws IOException, InterruptedException {
        String configured = System.getProperty("nabla.strace");
        List<String> candidates = configured != null ? List.of(configured) : List.of("/usr/bin/strace", "/bin/strace");
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                Process probe = new ProcessBuilder(candidate, "-f", "-qq", "-o", "/dev/null", "true")
                        .redirectErrorStream(true)
                        .start();
                String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
                return unavailable("strace cannot trace here: " + output.strip());
            }
        }
        return unavailable("strace is not installed" + (configured != null ? " at " + configured : "")
                + " (apt-get install strace)");
    }

    private static String unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("the kill test must run in CI (.ci/run installs strace): " + why);
        }
        System.out.println("CheckpointKillTest skipped: " + why);
        Assumptions.abort(why);
        return null;
    }
}
