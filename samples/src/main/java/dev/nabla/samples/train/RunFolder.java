package dev.nabla.samples.train;

import dev.nabla.io.AtomicFiles;
import dev.nabla.samples.cli.UsageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output folder of one {@code nabla-train} job, held for the job's whole life: created and proven writable
 * before any training, locked so that a second job cannot write into it at the same time (the lock is the
 * operating system's, so it goes with the process however the process ends), and cleaned of the temporary files
 * of saves that a killed job left. Without {@code --out}, each fresh run claims a folder of its own,
 * {@code nabla-out/train/run-N}.
 *
 * <pre>{@code
 * try (RunFolder folder = RunFolder.open(Path.of("runs/a"))) {
 *     ... train, writing into folder.dir() ...
 * }
 * }</pre>
 */
final class RunFolder implements AutoCloseable {
    /** Holds the lock; names the process that holds it. */
    static final String LOCK_FILE = ".nabla-train.lock";

    private static final Pattern RUN = Pattern.compile("run-(\\d+)");

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean claimed;

    private RunFolder(Path dir, FileChannel channel, FileLock lock, boolean claimed) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
        this.claimed = claimed;
    }

    /**
     * Opens and locks {@code dir}, creating it.
     *
     * @throws UsageException when it cannot be a folder written by this job: a file, unwritable, or in use
     */
    static RunFolder open(Path dir) {
        return open(dir, false);
    }

    /** Claims the first unused {@code run-N} in {@code base}, creating it: concurrent jobs never get the same one. */
    static RunFolder claimNew(Path base) {
        createFolders(base);
        for (int n = nextRunNumber(base); ; n++) {
            Path dir = base.resolve("run-" + n);
            try {
                Files.createDirectory(dir);
                return open(dir, true);
            } catch (FileAlreadyExistsException e) {
                // another job took it first
            } catch (IOException e) {
                throw new UsageException("--out " + base + ": cannot create " + dir.getFileName() + ": " + reason(e));
            }
        }
    }

    private static int nextRunNumber(Path base) {
        int highest = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, "run-*")) {
            for (Path entry : entries) {
                Matcher m = RUN.matcher(entry.getFileName().toString());
                if (m.matches() && m.group(1).length() < 9) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UsageException("--out " + base + ": cannot list the folder: " + reason(e));
        }
        return highest + 1;
    }

    private static RunFolder open(Path dir, boolean claimed) {
        createFolders(dir);
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UsageException(
                    "--out " + dir + " is not writable: " + reason(e) + "; give a folder this user can " + "write");
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new UsageException("--out " + dir + " is in use by another nabla-train job" + holder + "; wait "
                        + "for it to end or give another --out");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            AtomicFiles.deleteLeftovers(dir);
            return new RunFolder(dir, channel, lock, claimed);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new UsageException("--out " + dir + " is not writable: " + reason(e));
        }
    }

    private static void createFolders(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException("--out " + dir + " is a file, not a folder");
        } catch (IOException e) {
            throw new UsageException("--out " + dir + ": cannot create the folder: " + reason(e));
        }
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null
                ? e.getClass().getSimpleName()
                : message.toLowerCase(Locale.ROOT).contains("read-only") ? "read-only file system" : message;
    }

    /** The folder. */
    Path dir() {
        return dir;
    }

    /**
     * Checks that the folder's file system has room for {@code bytes} more (a new checkpoint is written beside
     * the previous one before it replaces it).
     *
     * @throws UsageException naming both sizes when it has not
     */
    void requireSpace(long bytes) {
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < bytes) {
                throw new UsageException(String.format(
                        Locale.ROOT,
                        "--out %s has %.1f MB free; this job's checkpoints "
                                + "need about %.1f MB there; free some space or give another --out",
                        dir,
                        free / 1e6,
                        bytes / 1e6));
            }
        } catch (IOException e) {
            // the file system cannot say: the writes themselves will tell
        }
    }

    private static boolean onlyTheLockIn(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().equals(LOCK_FILE)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Releases the lock; a folder claimed by this job in which nothing was written is removed again. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
            if (claimed && onlyTheLockIn(dir)) { // a run refused before it wrote anything: no empty run-N left
                Files.delete(dir.resolve(LOCK_FILE));
                Files.delete(dir);
            }
        } catch (IOException e) {
            // nothing to lose: the lock goes with the process
        }
    }
}
