package dev.nabla.data;

import static dev.nabla.data.IdxTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files and folders this user may not read are reported as "permission denied", with the path and
 * what was expected. Skipped where the tests run as root (or with the capability to read anything): for
 * root a file of mode 000 is readable.
 */
class UnreadableFilesTest {
    @TempDir
    Path dir;

    private Path locked;

    /** Takes every permission from {@code path}; skips the test where that does not stop this user. */
    private Path lock(Path path) throws IOException {
        assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "no POSIX permissions on this file system");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        locked = path;
        assumeFalse(
                Files.isReadable(path) || Files.isDirectory(path) && Files.isExecutable(path),
                "running as root (uid 0), who may read any file whatever its permissions");
        return path;
    }

    @AfterEach
    void unlock() throws IOException {
        if (locked != null) { // so that the temporary folder can be deleted
            Set<PosixFilePermission> all = PosixFilePermissions.fromString("rwx------");
            Files.setPosixFilePermissions(locked, all);
        }
    }

    @Test
    void anUnreadableIdxFile() throws IOException {
        Path file = dir.resolve("images.idx");
        Idx.write(file, new IdxArray(IdxType.UBYTE, new int[] {2}, new byte[] {1, 2}));
        lock(file);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "permission denied", "expected a readable IDX file");
    }

    @Test
    void anUnreadableCsvFile() throws IOException {
        Path file = Files.writeString(dir.resolve("table.csv"), "1,2,0\n");
        lock(file);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> Csv.load(file, false, -1));
        assertContains(e, file.toString(), "permission denied", "expected a readable CSV file");
    }

    @Test
    void anMnistFolderThatMayNotBeOpened() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("mnist"));
        Idx.write(folder.resolve(Mnist.TRAIN_IMAGES), new IdxArray(IdxType.UBYTE, new int[] {1, 1, 1}, new byte[] {1}));
        lock(folder);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> Mnist.load(folder));
        assertContains(e, folder.toString(), "permission denied", "expected a folder this user can open");
    }

    @Test
    void anUnwritableIdxFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("out"));
        lock(folder);
        Path file = folder.resolve("images.idx");
        AccessDeniedException e = assertThrows(
                AccessDeniedException.class,
                () -> Idx.write(file, new IdxArray(IdxType.UBYTE, new int[] {1}, new byte[] {1})));
        assertContains(e, file.toString(), "permission denied", "expected a file this user can write");
    }
}
