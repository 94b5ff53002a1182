package dev.nabla.callbacks;

/**
 * What a callback knows about the run before it starts (Keras' {@code callback.params}).
 *
 * @param epochs    epochs asked for
 * @param steps     batches per epoch
 * @param samples   training samples
 * @param batchSize samples per batch
 * @param verbose   0 silent, 1 progress bar, 2 one line per epoch
 */
public record TrainingParams(int epochs, int steps, int samples, int batchSize, int verbose) {}
