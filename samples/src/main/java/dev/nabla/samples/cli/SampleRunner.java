package dev.nabla.samples.cli;

import dev.nabla.backend.Backend;
import dev.nabla.backend.BackendUnavailableException;
import java.io.PrintStream;

/**
 * Runs a sample's body the same way for every sample: parses the options, prints the usage on {@code --help},
 * chooses the backend, and turns failures into the documented {@link ExitCode}s with a one-line message on
 * standard error. At the end it lists the files written, whatever the outcome.
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

    private SampleRunner() {
    }

    /** Runs {@code body} and returns the exit code. */
    public static int run(Options.Spec spec, String[] args, Body body) {
        PrintStream out = System.out;
        PrintStream err = System.err;
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
            Backend backend = options.backend();
            out.println(spec.name() + ": backend " + backend.name() + " (" + backend.deviceName() + ")");
            body.run(new Job(options, backend, output));
            return ExitCode.OK;
        } catch (UsageException e) {
            err.println(spec.name() + ": " + e.getMessage() + " (try --help)");
            return ExitCode.BAD_ARGUMENTS;
        } catch (DataException e) {
            err.println(spec.name() + ": data unavailable: " + e.getMessage());
            return ExitCode.DATA_UNAVAILABLE;
        } catch (BackendUnavailableException e) {
            err.println(spec.name() + ": " + e.getMessage());
            return ExitCode.BACKEND_UNAVAILABLE;
        } catch (DivergedException e) {
            err.println(spec.name() + ": training diverged: " + e.getMessage());
            return ExitCode.DIVERGED;
        } catch (StoppedException e) {
            err.println(spec.name() + ": " + e.getMessage());
            return e.exitCode();
        } catch (Exception | Error e) {
            err.println(spec.name() + ": failed: " + e);
            e.printStackTrace(err);
            return ExitCode.FAILED;
        } finally {
            out.flush();
            output.printSummary(out);
            out.flush();
        }
    }
}
