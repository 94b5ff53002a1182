package dev.nabla.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compare scripts' {@code in_turns} (samples/bench/turns.sh): two engines started together take turns through
 * two named pipes, and when one of them dies the other stops with one line and the script returns, instead of
 * waiting for ever. The engines here are small Python programs that take their turns with {@code take_turns.py},
 * the module the PyTorch benchmarks use.
 */
class TurnsScriptTest {
    private static final Path BENCH = Path.of("bench").toAbsolutePath();
    /** Far longer than a run of these engines; a script still running then is waiting for ever. */
    private static final long RETURNS_WITHIN_SECONDS = 60;

    private static final String ENGINE = """
            import argparse, sys
            sys.path.insert(0, sys.argv.pop(1))
            import take_turns
            ap = argparse.ArgumentParser()
            ap.add_argument("name")
            ap.add_argument("log")
            ap.add_argument("count", type=int, help="how many turns it takes")
            ap.add_argument("dies_in", type=int, help="the turn in which it dies (0: none)")
            take_turns.add_options(ap)
            a = ap.parse_args()
            turns = take_turns.from_options(a)
            for turn in range(1, a.count + 1):
                turns.begin()
                with open(a.log, "a") as log:
                    log.write(f"{a.name}{turn}\\n")
                if turn == a.dies_in:
                    sys.exit(3)
                turns.end(last=turn == a.count)
            """;

    @TempDir
    Path dir;

    @Test
    void twoEnginesAlternateTurnByTurnFirstEngineFirstAndTheScriptReturnsZero() throws Exception {
        Ended run = inTurns(engine("A", 3, 0), engine("B", 3, 0));

        assertEquals(0, run.status(), run.output());
        assertEquals(List.of("A1", "B1", "A2", "B2", "A3", "B3"), run.turns());
    }

    @Test
    void whenTheFirstEngineDiesTheOtherStopsWithOneLineAndTheScriptReturnsTheFailure() throws Exception {
        Ended run = inTurns(engine("A", 3, 2), engine("B", 3, 0));

        assertNotEquals(0, run.status(), run.output());
        assertEquals(List.of("A1", "B1", "A2"), run.turns());
        assertTrue(
                run.output().contains("--turns: the other engine stopped before passing the turn back"), run.output());
    }

    @Test
    void whenTheSecondEngineDiesTheFirstStopsWithOneLineAndTheScriptReturnsTheFailure() throws Exception {
        Ended run = inTurns(engine("A", 3, 0), engine("B", 3, 1));

        assertNotEquals(0, run.status(), run.output());
        assertEquals(List.of("A1", "B1"), run.turns());
        assertTrue(
                run.output().contains("--turns: the other engine stopped before passing the turn back"), run.output());
    }

    /** How a run of {@code in_turns} ended: its status, what both engines printed, and the turns in order. */
    private record Ended(int status, String output, List<String> turns) {}

    /** A command line for in_turns: the engine NAME, taking TURNS turns, dying in turn DIES_IN (0: never). */
    private String engine(String name, int turns, int diesIn) throws IOException {
        Path program = dir.resolve("engine.py");
        if (!Files.exists(program)) {
            Files.writeString(program, ENGINE);
        }
        return String.join(
                " ", "python3", program.toString(), BENCH.toString(), name, log().toString(), "" + turns, "" + diesIn);
    }

    private Path log() {
        return dir.resolve("turns.log");
    }

    private Ended inTurns(String first, String second) throws Exception {
        Process script = new ProcessBuilder(
                        "bash",
                        "-c",
                        ". \"$0/turns.sh\" && in_turns \"$1/pipe\" 1 " + first + " -- " + second,
                        BENCH.toString(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        if (!script.waitFor(RETURNS_WITHIN_SECONDS, TimeUnit.SECONDS)) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            fail("in_turns still running after " + RETURNS_WITHIN_SECONDS + " s: an engine is waiting for ever");
        }
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> turns = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
        return new Ended(script.exitValue(), output, turns);
    }
}
