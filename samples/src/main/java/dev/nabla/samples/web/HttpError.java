package dev.nabla.samples.web;

/**
 * A request the server refuses, with the HTTP status (4xx) and a message for the client that
 * says what was wrong and what was expected.
 */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpError(int status, String message) {
        super(message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("status " + status + "; expected a 4xx client error");
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
