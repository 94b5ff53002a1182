package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.UnaryOp;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.optim.Adam;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.samples.train.NetworkSpec;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times training epochs of an MLP (the course's deep MLP by default: 784-1024-512-512-10, ReLU,
 * softmax cross-entropy, Adam 1e-4, batch 128) and prints the median time per epoch, samples
 * per second and test accuracy, with a JSON summary that matches samples/bench/pytorch_mlp.py.
 *
 * <pre>
 * java … dev.nabla.samples.bench.MlpBenchmark --backend cuda --data /usr/share/datasets/fashion-mnist --epochs 5
 * </pre>
 *
 * The first epoch is a warm-up (JIT, kernel loading, allocator) and is left out of the median.
 * {@code --api model} trains the same network through the model layer ({@code Sequential.fit}).
 */
public final class MlpBenchmark {

    public static void main(String[] args) {
        int code = SampleRunner.run(SPEC, args, job -> run(Settings.of(job.options()), job.backend()));
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(Settings o, Backend backend) throws IOException {
        TrainTest data = BenchData.load(o.data == null ? null : o.data.toString());
        Dataset train = BenchData.resize(data.train(), o.samples);
        // .resize(train, o.samples);
        int features = train.features().length / train.size();
        int classes = o.sizes[o.sizes.length - 1];
        if (features != o.sizes[0]) {
            throw new UsageException("the data has " + features + " features per sample but --sizes starts with "
                    + o.sizes[0] + "; expected the sizes to start with " + features);
        }
        System.out.printf(
                Locale.ROOT,
                "MLP %s, %s activation, Adam %.0e, batch %d, %d samples on %s (%s)%n",
                Arrays.toString(o.sizes),
                o.activation,
                o.lr,
                o.batchSize,
                train.size(),
                backend.name(),
                backend.deviceName());
        if (o.api.equals("model")) {
            // The same MLP as a nabla-train spec (784-1024:relu-…-10:softmax), trained through fit.
            StringBuilder spec = new StringBuilder().append(o.sizes[0]);
            for (int i = 1; i < o.sizes.length; i++) {
                boolean last = i == o.sizes.length - 1;
                spec.append('-')
                        .append(o.sizes[i])
                        .append(':')
                        .append(last ? "softmax" : o.activation.name().toLowerCase(Locale.ROOT));
            }
            FitBenchmark.train(
                    backend,
                    "mlp",
                    NetworkSpec.parse(spec.toString()),
                    new Adam(o.lr),
                    "categorical_crossentropy",
                    o.batchSize,
                    o.epochs,
                    o.seed,
                    train,
                    data.test(),
                    o.json);
            return;
        }
        TensorFactory tensors = Tensor.on(backend);
        List<Double> times = new ArrayList<>();
        double finalLoss = Double.NaN;
        double accuracy;
        try (MlpTrainer trainer = new MlpTrainer(backend, o.sizes, o.activation, o.lr, o.seed)) {
            for (int epoch = 0; epoch < o.epochs; epoch++) {
                int[] order = BenchStats.permutation(train.size(), o.seed + epoch);
                long start = System.nanoTime();
                Tensor total = tensors.scalar(0);
                int steps = 0;
                // One pair of host batch arrays, reused: write() copies them before it returns.
                float[] x = new float[o.batchSize * features];
                float[] y = new float[o.batchSize * classes];
                long[] hostNanos = new long[4]; // assemble, upload, step (queue), accumulate
                for (int from = 0; from < train.size(); from += o.batchSize) {
                    long t0 = System.nanoTime();
                    int n = Math.min(o.batchSize, train.size() - from);
                    if (n != o.batchSize) { // the last, smaller batch
                        x = new float[n * features];
                        y = new float[n * classes];
                    }
                    java.util.Arrays.fill(y, 0f);
                    for (int i = 0; i < n; i++) {
                        int sample = order[from + i];
                        System.arraycopy(train.features(), sample * features, x, i * features, features);
                        y[i * classes + (int) train.targets()[sample]] = 1;
                    }
                    long t1 = System.nanoTime();
                    try (Tensor xb = tensors.of(x, n, features);
                            Tensor yb = tensors.of(y, n, classes)) {
                        long t2 = System.nanoTime();
                        try (Tensor loss = trainer.trainStep(xb, yb)) {
                            long t3 = System.nanoTime();
                            Tensor sum = total.add(loss);
                            total.close();
                            total = sum;
                            hostNanos[0] += t1 - t0;
                            hostNanos[1] += t2 - t1;
                            hostNanos[2] += t3 - t2;
                            hostNanos[3] += System.nanoTime() - t3;
                        }
                    }
                    steps++;
                }
                long beforeRead = System.nanoTime();
                finalLoss = total.item() / steps; // the epoch's only host read: it waits for the device
                long wait = System.nanoTime() - beforeRead;
                total.close();
                double seconds = (System.nanoTime() - start) / 1e9;
                times.add(seconds);
                System.out.printf(
                        Locale.ROOT, "epoch %d/%d: %.3f s, loss %.4f%n", epoch + 1, o.epochs, seconds, finalLoss);
                if (o.profile) {
                    System.out.printf(
                            Locale.ROOT,
                            "  host per step: assemble %.0f µs, upload %.0f µs, queue step %.0f µs, "
                                    + "accumulate %.0f µs; final wait for the device %.1f ms%n",
                            hostNanos[0] / 1e3 / steps,
                            hostNanos[1] / 1e3 / steps,
                            hostNanos[2] / 1e3 / steps,
                            hostNanos[3] / 1e3 / steps,
                            wait / 1e6);
                }
            }
            accuracy = accuracy(trainer, tensors, data.test(), features);
        }
        double median = BenchStats.medianAfterWarmup(times);
        String json = String.format(
                Locale.ROOT,
                "{\"engine\": \"nabla\", \"backend\": \"%s\", \"device\": \"%s\", \"samples\": %d, \"batch_size\": %d, "
                        + "\"epochs\": %d, \"epoch_seconds\": %s, \"median_epoch_seconds\": %.4f, \"samples_per_second\": %.1f, "
                        + "\"final_loss\": %.5f, \"test_accuracy\": %s}",
                backend.name(),
                backend.deviceName().replace("\"", "'"),
                train.size(),
                o.batchSize,
                o.epochs,
                times,
                median,
                train.size() / median,
                finalLoss,
                Double.isNaN(accuracy) ? "null" : String.format(Locale.ROOT, "%.4f", accuracy));
        System.out.println(json);
        if (o.json != null) {
            Files.writeString(o.json, json + "\n");
        }
    }

    private static double accuracy(MlpTrainer trainer, TensorFactory tensors, Dataset test, int features) {
        if (test == null || test.size() == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int from = 0; from < test.size(); from += 1000) {
            int n = Math.min(1000, test.size() - from);
            float[] x = Arrays.copyOfRange(test.features(), from * features, (from + n) * features);
            try (Tensor xb = tensors.of(x, n, features)) {
                int[] predicted = trainer.predict(xb);
                for (int i = 0; i < n; i++) {
                    correct += predicted[i] == (int) test.targets()[from + i] ? 1 : 0;
                }
            }
        }
        return (double) correct / test.size();
    }

    static final Options.Spec SPEC = Options.program(
                    "MlpBenchmark",
                    "Trains an MLP with Adam and prints the median epoch time (the first epoch left out) and the test "
                            + "accuracy.")
            .without("out")
            .epochs(5)
            .batchSize(128)
            .stringOption(
                    "data",
                    "DIR",
                    null,
                    "MNIST-style IDX folder (default: Fashion-MNIST if installed, else " + "the embedded digits)")
            .intOption(
                    "samples",
                    "N",
                    0,
                    0,
                    Integer.MAX_VALUE,
                    "repeat or cut the training set to N samples (0: as it is)")
            .stringOption("sizes", "LIST", "784,1024,512,512,10", "layer sizes, input to output")
            .choiceOption("activation", "relu", "activation of the hidden layers", "relu", "tanh", "sigmoid")
            .positiveDoubleOption("lr", "RATE", 1e-4, "Adam's learning rate")
            .stringOption("json", "FILE", null, "also write the results as JSON to FILE")
            .flag("profile", "print where the host time of a step goes")
            .choiceOption(
                    "api",
                    "engine",
                    "engine: the engine-level trainer; model: the model layer (Sequential.fit)",
                    "engine",
                    "model");

    /** The settings of a run, from its command line. */
    private record Settings(
            Path data,
            Path json,
            int samples,
            int epochs,
            int batchSize,
            int[] sizes,
            UnaryOp activation,
            double lr,
            long seed,
            boolean profile,
            String api) {
        static Settings of(Options o) {
            int[] sizes;
            try {
                sizes = Arrays.stream(o.string("sizes").split(","))
                        .map(String::strip)
                        .mapToInt(Integer::parseInt)
                        .toArray();
            } catch (NumberFormatException e) {
                throw new UsageException(
                        "--sizes is '" + o.string("sizes") + "'; expected whole numbers separated by "
                                + "commas, like 784,512,10",
                        e);
            }
            if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(n -> n < 1)) {
                throw new UsageException("--sizes is '" + o.string("sizes")
                        + "'; expected at least two positive sizes, " + "like 784,512,10");
            }
            return new Settings(
                    o.string("data") == null ? null : Path.of(o.string("data")),
                    o.string("json") == null ? null : Path.of(o.string("json")),
                    o.integer("samples"),
                    o.epochs(),
                    o.batchSize(),
                    sizes,
                    UnaryOp.valueOf(o.string("activation").toUpperCase(Locale.ROOT)),
                    o.real("lr"),
                    o.seed(),
                    o.flag("profile"),
                    o.string("api"));
        }
    }
}
