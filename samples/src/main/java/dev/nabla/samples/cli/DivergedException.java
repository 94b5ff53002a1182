package dev.nabla.samples.cli;

/** Training produced a NaN or infinite loss (exit code {@value ExitCode#DIVERGED}). */
public final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergedException(String message) {
        super(message);
    }
}
