package dev.nabla.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.samples.Captured;
import dev.nabla.samples.cli.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FitBenchmark's --turns: two engines' runs alternate, epoch by epoch or every N steps, through two named pipes. */
class TurnsTest {
    /** How long the other engine keeps each of its turns: far longer than an epoch of the tiny network here. */
    private static final long HELD_MILLIS = 800;

    @TempDir
    Path dir;

    @Test
    void eachEpochAndTheEvaluationAfterTheLastIsOneTurnAndTheOtherEnginesTurnsAreNotTimed() throws Exception {
        Taken taken = takeTurns();

        assertEquals(4, taken.turns(), "three epochs and the evaluation after them");
        assertEquals(3, taken.epochs().length);
        assertOtherEnginesTurnsNotTimed(taken.epochs(), 1); // every epoch after the first follows one of its turns
    }

    @Test
    void withTurnStepsAnEpochAlsoHandsTheTurnOverEveryNStepsAndLeavesThosePausesOutOfItsTime() throws Exception {
        Taken taken = takeTurns("--turn-steps", "2");

        assertEquals(7, taken.turns(), "two turns an epoch of four steps (none after its last), and the evaluation");
        assertOtherEnginesTurnsNotTimed(taken.epochs(), 0); // every epoch has one of its turns inside
    }

    @Test
    void anEngineThatStopsBeforeHandingTheTurnBackEndsTheRunWithOneLine() throws Exception {
        Path toNabla = fifo("nabla"), toOther = fifo("other");
        OtherEngine other = new OtherEngine(toNabla, toOther, 1);
        other.start();
        Captured run = fitBenchmark(toNabla, toOther);
        other.join();

        assertEquals(ExitCode.FAILED, run.exitCode());
        assertTrue(
                lastLine(run.err())
                        .startsWith(
                                "FitBenchmark: failed: --turns: the other engine stopped before passing the turn back"),
                run.err());
    }

    @Test
    void turnsThatAreNotTwoPipesAreABadArgument() {
        Captured run = Captured.run(() -> FitBenchmark.run("--model", "784-8:relu-10", "--turns", "one-pipe"));

        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "FitBenchmark: --turns one-pipe: expected two named pipes, WAIT,PASS (the turn's way in and out)"
                        + " (try --help)",
                lastLine(run.err()));
    }

    /** A successful run beside an {@link OtherEngine}: the turns it handed back, and the epochs' times. */
    private record Taken(int turns, double[] epochs) {}

    private Taken takeTurns(String... more) throws Exception {
        Path toNabla = fifo("nabla"), toOther = fifo("other");
        Path json = dir.resolve("fit.json");
        OtherEngine other = new OtherEngine(toNabla, toOther, Integer.MAX_VALUE);
        other.start();
        String[] all = Arrays.copyOf(more, more.length + 2);
        all[more.length] = "--json";
        all[more.length + 1] = json.toString();
        Captured run = fitBenchmark(toNabla, toOther, all);
        other.join();
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        return new Taken(other.turnsHandedBack, epochSeconds(Files.readString(json)));
    }

    /** Each epoch from {@code first} on ran beside one of the other engine's turns, which is longer than it. */
    private static void assertOtherEnginesTurnsNotTimed(double[] epochs, int first) {
        for (int epoch = first; epoch < epochs.length; epoch++) {
            assertTrue(
                    epochs[epoch] < HELD_MILLIS / 1000.0,
                    "epoch " + (epoch + 1) + " took " + epochs[epoch] + " s: the other engine's turn was timed");
        }
    }

    private static Captured fitBenchmark(Path toNabla, Path toOther, String... more) {
        String[] args = {
            "--model",
            "784-16:relu-10",
            "--samples",
            "256",
            "--batch-size",
            "64",
            "--epochs",
            "3",
            "--turns",
            toNabla + "," + toOther
        };
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Captured.run(() -> FitBenchmark.run(all));
    }

    /** The run's own line (a JVM without the Vector API flag says so first). */
    private static String lastLine(String err) {
        String[] lines = err.strip().split("\\R");
        return lines[lines.length - 1];
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path path = dir.resolve(name);
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).start().waitFor(), "mkfifo " + path);
        return path;
    }

    private static double[] epochSeconds(String json) {
        Matcher m = Pattern.compile("\"epoch_seconds\": \\[([^]]*)]").matcher(json);
        assertTrue(m.find(), json);
        return Arrays.stream(m.group(1).split(","))
                .mapToDouble(s -> Double.parseDouble(s.strip()))
                .toArray();
    }

    /**
     * The other engine, as a thread: gives the first turn, then takes each turn the run hands back, keeps it
     * {@link #HELD_MILLIS} and hands it on, until the run closes its pipe or {@code turns} turns have come back.
     */
    private static final class OtherEngine extends Thread {
        private final Path toNabla;
        private final Path toOther;
        private final int turns;
        volatile int turnsHandedBack;

        OtherEngine(Path toNabla, Path toOther, int turns) {
            this.toNabla = toNabla;
            this.toOther = toOther;
            this.turns = turns;
        }

        @Override
        public void run() {
            try (OutputStream give = Files.newOutputStream(toNabla);
                    BufferedReader take = Files.newBufferedReader(toOther, StandardCharsets.US_ASCII)) {
                give.write("turn\n".getBytes(StandardCharsets.US_ASCII));
                give.flush();
                while (turnsHandedBack < turns && take.readLine() != null) {
                    turnsHandedBack++;
                    if (turnsHandedBack < turns) {
                        Thread.sleep(HELD_MILLIS);
                        give.write("turn\n".getBytes(StandardCharsets.US_ASCII));
                        give.flush();
                    }
                }
            } catch (IOException e) {
                // the run has stopped reading: its own result says why
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
