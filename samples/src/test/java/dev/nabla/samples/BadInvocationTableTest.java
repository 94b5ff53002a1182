package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every launcher answers a bad command line (options, data, shapes, sizes, backends, files) with its documented
 * exit code and one line on standard error that names what was wrong and what was expected, and never with a
 * stack trace unless {@code --debug} asks for one. Each row of {@link BadInvocations} runs the real script in
 * samples/bin, as a user would, with this test's class path.
 *
 * <p>docs/errors.md's section on launchers is generated from the same rows; {@link #theDocumentListsEveryRow}
 * fails when it is stale. Regenerate it with
 * {@code mvn -o -q -pl samples -am test -Dtest=BadInvocationTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dnabla.errors.write=true}.
 */
class BadInvocationTableTest {
    static final Path DOC = Path.of("..", "docs", "errors.md");
    static final String BEGIN = "<!-- launchers: begin -->";
    static final String END = "<!-- launchers: end -->";
    /** Lines a stack trace is made of. */
    private static final Pattern TRACE = Pattern.compile("(?m)^(\\s+at [\\w$.]+\\(|Caused by: |Exception in thread )");

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {}

    @TempDir
    static Path dir;

    private static ExecutorService pool;
    private static final Map<BadInvocation, Future<Result>> RESULTS = new LinkedHashMap<>();

    static Stream<BadInvocation> rows() {
        return BadInvocations.all().stream();
    }

