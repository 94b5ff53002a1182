package dev.nabla.spark;

import java.io.Serializable;

/**
 * What every task of one {@code fit} needs besides the round's weights, broadcast once: the model's
 * file (architecture, compile settings), the per-partition batch size and the data order.
 */
record TrainingSpec(
        String runId, byte[] modelFile, int batchSize, boolean shuffle, long seed, String backend, TaskHook hook)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
