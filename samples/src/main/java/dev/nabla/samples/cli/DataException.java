package dev.nabla.samples.cli;

/** Data that is missing or unreadable (exit code {@value ExitCode#DATA_UNAVAILABLE}). */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
