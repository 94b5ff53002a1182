package dev.nabla.nn;

import dev.nabla.callbacks.Callback;
import dev.nabla.data.Dataset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arguments of {@link Model#fit}, with Keras' names and defaults: batch size 32, 1 epoch,
 * shuffled every epoch, verbose 1, no validation.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions()
 *         .batchSize(128).epochs(50)
 *         .validationSplit(0.2)               // or .validationData(testSet)
 *         .seed(42)                            // the shuffle of epoch e uses seed + e
 *         .verbose(1)
 *         .callbacks(new EarlyStopping("val_loss", 3, true)));
 * }</pre>
 */
public final class FitOptions {
    private int batchSize = 32;
    private int epochs = 1;
    private int initialEpoch;
    private boolean shuffle = true;
    private Boolean residentData;
    private Long seed;
    private double validationSplit;
    private Dataset validationData;
    private Integer validationBatchSize;
    private int validationFreq = 1;
    private int verbose = 1;
    private Boolean graphCapture;
    private final List<Callback> callbacks = new ArrayList<>();

    public FitOptions batchSize(int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + value);
        }
        this.batchSize = value;
        return this;
    }

    public FitOptions epochs(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("epochs must be ≥ 0, got " + value);
        }
        this.epochs = value;
        return this;
    }

    /**
     * The epoch to start from, as Keras' {@code initial_epoch} (default 0): {@code fit} runs epochs
     * {@code initialEpoch … epochs − 1}, shuffling epoch e with seed + e and numbering epochs for
     * callbacks as an uninterrupted run would. To resume from a checkpoint saved at the end of
     * epoch k (k counted from 1), load it and fit with {@code initialEpoch(k)} and the same seed;
     * the loaded optimizer's {@code iterations()} divided by the steps per epoch gives k.
     */
    public FitOptions initialEpoch(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("initialEpoch must be ≥ 0, got " + value);
        }
        this.initialEpoch = value;
        return this;
    }

    /** Whether to shuffle the training data before each epoch (default true). */
    public FitOptions shuffle(boolean value) {
        this.shuffle = value;
        return this;
    }

    /**
     * Whether to keep the training data on the backend for the whole fit and gather each batch there ({@link
     * dev.nabla.data.ResidentDataset}): one upload of the data set, one of each epoch's order, and no host-to-device
     * copy per step. Default: on for backends whose memory is not the host's (CUDA, OpenCL), off for the CPU
     * backend, where batches are gathered straight from the host's arrays and a second copy would only cost memory.
     * The batches, and so the training, are the same either way. Turn it off when the data set does not fit in the
     * device's memory beside the model.
     */
    public FitOptions residentData(boolean value) {
        this.residentData = value;
        return this;
    }

    /** The shuffle seed: epoch e is shuffled with seed + e (default: drawn from {@link RandomSeed}). */
    public FitOptions seed(long value) {
        this.seed = value;
        return this;
    }

    /**
     * Keeps the last {@code fraction} of the training data (before any shuffle, as Keras) for
     * validation.
     */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), got " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /** A data set to evaluate after each epoch (takes precedence over {@link #validationSplit}). */
    public FitOptions validationData(Dataset data) {
        this.validationData = data;
        return this;
    }

    /**
     * The batch size of validation, as Keras' {@code validation_batch_size} (default: the training
     * batch size, as Keras). Validation keeps no activations for a backward pass, so a larger batch
     * costs little memory and runs the validation set in fewer, larger matrix products:
     *
     * <pre>{@code
     * model.fit(train, new FitOptions().batchSize(128).validationData(test)
     *         .validationBatchSize(1024));   // validation in batches of 1024
     * }</pre>
     *
     * The default stays the training batch size because the memory a batch needs depends on the
     * network (a convolutional network's activations at batch 1024 may not fit a GPU); a caller
     * that knows its network (as {@code nabla-train} does) gives a larger one. Metrics are averaged
     * per sample, so the batch size changes them only by float rounding.
     *
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public FitOptions validationBatchSize(int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(
                    "validationBatchSize must be positive (samples per validation batch), got " + value);
        }
        this.validationBatchSize = value;
        return this;
    }

    /**
     * Validates every {@code n} epochs, as Keras' {@code validation_freq} (default 1: every epoch):
     * after epochs n, 2n, 3n … (counted from 1, so that with {@link #initialEpoch} a resumed run
     * validates after the same epochs as an uninterrupted one). Epochs without validation log no
     * {@code val_} values, so callbacks monitoring them (EarlyStopping on "val_loss") see them
     * only every n epochs.
     *
     * <pre>{@code
     * model.fit(train, new FitOptions().epochs(20).validationData(test)
     *         .validationFreq(5));   // validates after epochs 5, 10, 15 and 20
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code n} is less than 1
     */
    public FitOptions validationFreq(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("validationFreq must be at least 1 (validate every n epochs), got " + n);
        }
        this.validationFreq = n;
        return this;
    }

    /** 0 silent, 1 progress bar (plain lines when not on a terminal), 2 one line per epoch. */
    public FitOptions verbose(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + value);
        }
        this.verbose = value;
        return this;
    }

    /**
     * Whether {@code fit} captures its training step as a graph and replays it. <b>Off by default until the cuda
     * backend's capture has run on a GPU</b> (docs/cuda.md, "Graph capture"): {@code graphCapture(true)} or the
     * system property {@code nabla.graphCapture=true} turns it on, and {@code nabla.graphCapture=false} turns it
     * off for the whole JVM, whatever this says. It takes effect only on a backend that can capture ({@link
     * dev.nabla.backend.Backend#capture} returns a graph; the cuda backend) and gives the same weights, bit for
     * bit, as the eager loop: the first full-size step runs eagerly, the second is captured, every later
     * full-size step replays the graph on the same buffers (the batch copied into them), and the last partial
     * batch of each epoch runs eagerly. A step that cannot be captured (a random draw such as dropout's, a host
     * read inside the step, a custom optimizer without a device form) leaves the whole fit eager, with one
     * DEBUG line of logger {@code dev.nabla.nn.Trainer} saying why. docs/model.md, "Graph capture", has the
     * details.
     *
     * <pre>{@code
     * model.fit(train, new FitOptions().graphCapture(true));   // replay the step where the backend can capture
     * }</pre>
     */
    public FitOptions graphCapture(boolean value) {
        this.graphCapture = value;
        return this;
    }

    /**
     * Whether {@code fit} may capture its step: false whenever the system property {@code nabla.graphCapture} is
     * {@code false} (a switch for the whole JVM that no option overrides); else the {@link #graphCapture(boolean)}
     * setting; else true only when the property is {@code true} (the default is off until the cuda backend's
     * capture has run on a GPU).
     */
    public boolean graphCapture() {
        String property = System.getProperty("nabla.graphCapture", "").trim();
        if ("false".equalsIgnoreCase(property)) {
            return false;
        }
        if (graphCapture != null) {
            return graphCapture;
        }
        return "true".equalsIgnoreCase(property);
    }

    /** Adds callbacks (History and, when verbose, the progress bar are always added). */
    public FitOptions callbacks(Callback... values) {
        Collections.addAll(callbacks, values);
        return this;
    }

    public FitOptions callbacks(List<? extends Callback> values) {
        callbacks.addAll(values);
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    public int epochs() {
        return epochs;
    }

    public int initialEpoch() {
        return initialEpoch;
    }

    public boolean shuffle() {
        return shuffle;
    }

    /** {@link #residentData(boolean)} as set, or null for the default (decided by the backend). */
    public Boolean residentData() {
        return residentData;
    }

    public Long seed() {
        return seed;
    }

    public double validationSplit() {
        return validationSplit;
    }

    public Dataset validationData() {
        return validationData;
    }

    public int validationBatchSize() {
        return validationBatchSize != null ? validationBatchSize : batchSize;
    }

    /** Validation runs after every {@code validationFreq()}-th epoch (1: every epoch). */
    public int validationFreq() {
        return validationFreq;
    }

    public int verbose() {
        return verbose;
    }

    public List<Callback> callbacks() {
        return Collections.unmodifiableList(callbacks);
    }
}