    /** Starts every row at once, two at a time: each is a JVM of its own. */
    @BeforeAll
    static void runEveryRow() throws IOException {
        BadInvocationFiles.create(dir);
        pool = Executors.newFixedThreadPool(2);
        for (BadInvocation row : BadInvocations.all()) {
            if (row.args().contains("cuda") && cudaWorksHere()) {
                continue;
            }
            RESULTS.put(row, pool.submit(() -> run(row, List.of())));
        }
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersWithItsExitCodeAndOneLineThatSaysWhatWasExpected(BadInvocation row) throws Exception {
        Assumptions.assumeTrue(RESULTS.containsKey(row), "CUDA works on this machine");
        Result result = RESULTS.get(row).get(5, TimeUnit.MINUTES);
        String all = result.out() + result.err();
        assertFalse(TRACE.matcher(all).find(), row + " printed a stack trace:\n" + all);
        List<String> lines = launcherLines(row, result.err());
        assertEquals(1, lines.size(), row + ": expected one line from the launcher on standard error, got:\n" + all);
        assertTrue(normalize(lines.get(0)).contains(row.says()), row + ": expected '" + row.says() + "' in\n" + all);
        assertEquals(row.exitCode(), result.exitCode(), row + ": exit code; output:\n" + all);
    }

    @Test
    void everyLauncherInSamplesBinHasRows() throws IOException {
        Set<String> launchers;
        try (Stream<Path> files = Files.list(LaunchersTest.bin())) {
            launchers = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("nabla-") && !n.endsWith(".sh") && !n.equals("nabla-bundle"))
                    // its main class is in the spark module (Spark is not on this class path): its bad
                    // invocations are tested there, by SparkTrainLauncherTest
                    .filter(n -> !n.equals("nabla-spark-train"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> covered =
                BadInvocations.all().stream().map(BadInvocation::launcher).collect(Collectors.toSet());
        launchers.removeAll(covered);
        assertEquals(Set.of(), launchers, "launchers without a bad-invocation row");
    }

    @Test
    void withDebugTheStackTraceIsPrintedToo() throws Exception {
        BadInvocation row = new BadInvocation(
                "nabla-main",
                "an unknown backend, with --debug",
                List.of("--backend", "tpu"),
                4,
                "unknown backend 'tpu'");
        Result result = run(row, List.of("--debug"));
        assertEquals(4, result.exitCode(), result.err());
        assertTrue(TRACE.matcher(result.err()).find(), "a stack trace with --debug:\n" + result.err());
    }

    @Test
    void theDocumentListsEveryRow() throws Exception {
        Assumptions.assumeTrue(
                RESULTS.size() == BadInvocations.all().size(),
                "some rows cannot run here (CUDA works), so their messages would differ");
        StringBuilder section = new StringBuilder(BEGIN).append('\n').append(HEADER);
        int n = 0;
        for (Map.Entry<BadInvocation, Future<Result>> e : RESULTS.entrySet()) {
            BadInvocation row = e.getKey();
            List<String> lines =
                    launcherLines(row, e.getValue().get(5, TimeUnit.MINUTES).err());
            String says = lines.isEmpty() ? "" : normalize(lines.get(0));
            section.append("| ")
                    .append(++n)
                    .append(" | `")
                    .append(row.launcher())
                    .append("` | ")
                    .append(cell(row.problem()))
                    .append(" | `")
                    .append(cell(row.commandLine()))
                    .append("` | ")
                    .append(row.exitCode())
                    .append(" | ")
                    .append(cell(says))
                    .append(" |\n");
        }
        section.append(END).append('\n');
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        String current = begin < 0 || end < 0 ? "" : doc.substring(begin, end + END.length() + 1);
        if (Boolean.getBoolean("nabla.errors.write")) {
            String updated = begin < 0 || end < 0
                    ? doc + "\n" + section
                    : doc.substring(0, begin) + section + doc.substring(end + END.length() + 1);
            Files.writeString(DOC, updated, StandardCharsets.UTF_8);
            current = section.toString();
        }
        assertEquals(
                section.toString(),
                current,
                "docs/errors.md's launcher section is stale; regenerate it with -Dnabla.errors.write=true (see this class)");
    }

    private static final String HEADER = """
            ## Launchers: what each says for a bad command line

            <!-- Generated by samples/src/test/java/dev/nabla/samples/BadInvocationTableTest.java from the table in
                 BadInvocations.java; do not edit by hand. Regenerate with:
                 mvn -o -q -pl samples -am test -Dtest=BadInvocationTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dnabla.errors.write=true -->

            Every launcher in `samples/bin` answers a mistake with one line on standard error, `<launcher>: <what
            was wrong and what was expected>`, and one of these exit codes, so that a script or a batch scheduler
            can act on it:

            | exit | meaning |
            |---|---|
            | 0 | finished; everything it was asked to write is written |
            | 1 | an unexpected failure (a bug) or out of memory; `--debug` prints the stack trace |
            | 2 | bad arguments: an unknown option, a value out of range, a network that cannot be built |
            | 3 | data or a file missing, unreadable or malformed (the line names the file, and where) |
            | 4 | the backend asked for is unknown or cannot run here (the line says why) |
            | 5 | training diverged (loss NaN or infinite); the last good checkpoint is kept |
            | 130, 143 | stopped by Ctrl-C or SIGTERM after the current batch, with a checkpoint |

            A stack trace is printed only with `--debug`, which every launcher takes. Each row below is a test
            (`BadInvocationTableTest`) that runs the script and checks the exit code, the one line, and that no
            stack trace was printed (`<tmp>` stands for the test's folder of broken data sets).

            | # | launcher | bad invocation | command | exit | says (standard error) |
            |---|---|---|---|---|---|
            """;

    /** The launcher's own lines on standard error (log lines, such as the backend chosen, are not its answer). */
    private static List<String> launcherLines(BadInvocation row, String err) {
        return err.lines().filter(l -> l.startsWith(row.launcher() + ": ")).toList();
    }

    private static Result run(BadInvocation row, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>();
        row.args().forEach(a -> args.add(a.replace("<tmp>", dir.toString())));
        args.addAll(extra);
        ProcessBuilder builder = LaunchersTest.script(row.launcher(), args.toArray(String[]::new));
        builder.environment().put("NABLA_BACKEND", "cpu"); // no OpenCL probe: these rows fail before any work
        builder.environment().putAll(row.env());
        builder.directory(dir.toFile()); // whatever a row writes by default lands in the test's folder
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(row + " did not finish in 180 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String normalize(String line) {
        // sysfs refuses a new file with EACCES, or EROFS where it is mounted read-only: the table shows the first
        return line.replace(dir.toString(), "<tmp>")
                .replace(
                        ": read-only file system (cannot write in /sys)", ": permission denied (cannot write in /sys)");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static boolean cudaWorksHere() {
        try {
            return Backends.provider("cuda").availability().available();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
