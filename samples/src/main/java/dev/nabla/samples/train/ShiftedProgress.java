package dev.nabla.samples.train;

import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.callbacks.ProgbarLogger;
import dev.nabla.callbacks.TrainedModel;
import dev.nabla.callbacks.TrainingParams;

/**
 * Keras' progress bar for a job that runs {@code fit} one epoch at a time: the bar is told the whole run's
 * epoch count and the epoch's full number of batches, and a resumed epoch's batches count on from where the
 * interrupted run stopped ("Epoch 4/10", "40/63 …").
 */
final class ShiftedProgress extends Callback {
    private final ProgbarLogger bar = new ProgbarLogger();
    private final int epoch;
    private final int epochs;
    private final int steps;
    private final int skippedBatches;

    ShiftedProgress(int epoch, int epochs, int steps, int skippedBatches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.steps = steps;
        this.skippedBatches = skippedBatches;
    }

    @Override
    public void setModel(TrainedModel model) {
        super.setModel(model);
        bar.setModel(model);
    }

    @Override
    public void setParams(TrainingParams params) {
        super.setParams(params);
        bar.setParams(new TrainingParams(epochs, steps, params.samples(), params.batchSize(), 1));
    }

    @Override
    public void onEpochBegin(int ignored, Logs logs) {
        bar.onEpochBegin(epoch, logs);
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        bar.onBatchEnd(batch + skippedBatches, logs);
    }

    @Override
    public void onEpochEnd(int ignored, Logs logs) {
        bar.onEpochEnd(epoch, logs);
    }
}
