package dev.nabla.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native libraries are extracted once into a per-user cache, named by their content, and reused;
 * copies that killed runs left in the temporary directory are removed.
 */
class NativeLibrariesTest {
    private static final String V1 = "/dev/nabla/backend/natives/v1/libsample.so";
    private static final String V2 = "/dev/nabla/backend/natives/v2/libsample.so";
    private static final List<String> PROPERTIES =
            List.of(NativeLibraries.CACHE_PROPERTY, "user.home", "java.io.tmpdir");

    @TempDir
    Path dir;

    private Path cache;
    private Map<String, String> saved;

    @BeforeEach
    void pointTheCacheAtATestFolder() {
        saved = new java.util.HashMap<>();
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
        cache = dir.resolve("cache");
        System.setProperty(NativeLibraries.CACHE_PROPERTY, cache.toString());
    }

    @AfterEach
    void restoreProperties() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NativeLibrariesTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aLibraryIsExtractedOnceUnderItsOwnNameInAFolderNamedByItsContent() throws IOException {
        Path first = NativeLibraries.extract(NativeLibrariesTest.class, V1);
        assertEquals("libsample.so", first.getFileName().toString());
        assertEquals(cache, first.getParent().getParent());
        assertTrue(first.getParent().getFileName().toString().matches("[0-9a-f]{16}"), first.toString());
        assertArrayEquals(resource(V1), Files.readAllBytes(first));
        Object inode = Files.readAttributes(first, "unix:ino").get("ino");

        Path again = NativeLibraries.extract(NativeLibrariesTest.class, V1);
        assertEquals(first, again);
        assertEquals(inode, Files.readAttributes(again, "unix:ino").get("ino"), "the copy is reused, not rewritten");
        assertEquals(List.of(first), filesIn(cache), "one copy, no unfinished file");
    }

    @Test
    void twoVersionsOfALibraryNeverShareAFile() throws IOException {
        Path v1 = NativeLibraries.extract(NativeLibrariesTest.class, V1);
        Path v2 = NativeLibraries.extract(NativeLibrariesTest.class, V2);
        assertEquals(v1.getFileName(), v2.getFileName());
        assertNotEquals(v1.getParent(), v2.getParent());
        assertArrayEquals(resource(V1), Files.readAllBytes(v1));
        assertArrayEquals(resource(V2), Files.readAllBytes(v2));
    }

    @Test
    void aDamagedOrTruncatedCopyIsReplaced() throws IOException {
        Path library = NativeLibraries.extract(NativeLibrariesTest.class, V1);
        byte[] content = resource(V1);
        byte[] damaged = content.clone();
        damaged[3] ^= 1;
        Files.write(library, damaged);
        assertArrayEquals(content, Files.readAllBytes(NativeLibraries.extract(NativeLibrariesTest.class, V1)));
        Files.write(library, new byte[5]);
        assertArrayEquals(content, Files.readAllBytes(NativeLibraries.extract(NativeLibrariesTest.class, V1)));
    }

    @Test
    void anUnfinishedCopyOfAKilledExtractionIsRemovedOnceOldAndAYoungOneIsLeftToItsWriter() throws IOException {
        Path library = NativeLibraries.extract(NativeLibrariesTest.class, V1);
        Path old = Files.write(library.resolveSibling(".libsample.so.123.part"), new byte[7]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path young = Files.write(library.resolveSibling(".libsample.so.456.part"), new byte[7]);
        Files.delete(library); // the next extraction writes

        NativeLibraries.extract(NativeLibrariesTest.class, V1);
        assertEquals(List.of(young, library), filesIn(library.getParent()));
    }

    @Test
    void aMissingResourceIsAnIOExceptionNamingIt() {
        IOException e = assertThrows(
                IOException.class,
                () -> NativeLibraries.extract(NativeLibrariesTest.class, "/dev/nabla/backend/natives/libnone.so"));
        assertTrue(e.getMessage().contains("libnone.so"), e.getMessage());
    }

    @Test
    void withoutThePropertyTheCacheIsInTheUsersCacheFolder() throws IOException {
        assumeTrue(System.getenv("XDG_CACHE_HOME") == null, "XDG_CACHE_HOME is set");
        System.clearProperty(NativeLibraries.CACHE_PROPERTY);
        System.setProperty("user.home", dir.resolve("home").toString());
        assertEquals(dir.resolve("home/.cache/nabla/native"), NativeLibraries.cacheFolder());
    }

    @Test
    void whenTheHomeFolderCannotBeWrittenTheCacheIsAPrivateFolderInTheTemporaryDirectory() throws IOException {
        assumeTrue(System.getenv("XDG_CACHE_HOME") == null, "XDG_CACHE_HOME is set");
        System.clearProperty(NativeLibraries.CACHE_PROPERTY);
        System.setProperty(
                "user.home", Files.writeString(dir.resolve("not-a-folder"), "").toString());
        System.setProperty(
                "java.io.tmpdir", Files.createDirectory(dir.resolve("tmp")).toString());

        Path folder = NativeLibraries.cacheFolder();
        Path mine = dir.resolve("tmp")
                .resolve("nabla-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
        assertEquals(mine.resolve("native"), folder);
        assertEquals(
                "rwx------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
    }

    @Test
    void aSharedFolderInTheTemporaryDirectoryIsRefused() throws IOException {
        assumeTrue(System.getenv("XDG_CACHE_HOME") == null, "XDG_CACHE_HOME is set");
        System.clearProperty(NativeLibraries.CACHE_PROPERTY);
        System.setProperty(
                "user.home", Files.writeString(dir.resolve("not-a-folder"), "").toString());
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        System.setProperty("java.io.tmpdir", tmp.toString());
        Path planted = Files.createDirectory(
                tmp.resolve("nabla-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_")));
        Files.setPosixFilePermissions(planted, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

        IOException e = assertThrows(IOException.class, NativeLibraries::cacheFolder);
        assertTrue(e.getMessage().contains(NativeLibraries.CACHE_PROPERTY), e.getMessage());
    }

    @Test
    void copiesThatKilledRunsLeftInTheTemporaryDirectoryAreRemovedOnceStale() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux only");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        System.setProperty("java.io.tmpdir", tmp.toString());
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Path staleFile = Files.write(tmp.resolve("libsample.so8123456789"), new byte[3]);
        Path staleFolder = Files.createDirectory(tmp.resolve("libsample.so42"));
        Files.write(staleFolder.resolve("libsample.so"), new byte[3]);
        Path folderWithMore = Files.createDirectory(tmp.resolve("libsample.so43"));
        Files.createDirectory(folderWithMore.resolve("sub"));
        Path young = Files.write(tmp.resolve("libsample.so77"), new byte[3]);
        Path otherName = Files.write(tmp.resolve("libsample.so.bak"), new byte[3]);
        for (Path p : List.of(staleFile, staleFolder, folderWithMore, otherName)) {
            Files.setLastModifiedTime(p, hourAgo);
        }

        assertEquals(2, NativeLibraries.deleteStaleTemporaryCopies("libsample.so", Duration.ofMinutes(10)));
        assertFalse(Files.exists(staleFile));
        assertFalse(Files.exists(staleFolder));
        assertTrue(Files.exists(folderWithMore), "a folder holding more than plain files is left");
        assertTrue(Files.exists(young), "a young copy may be loading right now");
        assertTrue(Files.exists(otherName), "only the names Files.createTempFile gives");
    }
}
