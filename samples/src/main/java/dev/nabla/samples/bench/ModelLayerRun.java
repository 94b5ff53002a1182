package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.UnaryOp;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.data.Dataset;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's MLP trained through the model layer: {@code Sequential} of {@code Dense}
 * layers, categorical cross-entropy, Adam, {@code fit} with a per-epoch timer callback, then
 * {@code evaluate} on the test set. The same JSON summary as the engine-level run.
 */
final class ModelLayerRun {
    private ModelLayerRun() {}

    static void run(
            Backend backend,
            int[] sizes,
            UnaryOp activation,
            double lr,
            int batchSize,
            int epochs,
            long seed,
            Dataset train,
            Dataset test,
            Path json)
            throws IOException {
        int classes = sizes[sizes.length - 1];
        Dataset trainSet = train.flatten().toCategorical(classes);
        Dataset testSet = test == null ? null : test.flatten().toCategorical(classes);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input(sizes[0]));
        for (int i = 1; i < sizes.length; i++) {
            boolean last = i == sizes.length - 1;
            layers.add(new Dense(sizes[i], last ? "softmax" : activation.name().toLowerCase(Locale.ROOT)));
        }
        List<Double> times = new ArrayList<>();
        double[] lastLoss = {Double.NaN};
        Callback timer = new Callback() {
            private long start;

            @Override
            public void onEpochBegin(int epoch, Logs logs) {
                start = System.nanoTime();
            }

            @Override
            public void onEpochEnd(int epoch, Logs logs) {
                double seconds = (System.nanoTime() - start) / 1e9;
                times.add(seconds);
                lastLoss[0] = logs.get("loss");
                System.out.printf(
                        Locale.ROOT,
                        "epoch %d/%d: %.3f s, loss %.4f, accuracy %.4f%n",
                        epoch + 1,
                        epochs,
                        seconds,
                        logs.get("loss"),
                        logs.get("accuracy"));
            }
        };
        double accuracy = Double.NaN;
        try (Sequential model = new Sequential(layers)) {
            model.backend(backend);
            model.compile(new Adam(lr), new CategoricalCrossentropy(), "accuracy");
            model.fit(
                    trainSet,
                    new FitOptions()
                            .batchSize(batchSize)
                            .epochs(epochs)
                            .shuffle(true)
                            .seed(seed)
                            .verbose(0)
                            .callbacks(timer));
            if (testSet != null && testSet.size() > 0) {
                Map<String, Double> scores = model.evaluate(testSet);
                accuracy = scores.get("accuracy");
                System.out.printf(Locale.ROOT, "test accuracy %.2f%% (%d samples)%n", 100 * accuracy, testSet.size());
            }
        }
        double median = BenchStats.medianAfterWarmup(times);
        String summary = String.format(
                Locale.ROOT,
                "{\"engine\": \"nabla\", \"api\": \"model\", \"backend\": \"%s\", \"device\": \"%s\", \"samples\": %d, "
                        + "\"batch_size\": %d, \"epochs\": %d, \"epoch_seconds\": %s, \"median_epoch_seconds\": %.4f, "
                        + "\"samples_per_second\": %.1f, \"final_loss\": %.5f, \"test_accuracy\": %s}",
                backend.name(),
                backend.deviceName().replace("\"", "'"),
                trainSet.size(),
                batchSize,
                epochs,
                times,
                median,
                trainSet.size() / median,
                lastLoss[0],
                Double.isNaN(accuracy) ? "null" : String.format(Locale.ROOT, "%.4f", accuracy));
        System.out.println(summary);
        if (json != null) {
            Files.writeString(json, summary + "\n");
        }
    }
}
