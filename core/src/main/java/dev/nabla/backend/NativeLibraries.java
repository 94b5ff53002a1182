package dev.nabla.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Native libraries that backends ship as class-path resources, extracted once per user into a
 * cache folder instead of into a new temporary folder per run. A temporary copy is deleted only
 * when the JVM exits normally ({@code deleteOnExit}); a training job that is killed, preempted or
 * crashes left one behind every time. A cached copy is written once and reused by every later JVM.
 *
 * <p>Where: the folder named by the system property {@value #CACHE_PROPERTY}; else
 * {@code $XDG_CACHE_HOME/nabla/native}, or {@code ~/.cache/nabla/native} without that variable;
 * else, when the home folder cannot be written, {@code <java.io.tmpdir>/nabla-<user>/native}
 * (created for and owned by the user alone). Each library lies in a sub-folder named by the hash
 * of its content, under its own file name: two versions of Nabla never share a file, and a library
 * keeps the exact name that the dynamic loader may expect.
 *
 * <p>How: a copy is written under a unique temporary name in its folder, flushed to disk, then
 * renamed into place atomically, so JVMs that extract at the same moment never load half a file
 * (the last rename wins; the contents are equal). An existing copy is reused only when it has the
 * resource's exact content; anything else is replaced.
 *
 * <p>The caller loads the returned file itself ({@code System.load}), because the JVM binds a JNI
 * library's native methods to the class loader of the class that loads it.
 *
 * <pre>{@code
 * Path library = NativeLibraries.extract(MyKernels.class, "/com/example/native/libkernels.so");
 * System.load(library.toString());
 * }</pre>
 *
 * <p>For libraries that a dependency copies into {@code java.io.tmpdir} itself (netlib's JNI
 * library), {@link #deleteLoadedTemporaryCopies} removes this process's copy as soon as it is
 * loaded, and {@link #deleteStaleTemporaryCopies} removes copies that killed runs left.
 */
public final class NativeLibraries {
    /** System property naming the folder for extracted native libraries (created when missing). */
    public static final String CACHE_PROPERTY = "nabla.native.cache";

    /** Hex digits of the content hash that name a library's folder: 64 bits; the content itself is compared on reuse. */
    private static final int HASH_DIGITS = 16;
    /** Unfinished copies this old were left by a JVM killed while writing; younger ones may still be written. */
    private static final Duration UNFINISHED = Duration.ofMinutes(10);

    private static final String PART = ".part";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private NativeLibraries() {}

    /**
     * The copy of a class-path resource in the cache, extracted when it is not there yet.
     *
     * @param owner    the class whose class loader holds the resource
     * @param resource the absolute resource name, such as {@code /dev/nabla/cpu/native/linux-x86_64/libx.so};
     *                 its last segment is the file name of the copy
     * @return the absolute path of a complete copy, ready for {@code System.load}
     * @throws IOException when the resource is missing, or no cache folder can be used
     */
    public static synchronized Path extract(Class<?> owner, String resource) throws IOException {
        if (!resource.startsWith("/") || resource.endsWith("/")) {
            throw new IllegalArgumentException("resource must be an absolute name of a file, got " + resource);
        }
        byte[] content;
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource + " beside " + owner.getName());
            }
            content = in.readAllBytes();
        }
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        Path folder = cacheFolder().resolve(hash(content));
        createPrivateDirectories(folder);
        Path library = folder.resolve(name);
        if (holds(library, content)) {
            return library;
        }
        deleteUnfinished(folder);
        Path part = Files.createTempFile(folder, "." + name + ".", PART);
        try {
            try (FileChannel out =
                    FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true); // on disk before the rename makes it visible: a crash then leaves no torn library
            }
            Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        syncDirectory(folder);
        return library;
    }

    /**
     * The root of the cache: {@value #CACHE_PROPERTY}, else the user's cache folder, else a private
     * folder in {@code java.io.tmpdir} (see the class comment). Created when missing.
     *
     * @throws IOException when the configured folder, or every candidate, cannot be created or written
     */
    public static Path cacheFolder() throws IOException {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path folder = Path.of(configured).toAbsolutePath();
            createPrivateDirectories(folder); // named on purpose: no silent fallback
            requireWritable(folder);
            return folder;
        }
        Path home = userCacheFolder();
        try {
            createPrivateDirectories(home);
            requireWritable(home);
            return home;
        } catch (IOException | SecurityException e) {
            return privateTemporaryFolder(e);
        }
    }

    /**
     * Deletes the files in {@code java.io.tmpdir} named {@code prefix} followed by digits (the names
     * {@code Files.createTempFile(prefix, "")} gives) that this process has loaded: the loaded library
     * stays mapped, so its name is no longer needed, and a kill can no longer leave it behind. Linux
     * only (it reads {@code /proc/self/maps}); elsewhere it does nothing.
     *
     * @param prefix the start of the copies' names, such as {@code libnetlibblasjni.so}
     * @return how many files it deleted
     */
    public static int deleteLoadedTemporaryCopies(String prefix) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return 0;
        }
        Pattern names = temporaryNames(prefix);
        int deleted = 0;
        try (Stream<String> lines = Files.lines(maps)) {
            Path tmp = temporaryDirectory().toRealPath(); // the loader reports resolved paths
            List<Path> mapped = lines.map(NativeLibraries::mappedPath)
                    .filter(p -> p != null
                            && tmp.equals(p.getParent())
                            && names.matcher(p.getFileName().toString()).matches())
                    .distinct()
                    .toList();
            for (Path path : mapped) {
                if (Files.deleteIfExists(path)) {
                    deleted++;
                }
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            // best effort: the copy stays until the JVM exits (or the next start after a kill)
        }
        return deleted;
    }

    /**
     * Deletes entries of {@code java.io.tmpdir} named {@code prefix} followed by digits, owned by
     * this user and not modified for {@code age}: the copies and folders that runs killed before
     * they could delete them left behind. A folder is deleted with the plain files in it; one holding
     * anything else is left. A running JVM that still uses such a copy is not hurt, as a loaded
     * library stays mapped. Linux only (the owner is compared by user id); elsewhere it does nothing.
     *
     * @param prefix the start of the names, such as {@code libnetlibblasjni.so} or {@code nabla-cpu-}
     * @param age    how long an entry must have been left unmodified: longer than any copy takes to load
     * @return how many entries it deleted
     */
    public static int deleteStaleTemporaryCopies(String prefix, Duration age) {
        Object me;
        try {
            me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return 0;
        }
        Pattern names = temporaryNames(prefix);
        Instant before = Instant.now().minus(age);
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(
                temporaryDirectory(),
                entry -> names.matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                try {
                    if (me.equals(Files.getAttribute(entry, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                            && olderThan(entry, before)
                            && deleteWithPlainFiles(entry)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    // another process deleted or changed it meanwhile: leave it
                }
            }
        } catch (IOException | SecurityException e) {
            // best effort
        }
        return deleted;
    }

    private static Pattern temporaryNames(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + "[0-9]+");
    }

    private static Path temporaryDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The file of a line of /proc/self/maps, or null: "address perms offset dev inode [path][ (deleted)]". */
    private static Path mappedPath(String line) {
        int slash = line.indexOf('/'); // the fields before the path hold no slash
        if (slash < 0 || line.endsWith(" (deleted)")) {
            return null;
        }
        return Path.of(line.substring(slash));
    }

    private static boolean olderThan(Path entry, Instant before) throws IOException {
        FileTime modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS);
        return modified.toInstant().isBefore(before);
    }

    private static boolean deleteWithPlainFiles(Path entry) throws IOException {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> inside = Files.newDirectoryStream(entry)) {
                for (Path file : inside) {
                    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        return false;
                    }
                    Files.deleteIfExists(file);
                }
            }
        }
        return Files.deleteIfExists(entry);
    }

    private static Path userCacheFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) // the spec says to ignore a relative one
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nabla").resolve("native");
    }

    /**
     * {@code <tmpdir>/nabla-<user>/native}. The temporary directory is shared, so the folder must be a
     * real folder of this user that nobody else can write: another user could otherwise plant a
     * library there.
     */
    private static Path privateTemporaryFolder(Exception whyNotHome) throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path mine = temporaryDirectory().resolve("nabla-" + user);
        try {
            createPrivateDirectories(mine);
            if (Files.isSymbolicLink(mine) || !Files.isDirectory(mine, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(mine + " is not a folder");
            }
            requirePrivate(mine);
            Path folder = mine.resolve("native");
            createPrivateDirectories(folder);
            requireWritable(folder);
            return folder;
        } catch (IOException | SecurityException e) {
            IOException failure = new IOException(
                    "no folder for native libraries: " + userCacheFolder() + " ("
                            + whyNotHome.getMessage() + ") and " + mine + " (" + e.getMessage()
                            + ") cannot be used; set -D"
                            + CACHE_PROPERTY + " to a writable folder",
                    e);
            failure.addSuppressed(whyNotHome);
            throw failure;
        }
    }

    /** Refuses a folder that this user does not own or that others may write (POSIX file systems only). */
    private static void requirePrivate(Path folder) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return;
        }
        Path probe = Files.createTempFile(folder, ".owner", ".tmp"); // a file just made is owned by this process's user
        try {
            if (!Files.getOwner(probe).equals(attributes.owner())) {
                throw new IOException(
                        folder + " belongs to " + attributes.owner().getName());
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(
                    folder + " may be written by others (" + PosixFilePermissions.toString(permissions) + ")");
        }
    }

    private static void requireWritable(Path folder) throws IOException {
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new IOException(folder + " is not a writable folder");
        }
    }

    /** Creates the missing folders of {@code folder}, readable by this user alone where the file system has POSIX permissions. */
    private static void createPrivateDirectories(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(folder);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) { // another JVM made it meanwhile: fine; a file in the way is not
                throw e;
            }
        }
    }

    private static boolean holds(Path library, byte[] content) {
        try {
            return Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(library) == content.length
                    && Arrays.equals(Files.readAllBytes(library), content);
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes copies that a JVM killed while writing left; a younger one may belong to a JVM writing now. */
    private static void deleteUnfinished(Path folder) {
        Instant before = Instant.now().minus(UNFINISHED);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, ".*" + PART)) {
            for (Path part : parts) {
                try {
                    if (olderThan(part, before)) {
                        Files.deleteIfExists(part);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** Makes the rename durable; not every platform can open a folder for that, and it is only a refinement. */
    private static void syncDirectory(Path folder) {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | RuntimeException e) {
            // the library is complete either way
        }
    }

    private static String hash(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(digest).substring(0, HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
    }
}
