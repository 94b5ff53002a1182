package dev.nabla.samples.cli;

/** A run that ends early with a particular exit code and the one line that says why (a signal, a port taken). */
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
