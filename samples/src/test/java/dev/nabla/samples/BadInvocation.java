package dev.nabla.samples;

import java.util.List;
import java.util.Map;

/**
 * One bad command line of a launcher and what the launcher must answer: its exit code and one line on standard
 * error that holds {@code says}. In {@code args} and {@code env}, {@code <tmp>} stands for the folder of
 * {@link BadInvocationFiles}, where the broken data sets lie.
 *
 * @param launcher the script in samples/bin
 * @param problem  what is wrong, in a user's words (a row of docs/errors.md)
 * @param args     the arguments after the launcher's name
 * @param env      environment variables set for the run
 * @param exitCode the documented exit code
 * @param says     a part of the one line the launcher prints for it
 */
record BadInvocation(
        String launcher, String problem, List<String> args, Map<String, String> env, int exitCode, String says) {
    BadInvocation(String launcher, String problem, List<String> args, int exitCode, String says) {
        this(launcher, problem, args, Map.of(), exitCode, says);
    }

    /** The command as a user types it, for the table. */
    String commandLine() {
        StringBuilder s = new StringBuilder();
        env.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        s.append(launcher);
        args.forEach(a -> s.append(' ').append(a.contains(" ") || a.isEmpty() ? "'" + a + "'" : a));
        return s.toString();
    }

    @Override
    public String toString() {
        return launcher + ": " + problem;
    }
}
