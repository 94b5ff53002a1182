package dev.nabla.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Several callbacks called in order (the training loop's view of them). */
public final class CallbackList extends Callback {
    private final List<Callback> callbacks;

    public CallbackList(List<Callback> callbacks) {
        this.callbacks = new ArrayList<>(callbacks);
    }

    public List<Callback> callbacks() {
        return Collections.unmodifiableList(callbacks);
    }

    @Override
    public void setModel(TrainedModel model) {
        super.setModel(model);
        callbacks.forEach(c -> c.setModel(model));
    }

    @Override
    public void setParams(TrainingParams params) {
        super.setParams(params);
        callbacks.forEach(c -> c.setParams(params));
    }

    @Override
    public void onTrainBegin(Logs logs) {
        callbacks.forEach(c -> c.onTrainBegin(logs));
    }

    @Override
    public void onTrainEnd(Logs logs) {
        callbacks.forEach(c -> c.onTrainEnd(logs));
    }

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
        callbacks.forEach(c -> c.onEpochBegin(epoch, logs));
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        callbacks.forEach(c -> c.onEpochEnd(epoch, logs));
    }

    @Override
    public void onBatchBegin(int batch, Logs logs) {
        callbacks.forEach(c -> c.onBatchBegin(batch, logs));
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        callbacks.forEach(c -> c.onBatchEnd(batch, logs));
    }

    @Override
    public void onTestBegin(Logs logs) {
        callbacks.forEach(c -> c.onTestBegin(logs));
    }

    @Override
    public void onTestEnd(Logs logs) {
        callbacks.forEach(c -> c.onTestEnd(logs));
    }

    @Override
    public void onTestBatchBegin(int batch, Logs logs) {
        callbacks.forEach(c -> c.onTestBatchBegin(batch, logs));
    }

    @Override
    public void onTestBatchEnd(int batch, Logs logs) {
        callbacks.forEach(c -> c.onTestBatchEnd(batch, logs));
    }

    @Override
    public void onPredictBegin(Logs logs) {
        callbacks.forEach(c -> c.onPredictBegin(logs));
    }

    @Override
    public void onPredictEnd(Logs logs) {
        callbacks.forEach(c -> c.onPredictEnd(logs));
    }
}
