package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** The message a launcher wrote to standard error, which must be one line (the backends' log lines left out). */
public final class StderrLine {
    private StderrLine() {}

    /** The only line of {@code run}'s standard error that is not a log line; fails when there are more or none. */
    public static String of(Captured run) {
        List<String> lines = run.err()
                .lines()
                .filter(line -> !line.isBlank() && !line.matches("(TRACE|DEBUG|INFO|WARN|ERROR) +\\S+ - .*"))
                .toList();
        assertEquals(1, lines.size(), "one line on standard error: " + run.err());
        return lines.get(0);
    }
}
