package dev.nabla.samples.cli;

/** Bad command-line arguments (exit code {@value ExitCode#BAD_ARGUMENTS}); the message says what was expected. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
