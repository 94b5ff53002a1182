package dev.nabla.callbacks;

import dev.nabla.io.ModelFile;
import dev.nabla.optim.Optimizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Callback} sees of the model it is attached to: its weights, its optimizer, the
 * request to stop training, and saving. {@code dev.nabla.nn.Model} implements it; a callback that
 * needs more of the model casts {@link Callback#model()} to {@code Model}.
 */
public interface TrainedModel {
    /** The model's name. */
    String name();

    /** The optimizer it was compiled with (null before {@code compile}). */
    Optimizer optimizer();

    /** Asks {@code fit} to stop after the current batch (Keras' {@code model.stop_training = True}). */
    void stopTraining(boolean value);

    /** Whether {@code fit} was asked to stop. */
    boolean stopTraining();

    /** Copies of every weight's values, in layer order (Keras' {@code get_weights}). */
    List<float[]> getWeights();

    /** Overwrites every weight, in the order of {@link #getWeights()} (Keras' {@code set_weights}). */
    void setWeights(List<float[]> values);

    /** Writes the whole model to {@code path}, atomically. */
    void save(Path path);

    /**
     * What {@link #save} would write, with {@code metadata}, copied to the host now, for a
     * {@link dev.nabla.io.CheckpointWriter} to write in the background.
     */
    ModelFile.Contents snapshot(Map<String, Object> metadata);
}
