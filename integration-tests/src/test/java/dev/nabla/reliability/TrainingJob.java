package dev.nabla.reliability;

import dev.nabla.backend.Backends;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.callbacks.ModelCheckpoint;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.BatchNormalization;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.nio.file.Path;

/**
 * The training job of the interruption tests: a small classifier trained with a checkpoint at
 * the end of every epoch. Run as a program ({@code TrainingJob <checkpoint> <stopEpoch> <stopBatch>})
 * it prints "stopping" when it reaches batch stopBatch of epoch stopEpoch and its last checkpoint is written, then
 * waits to be killed.
 */
public final class TrainingJob {
    static final int EPOCHS = 5;
    static final int BATCH = 8;
    static final long SEED = 42;
    static final Dataset DATA = Fixture.blobs(64, 13);

    private TrainingJob() {}

    static int stepsPerEpoch() {
        return DATA.batchCount(BATCH);
    }

    /** The model, initialised the same way every time. */
    static Sequential model() {
        RandomSeed.set(SEED);
        Sequential model =
                new Sequential(new Dense(8, "tanh").inputShape(4), new BatchNormalization(), new Dense(3, "softmax"));
        model.backend(Backends.get("cpu", 0));
        model.compile(new Adam(0.02).clipnorm(1.0), new SparseCategoricalCrossentropy(), "accuracy");
        return model;
    }

    /** The options of the run, starting at {@code initialEpoch}, with extra callbacks. */
    static FitOptions options(int initialEpoch, Callback... callbacks) {
        return new FitOptions()
                .batchSize(BATCH)
                .epochs(EPOCHS)
                .initialEpoch(initialEpoch)
                .seed(SEED)
                .verbose(0)
                .callbacks(callbacks);
    }

    /** Continues a run from the checkpoint at {@code file}: the epochs it completed come from its step count. */
    static Model resume(Path file) {
        Model model = Model.load(file, Backends.get("cpu", 0));
        long steps = model.optimizer().iterations();
        if (steps % stepsPerEpoch() != 0) {
            throw new IllegalStateException("checkpoint after " + steps + " steps: not at the end of an epoch");
        }
        model.fit(DATA, options((int) (steps / stepsPerEpoch())));
        return model;
    }

    /** A callback that runs {@code action} at one batch of one epoch. */
    static Callback at(int epoch, int batch, Runnable action) {
        return new Callback() {
            private int current;

            @Override
            public void onEpochBegin(int e, Logs logs) {
                current = e;
            }

            @Override
            public void onBatchEnd(int b, Logs logs) {
                if (current == epoch && b == batch) {
                    action.run();
                }
            }
        };
    }

    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        int stopEpoch = Integer.parseInt(args[1]);
        int stopBatch = Integer.parseInt(args[2]);
        try (Sequential model = model()) {
            ModelCheckpoint saves = new ModelCheckpoint(checkpoint);
            model.fit(DATA, options(0, saves, at(stopEpoch, stopBatch, () -> {
                // killed mid-epoch, not mid-write: the last epoch's background write is done first (a kill during
                // a write is CheckpointKillTest's case)
                saves.await();
                System.out.println("stopping");
                System.out.flush();
                try {
                    Thread.sleep(60_000); // killed long before
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.exit(3);
            })));
        }
    }
}
