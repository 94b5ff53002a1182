package dev.nabla.conformance;

import dev.nabla.backend.Backend;
import dev.nabla.backend.StepGraph;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.MaxPooling2D;
import dev.nabla.nn.Parameter;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.ExponentialDecay;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Graph capture of {@code fit}'s training step ({@link Backend#capture}, {@code FitOptions.graphCapture}):
 * a fit that captures and replays its step ends with the very weights, optimizer state, step count and
 * logged losses of the same fit run eagerly, bit for bit; a step that cannot be captured (a host read
 * inside it) and a change of batch shape (the partial last batch) run eagerly with the same result. A
 * backend without capture of its own is checked through {@link RecordingBackend}, which records its SPI
 * calls on the host, so the whole capture path of {@code fit} runs on every backend.
 */
abstract class CaptureSpec extends Spec {

    protected CaptureSpec(Kit kit) {
        super(kit);
    }

    private static final int SAMPLES = 70, FEATURES = 5, CLASSES = 3, BATCH = 16, EPOCHS = 3;

    /** The backend that captures: the one under test, or the recording wrapper around it. */
    private Backend capturing() {
        StepGraph probe = backend.capture(() -> {});
        if (probe != null) {
            probe.close();
            return backend;
        }
        return new RecordingBackend(backend);
    }

    /** Features per sample: 5 for the MLP, or a 6×6×1 image for {@link #convolutional}. */
    private int features = FEATURES;
    /** Whether the model is the small convolutional network instead of the MLP. */
    private boolean convolutional;

    private Dataset data(int samples) {
        SplittableRandom random = new SplittableRandom(31);
        float[] x = new float[samples * features];
        float[] y = new float[samples];
        for (int s = 0; s < samples; s++) {
            double score = 0;
            for (int f = 0; f < features; f++) {
                x[s * features + f] = (float) random.nextDouble(-2, 2);
                score += x[s * features + f] * (f % 2 == 0 ? 1 : -0.5) / Math.sqrt(features / 5.0);
            }
            y[s] = score < -0.5 ? 0 : score < 0.5 ? 1 : 2;
        }
        return Dataset.of(x, convolutional ? new int[] {6, 6, 1} : new int[] {FEATURES}, y, new int[] {});
    }

    /** One fit of a fresh, seeded 5–16–3 MLP; returns its weights, optimizer slots, step count and losses. */
    private Result fit(
            Backend on,
            Supplier<Optimizer> optimizer,
            boolean capture,
            int samples,
            int batch,
            Supplier<Metric> extraMetric) {
        return fit(on, optimizer, capture, samples, batch, extraMetric, null, false);
    }

    private Result fit(
            Backend on,
            Supplier<Optimizer> optimizer,
            boolean capture,
            int samples,
            int batch,
            Supplier<Metric> extraMetric,
            java.util.function.Function<Optimizer, Callback> callback,
            boolean dropout) {
        RandomSeed.set(1234);
        try (Sequential model = convolutional
                ? new Sequential(new Conv2D(4, 3, "relu").inputShape(6, 6, 1), new MaxPooling2D(2, 2), new Flatten())
                : new Sequential(new Dense(16, "tanh").inputShape(FEATURES))) {
            if (dropout) {
                model.add(new Dropout(0.25, 99L));
            }
            model.add(new Dense(CLASSES, "softmax"));
            model.backend(on);
            Optimizer opt = optimizer.get();
            if (extraMetric != null) {
                model.compile(opt, new SparseCategoricalCrossentropy(), extraMetric.get());
            } else {
                model.compile(opt, new SparseCategoricalCrossentropy(), "accuracy");
            }
            History history = model.fit(
                    data(samples),
                    new FitOptions()
                            .batchSize(batch)
                            .epochs(EPOCHS)
                            .seed(5)
                            .verbose(0)
                            .validationData(data(23))
                            .graphCapture(capture)
                            .callbacks(callback == null ? List.of() : List.of(callback.apply(opt))));
            Result r = new Result();
            for (Parameter p : model.weights()) {
                r.weights.add(p.value().toFloatArray());
                List<Tensor> slots = opt.slots(p.value());
                if (slots != null) {
                    for (Tensor s : slots) {
                        r.slots.add(s.toFloatArray());
                    }
                }
            }
            r.iterations = opt.iterations();
            r.history = history.history().toString();
            return r;
        }
    }

    private static final class Result {
        final List<float[]> weights = new java.util.ArrayList<>();
        final List<float[]> slots = new java.util.ArrayList<>();
        long iterations;
        String history;
    }

    private void assertSame(String what, Result eager, Result captured) {
        kit.assertEquals(what + ": optimizer steps", eager.iterations, captured.iterations);
        kit.assertEquals(what + ": number of weights", eager.weights.size(), captured.weights.size());
        for (int i = 0; i < eager.weights.size(); i++) {
            kit.assertTrue(
                    what + ": weight " + i + " bit for bit",
                    Arrays.equals(eager.weights.get(i), captured.weights.get(i)));
        }
        kit.assertEquals(what + ": number of optimizer slots", eager.slots.size(), captured.slots.size());
        for (int i = 0; i < eager.slots.size(); i++) {
            kit.assertTrue(
                    what + ": optimizer slot " + i + " bit for bit",
                    Arrays.equals(eager.slots.get(i), captured.slots.get(i)));
        }
        kit.assertEquals(what + ": the logged losses and metrics", eager.history, captured.history);
    }

    /** Replays counted by the recording wrapper (−1 on a backend that captures natively: not observable). */
    private static long replays(Backend b) {
        return b instanceof RecordingBackend r ? r.replays() : -1;
    }

