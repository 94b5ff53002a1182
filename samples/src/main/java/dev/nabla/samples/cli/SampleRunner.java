package dev.nabla.samples.cli;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendUnavailableException;
import dev.nabla.backend.DeviceOutOfMemoryException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Runs a launcher's body the same way for every launcher: parses the options, prints the usage on {@code --help},
 * chooses the backend, and turns every failure into the documented {@link ExitCode} with one line on standard
 * error that says what was wrong and what was expected. A stack trace is printed only with {@code --debug}. At
 * the end it lists the files written, whatever the outcome.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     System.exit(run(args));
 * }
 *
 * public static int run(String... args) {          // tests call this, in-process
 *     return SampleRunner.run(SPEC, args, job -> { ... });
 * }
 * }</pre>
 */
public final class SampleRunner {
    /** A sample's work. */
    @FunctionalInterface
    public interface Body {
        void run(Job job) throws Exception;
    }

    private SampleRunner() {}

    /** Runs {@code body} and returns the exit code. */
    public static int run(Options.Spec spec, String[] args, Body body) {
        return run(spec, args, System.out, System.err, body);
    }

    /** Runs {@code body}, printing the usage, the backend line and the summary to {@code out} and failures to {@code err}. */
    public static int run(Options.Spec spec, String[] args, PrintStream out, PrintStream err, Body body) {
        Options options;
        try {
            options = spec.parse(args);
        } catch (UsageException e) {
            err.println(spec.name() + ": " + e.getMessage() + " (try --help)");
            return ExitCode.BAD_ARGUMENTS;
        }
        if (options.helpRequested()) {
            out.println(spec.usage());
            return ExitCode.OK;
        }
        Output output = new Output(options.out());
        try {
            Backend backend = null;
            if (options.spec().has("backend")) {
                backend = options.backend();
                out.println(spec.name() + ": backend " + backend.name() + " (" + backend.deviceName() + ")");
            }
            body.run(new Job(options, backend, output));
            return ExitCode.OK;
        } catch (Exception | Error e) {
            Failure failure = Failure.of(e);
            err.println(spec.name() + ": " + failure.line(options.debug()));
            if (options.debug()) {
                e.printStackTrace(err);
            }
            return failure.exitCode();
        } finally {
            out.flush();
            output.printSummary(out);
            out.flush();
        }
    }

    /** What a failure means to the user: its exit code and the one line that says so. */
    record Failure(int exitCode, String message, boolean unexpected) {
        static Failure of(Throwable e) {
            if (e instanceof UsageException) {
                return new Failure(ExitCode.BAD_ARGUMENTS, e.getMessage() + " (try --help)", false);
            }
            if (e instanceof DataException) {
                return new Failure(ExitCode.DATA_UNAVAILABLE, "data unavailable: " + e.getMessage(), false);
            }
            if (e instanceof BackendUnavailableException) {
                return new Failure(ExitCode.BACKEND_UNAVAILABLE, e.getMessage(), false);
            }
            if (e instanceof DivergedException) {
                return new Failure(ExitCode.DIVERGED, "training diverged: " + e.getMessage(), false);
            }
            if (e instanceof StoppedException stopped) {
                return new Failure(stopped.exitCode(), e.getMessage(), false);
            }
            if (e instanceof UncheckedIOException || e instanceof IOException) {
                return new Failure(ExitCode.DATA_UNAVAILABLE, e.getMessage(), false);
            }
            if (e instanceof OutOfMemoryError || e instanceof DeviceOutOfMemoryException) {
                return new Failure(
                        ExitCode.FAILED,
                        "out of memory (" + e.getMessage() + "); expected a model and "
                                + "batch that fit: use a smaller --batch-size or network, or give the JVM more heap "
                                + "(JAVA_OPTS=-Xmx8g)",
                        false);
            }
            // the library's own checks (IllegalArgumentException, IllegalStateException) say what was wrong in
            // their message; anything else is named by its type, which is then part of the news
            boolean checked = e instanceof IllegalArgumentException || e instanceof IllegalStateException;
            String what = e.getMessage() == null ? e.getClass().getName() : checked ? e.getMessage() : e.toString();
            return new Failure(ExitCode.FAILED, "failed: " + what, true);
        }

        /** The line printed on standard error: one line, whatever the exception's message holds. */
        String line(boolean debug) {
            String text =
                    String.join(" ", message.strip().lines().map(String::strip).toList());
            return unexpected && !debug ? text + " (--debug prints the stack trace)" : text;
        }
    }
}
