package dev.nabla.samples.bench;

import dev.nabla.samples.cli.UsageException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Takes turns with another engine's benchmark run, so that the two engines' epochs alternate and each epoch of
 * one is timed in the same minute as its neighbours of the other: on a shared machine whose speed drifts by a
 * third within minutes, a ratio of neighbours says more than a ratio of runs minutes apart. Two named pipes
 * carry the turn: a turn starts when a line can be read from the first and ends by writing one to the second;
 * the other engine is given them the other way round ({@code samples/bench/turns.sh} makes them and
 * holds both open, so that neither side's open blocks). A turn is an epoch, or a share of one of so many steps,
 * and the evaluation after the last epoch is one more. The pauses between turns are not timed.
 *
 * <pre>
 * FitBenchmark --model deep-mlp --turns /tmp/t/a,/tmp/t/b &amp;
 * python3 samples/bench/pytorch_mlp.py … --turns /tmp/t/b,/tmp/t/a &amp;
 * echo turn &gt; /tmp/t/a   # the first turn is Nabla's
 * </pre>
 */
final class Turns implements AutoCloseable {
    /** No other engine: every turn is at once this run's. */
    static final Turns NONE = new Turns(null, null, 0);

    /**
     * After a turn arrives: long enough for the other engine's worker threads to stop spinning (this backend's
     * spin for 100 µs, OpenMP's for a few milliseconds) before the timer starts again.
     */
    private static final long SETTLE_MILLIS = 50;

    private final InputStream wait;
    private final OutputStream pass;
    private final int stepsPerTurn;

    private Turns(InputStream wait, OutputStream pass, int stepsPerTurn) {
        this.wait = wait;
        this.pass = pass;
        this.stepsPerTurn = stepsPerTurn;
    }

    /**
     * The turns of {@code spec}, "WAIT,PASS" (two named pipes), or {@link #NONE} for {@code null}; with
     * {@code stepsPerTurn} above 0, a turn also ends every that many steps within an epoch.
     *
     * @throws UsageException when {@code spec} is not two paths, or either cannot be opened
     */
    static Turns open(String spec, int stepsPerTurn) {
        if (spec == null) {
            return NONE;
        }
        String[] paths = spec.split(",", -1);
        if (paths.length != 2 || paths[0].isBlank() || paths[1].isBlank()) {
            throw new UsageException(
                    "--turns " + spec + ": expected two named pipes, WAIT,PASS (the turn's way in and out)");
        }
        InputStream wait = null;
        try {
            wait = new FileInputStream(paths[0]);
            return new Turns(wait, new FileOutputStream(paths[1]), stepsPerTurn);
        } catch (IOException e) {
            UsageException failure = new UsageException("--turns: cannot open " + e.getMessage(), e);
            if (wait != null) {
                try {
                    wait.close();
                } catch (IOException suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
            throw failure;
        }
    }

    /** Blocks until it is this run's turn. */
    void begin() {
        if (wait == null) {
            return;
        }
        try {
            int b;
            while ((b = wait.read()) != '\n') {
                if (b < 0) {
                    throw new IllegalStateException("--turns: the other engine stopped before passing the turn back");
                }
            }
            Thread.sleep(SETTLE_MILLIS);
        } catch (IOException e) {
            throw new IllegalStateException("--turns: cannot read the turn (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("--turns: interrupted while waiting for the turn", e);
        }
    }

    /** Hands the turn to the other engine. */
    void end() {
        if (pass == null) {
            return;
        }
        try {
            pass.write("turn\n".getBytes(StandardCharsets.US_ASCII));
            pass.flush();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "--turns: the other engine stopped waiting for the turn (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Whether the turn ends after step {@code step} (from 0) of an epoch of {@code steps}: every {@code
     * stepsPerTurn} steps, except after the last (the epoch's end hands the turn over then).
     */
    boolean due(int step, int steps) {
        return wait != null && stepsPerTurn > 0 && (step + 1) % stepsPerTurn == 0 && step + 1 < steps;
    }

    /** Hands the turn to the other engine and waits for it back; returns the nanoseconds that took. */
    long handOver() {
        long away = System.nanoTime();
        end();
        begin();
        return System.nanoTime() - away;
    }

    /**
     * Hands over this run's last turn: the other engine may already have finished, and a pipe nobody reads any
     * more is then no failure.
     */
    void finish() {
        try {
            end();
        } catch (IllegalStateException ignored) {
            // nobody left to take it
        }
    }

    @Override
    public void close() throws IOException {
        if (wait != null) {
            try (InputStream in = wait;
                    OutputStream out = pass) {
                // both closed, the last opened first
            }
        }
    }
}