    private void replayedAndMatches(String what, Supplier<Optimizer> optimizer) {
        Backend on = capturing();
        Result eager = fit(on, optimizer, false, SAMPLES, BATCH, null);
        long before = replays(on);
        Result captured = fit(on, optimizer, true, SAMPLES, BATCH, null);
        if (before >= 0) {
            // 4 full batches per epoch, 12 in all: the first eager, the other 11 replayed (the capture's included)
            kit.assertEquals(what + ": replayed steps", 11L, replays(on) - before);
        }
        assertSame(what, eager, captured);
    }

    @Test
    @DisplayName("SGD with momentum: a replayed step gives the eager weights and velocities bit for bit")
    void sgdWithMomentum() {
        replayedAndMatches("SGD(0.1, momentum 0.9)", () -> new SGD(0.1, 0.9, false));
    }

    @Test
    @DisplayName("SGD with Nesterov momentum and weight decay under a schedule, bit for bit")
    void sgdNesterovDecayScheduled() {
        replayedAndMatches(
                "SGD(exponential decay, Nesterov, weight decay)",
                () -> new SGD(new ExponentialDecay(0.2, 3, 0.7), 0.8, true).weightDecay(0.01));
    }

    @Test
    @DisplayName("Adam with a learning-rate schedule: the per-step α_t reaches the replayed update, bit for bit")
    void adamWithSchedule() {
        replayedAndMatches("Adam(exponential decay)", () -> new Adam(new ExponentialDecay(0.01, 2, 0.8)));
    }

    @Test
    @DisplayName("A convolutional step (im2col, max pooling and their backwards) replays bit for bit, with Adam")
    void convolutionalStep() {
        features = 36;
        convolutional = true;
        replayedAndMatches("Conv2D + MaxPooling2D, Adam", () -> new Adam(0.01));
    }

    @Test
    @DisplayName("A host read inside the step falls back to eager, with the eager result")
    void hostReadFallsBack() {
        Backend on = capturing();
        Supplier<Metric> reading = ReadingMetric::new;
        Result eager = fit(on, () -> new Adam(0.01), false, SAMPLES, BATCH, reading);
        long before = replays(on);
        Result captured = fit(on, () -> new Adam(0.01), true, SAMPLES, BATCH, reading);
        if (before >= 0) {
            kit.assertEquals("a step with a host read is never replayed", 0L, replays(on) - before);
        }
        assertSame("Adam, a metric reading the host", eager, captured);
    }

    @Test
    @DisplayName("Partial batches (a shape change) run eagerly; one full batch per epoch is never captured")
    void shapeChangesRunEagerly() {
        Backend on = capturing();
        // 20 samples in batches of 16: a full batch and a partial one of 4 each epoch
        Result eager = fit(on, () -> new SGD(0.1, 0.9, false), false, 20, BATCH, null);
        long before = replays(on);
        Result captured = fit(on, () -> new SGD(0.1, 0.9, false), true, 20, BATCH, null);
        if (before >= 0) {
            // full steps: epoch 1 eager (warm-up), epochs 2 and 3 replayed
            kit.assertEquals("replays of the full batches", 2L, replays(on) - before);
        }
        assertSame("SGD, partial batches", eager, captured);
        // batch larger than the data: every step is partial, capture never starts
        Result allPartial = fit(on, () -> new SGD(0.1, 0.9, false), true, 20, 32, null);
        Result allPartialEager = fit(on, () -> new SGD(0.1, 0.9, false), false, 20, 32, null);
        assertSame("SGD, only partial batches", allPartialEager, allPartial);
    }

    @Test
    @DisplayName("An optimizer reset between epochs (its state replaced) stops the replay, with the eager result")
    void replacedStateStopsReplay() {
        Backend on = capturing();
        java.util.function.Function<Optimizer, Callback> resetting = opt -> new Callback() {
            @Override
            public void onEpochBegin(int epoch, dev.nabla.callbacks.Logs logs) {
                if (epoch == 1) {
                    opt.reset();
                }
            }
        };
        Result eager = fit(on, () -> new Adam(0.01), false, SAMPLES, BATCH, null, resetting, false);
        long before = replays(on);
        Result captured = fit(on, () -> new Adam(0.01), true, SAMPLES, BATCH, null, resetting, false);
        if (before >= 0) {
            kit.assertEquals("replays before the reset (epoch 1's steps 2 to 4)", 3L, replays(on) - before);
        }
        assertSame("Adam reset after epoch 1", eager, captured);
    }

    @Test
    @DisplayName("Dropout (a random draw inside the step) falls back to eager, with the eager masks and result")
    void dropoutFallsBack() {
        Backend on = capturing();
        Result eager = fit(on, () -> new SGD(0.1, 0.9, false), false, SAMPLES, BATCH, null, null, true);
        long before = replays(on);
        Result captured = fit(on, () -> new SGD(0.1, 0.9, false), true, SAMPLES, BATCH, null, null, true);
        if (before >= 0) {
            kit.assertEquals("a step with a random draw is never replayed", 0L, replays(on) - before);
        }
        assertSame("SGD with dropout", eager, captured);
    }

    /** The mean prediction, read on the host inside the step: a step holding it cannot be captured. */
    private static final class ReadingMetric extends Metric {
        ReadingMetric() {
            super("mean_prediction");
        }

        @Override
        protected int stateSize() {
            return 1;
        }

        @Override
        protected Tensor contribution(Tensor yTrue, Tensor yPred) {
            double host = yPred.sum().item(); // the host read
            return Tensor.on(yPred.backend()).of(new float[] {(float) host}, 1);
        }

        @Override
        protected double countOf(Tensor yTrue, Tensor yPred) {
            return yPred.size();
        }

        @Override
        protected double result(double[] state, double count) {
            return count == 0 ? Double.NaN : state[0] / count;
        }
    }
}
