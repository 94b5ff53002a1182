package dev.nabla.backend;

/**
 * Thrown by a backend while it {@linkplain Backend#capture captures} a step when the step does
 * something a graph cannot hold: a host read, a {@link Backend#synchronize}, a random draw, an
 * allocation the graph's pool cannot serve. Nothing recorded so far has run, so the caller can
 * run the step again without capture (as {@code fit} does) and get the eager result.
 */
public class CaptureUnsupportedException extends RuntimeException {
    public CaptureUnsupportedException(String message) {
        super(message);
    }

    public CaptureUnsupportedException(String message, Throwable cause) {
        super(message, cause);
    }
}
