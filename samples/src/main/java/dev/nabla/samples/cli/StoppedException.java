package dev.nabla.samples.cli;

/** A run that stopped early on purpose (a signal) and wants a particular exit code. */
public final class StoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public StoppedException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
