package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The words for a file that cannot be used, whoever runs the tests (root included: no real permissions needed). */
class FileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void theJdksExceptionsAreToldInWords() {
        assertEquals("permission denied", FileErrors.reason(new AccessDeniedException("/data/x.csv")));
        assertEquals(
                "permission denied", FileErrors.reason(new FileNotFoundException("/data/x.csv (Permission denied)")));
        assertEquals("no such file", FileErrors.reason(new NoSuchFileException("/data/x.csv")));
        assertEquals(
                "no such file",
                FileErrors.reason(new FileNotFoundException("/data/x.csv (No such file or directory)")));
        assertEquals(
                "read-only file system",
                FileErrors.reason(new FileSystemException("/mnt/x", null, "Read-only file system")));
        assertEquals("is a folder", FileErrors.reason(new IOException("Is a directory")));
        assertEquals("disk on fire", FileErrors.reason(new IOException("disk on fire")));
    }

    @Test
    void anAccessDeniedExceptionIsExplainedWithThePathAndWhatWasExpected() {
        AccessDeniedException jdk = new AccessDeniedException("/data/x.idx"); // its message is the path alone
        IOException explained = FileErrors.explain(jdk, Path.of("/data/x.idx"), "a readable IDX file");
        assertTrue(explained instanceof AccessDeniedException, explained.toString());
        assertEquals("/data/x.idx: permission denied; expected a readable IDX file", explained.getMessage());
        assertSame(jdk, explained.getCause());
    }

    @Test
    void otherFailuresKeepTheirCauseAndNameThePath() {
        IOException jdk = new FileNotFoundException("/data/x.csv (Permission denied)");
        IOException explained = FileErrors.explain(jdk, Path.of("/data/x.csv"), "a readable CSV file");
        assertEquals("/data/x.csv: permission denied; expected a readable CSV file", explained.getMessage());
        assertSame(jdk, explained.getCause());
        assertTrue(FileErrors.explain(new NoSuchFileException("a"), Path.of("a"), null) instanceof NoSuchFileException);
    }

    @Test
    void aPathThatCannotBeLookedAtSaysWhy() {
        assertNull(FileErrors.inaccessible(dir));
        assertEquals("no such file", FileErrors.inaccessible(dir.resolve("missing")));
    }
}
