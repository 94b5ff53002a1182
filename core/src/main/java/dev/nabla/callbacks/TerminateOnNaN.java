package dev.nabla.callbacks;

/**
 * Stops training as soon as the loss becomes NaN or infinite, as Keras' {@code TerminateOnNaN}.
 * It reads the running loss after every batch, so each step waits for the device.
 */
public final class TerminateOnNaN extends Callback {
    private boolean terminated;

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        Double loss = logs.get("loss");
        if (loss != null && (loss.isNaN() || loss.isInfinite())) {
            org.slf4j.LoggerFactory.getLogger(TerminateOnNaN.class)
                    .warn("Batch {}: invalid loss {}, terminating training", batch, loss);
            terminated = true;
            model().stopTraining(true);
        }
    }

    /** Whether it stopped a run. */
    public boolean terminated() {
        return terminated;
    }
}
