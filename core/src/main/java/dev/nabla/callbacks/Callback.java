package dev.nabla.callbacks;

/**
 * Hooks into {@code fit}, {@code evaluate} and {@code predict}, as Keras'
 * {@code keras.callbacks.Callback}. Override what you need; every hook does nothing by default.
 * Epochs and batches count from 0.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(5).callbacks(new Callback() {
 *     public void onEpochEnd(int epoch, Logs logs) {
 *         System.out.printf("epoch %d: loss %.4f%n", epoch + 1, logs.get("loss"));
 *     }
 * }));
 * }</pre>
 *
 * <p>Batch logs are lazy ({@link Logs}): reading them in {@code onBatchEnd} makes the training
 * loop wait for the device at every step, so read them only when you log.
 */
public abstract class Callback {
    private TrainedModel model;
    private TrainingParams params;

    /** Called by the model before training; {@link #model()} is then the model being trained. */
    public void setModel(TrainedModel model) {
        this.model = model;
    }

    public void setParams(TrainingParams params) {
        this.params = params;
    }

    /**
     * The model this callback is attached to (null before training): a {@code dev.nabla.nn.Model},
     * seen through what callbacks use of it.
     */
    public TrainedModel model() {
        return model;
    }

    /** The run's parameters (null before training). */
    public TrainingParams params() {
        return params;
    }

    public void onTrainBegin(Logs logs) {}

    public void onTrainEnd(Logs logs) {}

    public void onEpochBegin(int epoch, Logs logs) {}

    /** At the end of an epoch, with "loss", the metrics and the validation values. */
    public void onEpochEnd(int epoch, Logs logs) {}

    /** Before a training batch (Keras' {@code on_train_batch_begin}). */
    public void onBatchBegin(int batch, Logs logs) {}

    /** After a training batch, with the running means of the epoch so far (lazy). */
    public void onBatchEnd(int batch, Logs logs) {}

    public void onTestBegin(Logs logs) {}

    public void onTestEnd(Logs logs) {}

    public void onTestBatchBegin(int batch, Logs logs) {}

    public void onTestBatchEnd(int batch, Logs logs) {}

    public void onPredictBegin(Logs logs) {}

    public void onPredictEnd(Logs logs) {}
}
