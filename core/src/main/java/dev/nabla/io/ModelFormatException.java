package dev.nabla.io;

/**
 * A model file that cannot be loaded: not a Nabla model, from a newer format version, truncated,
 * corrupted (checksum mismatch), or inconsistent. Nothing is loaded when it is thrown.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
