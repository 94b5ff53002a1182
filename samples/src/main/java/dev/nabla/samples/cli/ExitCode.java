package dev.nabla.samples.cli;

/**
 * The exit codes of every sample and of {@code nabla-train}, chosen so that a batch scheduler can act on
 * them: retry on another node (4), fix the job (2, 3), lower the learning rate (5), resume (130, 143).
 */
public final class ExitCode {
    /** Finished; everything it was asked to write is written. */
    public static final int OK = 0;
    /** An unexpected failure (a bug, out of memory): one line on standard error; {@code --debug} adds the stack trace. */
    public static final int FAILED = 1;
    /** Bad arguments: an unknown option, a value that is not a number, a network spec that does not parse. */
    public static final int BAD_ARGUMENTS = 2;
    /** The data is missing or unreadable (no such folder, not an IDX or CSV file, a truncated file). */
    public static final int DATA_UNAVAILABLE = 3;
    /** The backend asked for is unknown or cannot run here (no driver, no device). */
    public static final int BACKEND_UNAVAILABLE = 4;
    /** Training diverged: the loss became NaN or infinite; the last good checkpoint is kept. */
    public static final int DIVERGED = 5;
    /** Stopped by Ctrl-C (SIGINT) after the current batch, with a checkpoint written (128 + 2, as shells report it). */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (e.g. a scheduler's kill) after the current batch, with a checkpoint written. */
    public static final int TERMINATED = 143;

    private ExitCode() {}
}
