package dev.nabla.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Replaces a file as one atomic, durable step: the bytes go to a temporary file of a unique name beside
 * the target, are forced to disk, the temporary file is renamed over the target, and the folder is forced
 * too, so that the rename itself survives a power loss. A reader, or a process killed at any moment, sees
 * the old file or the new one, never a mixture; concurrent writers never share a temporary name. Files
 * are created with the default permissions, so the umask applies.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("runs/a/model.nabla"), bytes);
 * AtomicFiles.deleteLeftovers(Path.of("runs/a"));   // at start, once no other writer uses the folder
 * }</pre>
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code .<name>.<16 hex digits>.tmp}: the temporary files this class makes. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{16}\\.tmp");

    private AtomicFiles() {}

    /**
     * Writes {@code bytes} to {@code target} atomically and durably, creating its folder.
     *
     * @throws IOException when any step fails; the target is then as it was and no temporary file is left
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> writeFully(channel, ByteBuffer.wrap(bytes)));
    }

    /** The bytes of a streamed write: it writes them all, in order, into {@code channel} (and does not close it). */
    @FunctionalInterface
    public interface Source {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /**
     * As {@link #write(Path, byte[])}, with the bytes streamed by {@code source} (so a large file never
     * needs to be whole in memory).
     *
     * <pre>{@code
     * AtomicFiles.write(Path.of("runs/a/table.bin"), channel -> {
     *     ByteBuffer row = ByteBuffer.allocate(8);
     *     for (long value : values) {
     *         row.clear().putLong(value).flip();
     *         while (row.hasRemaining()) {
     *             channel.write(row);
     *         }
     *     }
     * });
     * }</pre>
     *
     * @throws IOException when any step fails, {@code source} included; the target is then as it was and
     *         no temporary file is left
     */
    public static void write(Path target, Source source) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path temporary =
                dir.resolve("." + absolute.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
        try {
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                source.writeTo(pausesHere(absolute) ? new PausingChannel(channel) : channel);
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING); // some network file systems
            }
            forceFolder(dir);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes all of {@code buffer} (a channel may take part of it per call). */
    static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * For tests that kill a process in the middle of a write: {@code -D}{@value #PAUSE_PROPERTY}
     * {@code =<file name>#<n>} pauses the n-th write of a file of that name (counted from 1) for a
     * minute after its first bytes (half of them when they come in one piece). Unset in normal runs.
     */
    static final String PAUSE_PROPERTY = "nabla.test.pauseWrite";

    private static final java.util.concurrent.atomic.AtomicInteger PAUSE_COUNT =
            new java.util.concurrent.atomic.AtomicInteger();

    private static boolean pausesHere(Path target) {
        String spec = System.getProperty(PAUSE_PROPERTY);
        if (spec == null) {
            return false;
        }
        int hash = spec.lastIndexOf('#');
        return target.getFileName().toString().equals(spec.substring(0, hash))
                && PAUSE_COUNT.incrementAndGet() == Integer.parseInt(spec.substring(hash + 1));
    }

    /** Writes half of the first non-empty piece it is given, then pauses; after that, passes writes through. */
    private static final class PausingChannel implements WritableByteChannel {
        private final WritableByteChannel channel;
        private boolean paused;

        PausingChannel(WritableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            if (paused || !source.hasRemaining()) {
                return channel.write(source);
            }
            paused = true;
            int limit = source.limit();
            source.limit(source.position() + Math.max(1, source.remaining() / 2)); // within the old limit
            int written = 0;
            while (source.hasRemaining()) {
                written += channel.write(source);
            }
            source.limit(limit);
            pause();
            return written;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deletes the temporary files that writes into {@code dir} left when their process was killed. Call it
     * only while no other process writes there (under the folder's lock). Returns how many were deleted.
     */
    public static int deleteLeftovers(Path dir) throws IOException {
        int deleted = 0;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path file : files) {
                if (isTemporary(file) && Files.isRegularFile(file) && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Whether {@code file}'s name is one {@link #write} gives its temporary files. */
    static boolean isTemporary(Path file) {
        return TEMPORARY.matcher(file.getFileName().toString()).matches();
    }

    /** Forces a folder's entries to disk (where the system allows opening a folder; elsewhere a no-op). */
    private static void forceFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder; its renames are durable without it
        }
    }
}
