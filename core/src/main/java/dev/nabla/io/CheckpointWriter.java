package dev.nabla.io;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes model files in the background: a snapshot of the model ({@code Model.snapshot}: the
 * weights, optimizer state and metadata, copied to the host on the training thread, so the
 * weights may change right after) is encoded, checksummed and written atomically
 * ({@link AtomicFiles}) on a background thread while training goes on. A crash during the write
 * leaves the previous file intact.
 *
 * <p>At most one write is in flight: {@link #save} waits for the previous write to finish before
 * handing over the new snapshot, so every checkpoint asked for is written, in order, and at most
 * two snapshots are held. A failed write is never lost: the next {@code save}, {@link #await()}
 * or {@link #close()} rethrows it (the {@link RuntimeException} the write threw, its message
 * naming the file).
 *
 * <pre>{@code
 * try (CheckpointWriter writer = new CheckpointWriter()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         model.fit(train, new FitOptions().epochs(1));
 *         writer.save(Path.of("checkpoint.nabla"), model.snapshot(Map.of("epoch", epoch + 1)), "model");
 *     }
 * } // close() waits for the last write: the file is complete here
 * }</pre>
 *
 * <p>{@code ModelCheckpoint} and {@code nabla-train} use one. Not thread-safe: one thread saves.
 */
public final class CheckpointWriter implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private Future<?> inFlight;
    private volatile double lastWriteSeconds;

    /**
     * A writer with one background thread: a daemon, started at the first save and ended by
     * {@link #close()} or after a minute idle.
     */
    public CheckpointWriter() {
        executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "nabla-checkpoint-writer");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Writes {@code snapshot} to {@code path} in the background, after waiting for the previous
     * write; {@code what} names the model in errors (as in {@link ModelFile#write}).
     *
     * @throws RuntimeException the failure of the previous write, if it failed (this save is then
     *         not made)
     */
    public void save(Path path, ModelFile.Contents snapshot, String what) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(snapshot, "snapshot");
        await();
        inFlight = executor.submit(() -> {
            long start = System.nanoTime();
            ModelFile.write(path, snapshot, what);
            lastWriteSeconds = (System.nanoTime() - start) / 1e9;
        });
    }

    /** Whether a write is still in flight. */
    public boolean busy() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Seconds the last finished write took on the background thread (encode, checksum, write, fsync). */
    public double lastWriteSeconds() {
        return lastWriteSeconds;
    }

    /**
     * Waits for the write in flight, if any.
     *
     * @throws RuntimeException what that write threw
     */
    public void await() {
        Future<?> pending = inFlight;
        if (pending == null) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    pending.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the write finishes regardless: wait for it, then keep the interrupt
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("checkpoint write failed: " + cause, cause);
        } finally {
            inFlight = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the last write (rethrowing its failure) and ends the background thread. */
    @Override
    public void close() {
        try {
            await();
        } finally {
            executor.shutdown();
        }
    }
}
