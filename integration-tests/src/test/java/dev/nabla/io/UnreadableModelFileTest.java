package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.Backends;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Input;
import dev.nabla.nn.Model;
import dev.nabla.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file this user may not read, or a folder it may not write, is reported as "permission denied"
 * with the path and what was expected. Skipped where the tests run as root, who may read and write anything.
 */
class UnreadableModelFileTest {
    @TempDir
    Path dir;

    private Path locked;

    private void lock(Path path) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        locked = path;
        assumeFalse(Files.isReadable(path), "running as root (uid 0), who may read any file whatever its permissions");
    }

    @AfterEach
    void unlock() throws IOException {
        if (locked != null) {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static Sequential model() {
        Sequential model = new Sequential(new Input(2), new Dense(1));
        model.backend(Backends.get("cpu", 0));
        return model;
    }

    @Test
    void anUnreadableModelFile() throws IOException {
        Path file = dir.resolve("m.nabla");
        try (Sequential model = model()) {
            model.save(file);
        }
        lock(file);
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> Model.load(file, Backends.get("cpu", 0)));
        assertTrue(
                e.getMessage()
                        .equals("cannot read model file " + file + ": permission denied; expected a file "
                                + "written by Model.save that this user can read"),
                e.getMessage());
    }

    @Test
    void aFolderThatMayNotBeWritten() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("read-only"));
        lock(folder);
        Path file = folder.resolve("m.nabla");
        try (Sequential model = model()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> model.save(file));
            assertTrue(
                    e.getMessage()
                            .startsWith("cannot save model '" + model.name() + "' to " + file
                                    + ": permission denied; expected a folder this user can write"),
                    e.getMessage());
        }
    }
}
