package dev.nabla.samples.train;

/**
 * A request to stop training after the current batch, set from another thread: by the shutdown hook that
 * Ctrl-C (SIGINT) or SIGTERM runs, or by a test.
 */
public final class StopSignal {
    private volatile boolean requested;

    /** Asks the run to stop after its current batch and write a checkpoint. */
    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
