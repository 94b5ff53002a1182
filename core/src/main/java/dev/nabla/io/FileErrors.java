package dev.nabla.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Messages for files that cannot be read or written. The JDK's own exceptions often carry only the path
 * (an {@link AccessDeniedException}'s message is the path alone, with no word of permissions); these
 * helpers say what went wrong in words, with the path and what was expected there.
 *
 * <pre>{@code
 * try (InputStream in = Files.newInputStream(file)) { ... }
 * catch (IOException e) { throw FileErrors.explain(e, file, "a readable IDX file"); }
 * // data/train.idx: permission denied; expected a readable IDX file
 * }</pre>
 */
public final class FileErrors {
    private FileErrors() {}

    /**
     * What went wrong, in words: "permission denied", "no such file", "not a folder", "is a
     * folder", "already exists", "folder not empty", "read-only file system", else the exception's own
     * reason or message. {@link FileNotFoundException}s of {@code java.io} ("x (Permission denied)") are
     * read the same way.
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        String text = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        if (text == null) {
            return e.getClass().getSimpleName();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("permission denied") || lower.contains("operation not permitted")) {
            return "permission denied";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (lower.contains("no such file or directory")) {
            return "no such file";
        }
        if (lower.contains("is a directory")) {
            return "is a folder";
        }
        if (lower.contains("not a directory")) {
            return "not a folder";
        }
        return text;
    }

    /**
     * {@code e} as an exception whose message is {@code path: reason; expected <expected>}, the cause being
     * {@code e}. An {@link AccessDeniedException} or {@link NoSuchFileException} stays one (its file is
     * {@code path}), so that callers that tell them apart still can; any other becomes an {@link IOException}.
     *
     * @param expected what should have been there, e.g. "a readable CSV file"; null for none
     */
    public static IOException explain(IOException e, Path path, String expected) {
        String why = reason(e) + (expected == null ? "" : "; expected " + expected);
        IOException explained;
        if (e instanceof AccessDeniedException) {
            explained = new AccessDeniedException(path.toString(), null, why);
        } else if (e instanceof NoSuchFileException) {
            explained = new NoSuchFileException(path.toString(), null, why);
        } else {
            return new IOException(path + ": " + why, e);
        }
        explained.initCause(e);
        return explained;
    }

    /**
     * Why {@code path} cannot even be looked at (its attributes read): "permission denied" where a folder
     * on the way may not be searched, "no such file", …; null when it can. Where a check such as
     * {@link Files#isRegularFile} says false, this tells a missing file from one that may not be reached.
     */
    public static String inaccessible(Path path) {
        try {
            Files.readAttributes(path, BasicFileAttributes.class);
            return null;
        } catch (IOException e) {
            return reason(e);
        }
    }
}
