package dev.nabla.samples.web;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server's threads, with a deadline on receiving each request.
 *
 * <p>Why this and not the JDK's own settings: the JDK server reads a request's line and headers
 * on the executor's thread, and the handler reads the body from a stream without a timeout, so a
 * client that stops half-way (or a TLS ClientHello, which has no line end) holds a thread until
 * it hangs up. {@code sun.net.httpserver.maxReqTime} would close such connections, but it is read
 * once per JVM, when the first server is created, so it can neither be set per server nor relied
 * on when another server came first. Here each exchange runs on a bounded pool; from its first
 * byte until the handler has the whole body ({@link #received()}) a scheduled task watches it,
 * and past the deadline interrupts the thread. The connection's channel is interruptible: the
 * blocked read fails, the channel closes, and the server forgets the connection. Only reading is
 * ever interrupted; once received, recognizing and answering run to the end.
 *
 * <p>A connection that has sent nothing, or is idle between requests, holds no thread: the JDK
 * server waits for its first byte on one selector.
 */
final class RequestDeadlines implements Executor, AutoCloseable {
    /** The exchange running on this thread, while it is one of ours. */
    private static final ThreadLocal<Watch> CURRENT = new ThreadLocal<>();

    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final long timeoutNanos;

    /**
     * @param threads exchanges handled at once; more wait in an unbounded queue (each waiting one
     *                is a connection with bytes already sent, not a thread)
     * @param timeout how long a request may take from its first byte to its last
     */
    RequestDeadlines(int threads, Duration timeout) {
        if (threads < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    threads + " threads, timeout " + timeout + "; expected at least 1 thread and a positive timeout");
        }
        this.timeoutNanos = timeout.toNanos();
        pool = new ThreadPoolExecutor(
                threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemons("recognizer-http-"));
        pool.allowCoreThreadTimeOut(true); // an idle server keeps no threads
        timer = new ScheduledThreadPoolExecutor(1, daemons("recognizer-request-deadline-"));
        timer.setRemoveOnCancelPolicy(true); // a finished request's task leaves the queue at once
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void execute(Runnable exchange) {
        pool.execute(() -> {
            Watch watch = new Watch(Thread.currentThread());
            watch.expiry = timer.schedule(watch::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            CURRENT.set(watch);
            try {
                exchange.run();
            } finally {
                watch.finish();
                CURRENT.remove();
                Thread.interrupted(); // an expired exchange's interrupt must not reach the next one
            }
        });
    }

    /**
     * Tells the deadline of the exchange on this thread that the whole request has arrived, so
     * nothing interrupts what follows. A no-op on other threads and when called again.
     *
     * @throws InterruptedIOException when the deadline passed first (the connection is closing)
     */
    static void received() throws IOException {
        Watch watch = CURRENT.get();
        if (watch != null && !watch.received()) {
            throw new InterruptedIOException("the request took longer than its deadline");
        }
    }

    /** Threads handling an exchange now. */
    int busyThreads() {
        return pool.getActiveCount();
    }

    /** Stops the threads, waiting at most {@code seconds} for running exchanges. */
    void close(long seconds) {
        pool.shutdown();
        timer.shutdownNow();
        try {
            pool.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5);
    }

    /** One exchange's deadline: receiving, then received (or expired), then finished. */
    private static final class Watch {
        private final Thread thread;
        private boolean receiving = true;
        private boolean expired;
        volatile ScheduledFuture<?> expiry;

        Watch(Thread thread) {
            this.thread = thread;
        }

        /** Interrupts the thread only while it is still receiving; under the lock, so never after. */
        synchronized void expire() {
            if (receiving) {
                receiving = false;
                expired = true;
                thread.interrupt();
            }
        }

        /** False when the deadline passed first. */
        synchronized boolean received() {
            receiving = false;
            expiry.cancel(false);
            return !expired;
        }

        synchronized void finish() {
            receiving = false;
            expiry.cancel(false);
        }
    }
}
