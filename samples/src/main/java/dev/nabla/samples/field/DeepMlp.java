package dev.nabla.samples.field;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.samples.cli.DigitData;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deep MLP of the course examples: 784-1024-512-512 relu-10 softmax, categorical cross-entropy, Adam with
 * learning rate 0.0001, batch 128 (the course reaches about 98 % on MNIST). It plots accuracy and loss per epoch,
 * saves the trained model to a file, loads it again and checks that the loaded model predicts exactly what the
 * trained one does. The saved model is the one the zip-code recognizer loads.
 */
public final class DeepMlp {
    /** The model file's name in the output folder. */
    public static final String MODEL_FILE = "deep-mlp.nabla";

    static final Options.Spec SPEC = Options.program(
                    "nabla-deep-mlp",
                    "The course's deep MLP, 784-1024-512-512 relu-10 softmax, categorical cross-entropy, Adam 1e-4: "
                            + "trains, plots accuracy and loss, saves the model to " + MODEL_FILE + ", reloads it and "
                            + "compares predictions.")
            .epochs(10)
            .batchSize(128)
            .data()
            .positiveDoubleOption("lr", "RATE", 1e-4, "Adam's learning rate")
            .choiceOption("verbose", "2", "0 silent, 1 progress bar, 2 one line per epoch", "0", "1", "2")
            .example("nabla-deep-mlp --epochs 20 --out models/")
            .example("nabla-deep-mlp --data ~/data/mnist --epochs 50 --backend cuda");

    private DeepMlp() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, DeepMlp::trainSaveLoad);
    }

    /** 784-1024-512-512 relu-10 softmax. */
    static Sequential network() {
        return new Sequential(
                new Input(784),
                new Dense(1024, "relu"),
                new Dense(512, "relu"),
                new Dense(512, "relu"),
                new Dense(10, "softmax"));
    }

    @SuppressWarnings("try") // the scopes release what their blocks make
    private static void trainSaveLoad(Job job) throws Exception {
        Options options = job.options();
        DigitData.Digits set = DigitData.open(options);
        DigitData.Kind kind = set.kind();
        TrainTest digits = set.data();
        Dataset train = digits.train().toCategorical(10);
        Dataset test = digits.test().toCategorical(10);
        Path file = job.output().file(MODEL_FILE);
        RandomSeed.set(options.seed());
        try (Sequential model = network()) {
            model.compile(new Adam(options.real("lr")), new CategoricalCrossentropy(), "accuracy");
            model.summary();
            History history = model.fit(
                    train,
                    new FitOptions()
                            .batchSize(options.batchSize())
                            .epochs(options.epochs())
                            .seed(options.seed())
                            .validationData(test)
                            .verbose(options.integer("verbose")));
            Map<String, Double> scores = model.evaluate(test);
            System.out.printf(
                    Locale.ROOT,
                    "test loss %.4f, test accuracy %.2f%%%s%n",
                    scores.get("loss"),
                    100 * scores.get("accuracy"),
                    kind.digits() ? " (the course, on the 60,000 MNIST digits: ≈ 98%)" : "");
            HistoryFiles.write(history.history(), job.output(), "history");
            Drawing.charts(() -> Charts.saveHistoryCharts(
                            history.history(),
                            "784-1024-512-512 relu-10 softmax, Adam 1e-4",
                            job.output().dir(),
                            ""))
                    .forEach(job.output()::wrote);

            model.save(file);
            job.output().wrote(file);
            System.out.printf(Locale.ROOT, "saved the model to %s (%,d bytes)%n", file, Files.size(file));
            try (Model loaded = Model.load(file, job.backend());
                    TensorScope scope = TensorScope.open()) {
                Tensor x = Tensor.of(test.features(), test.size(), 784);
                float[] before = model.predict(x, 256).toFloatArray();
                float[] after = loaded.predict(x, 256).toFloatArray();
                double maxDifference = 0;
                int sameClass = 0;
                for (int i = 0; i < test.size(); i++) {
                    int a = argmax(before, i * 10);
                    int b = argmax(after, i * 10);
                    sameClass += a == b ? 1 : 0;
                    for (int k = 0; k < 10; k++) {
                        maxDifference = Math.max(maxDifference, Math.abs(before[i * 10 + k] - after[i * 10 + k]));
                    }
                }
                double loadedAccuracy = loaded.evaluate(test).get("accuracy");
                System.out.printf(
                        Locale.ROOT,
                        "loaded it again: %d of %d test %s get the same class, "
                                + "max |Δ probability| = %s, test accuracy %.2f%%%n",
                        sameClass,
                        test.size(),
                        kind.items(),
                        maxDifference,
                        100 * loadedAccuracy);
                if (sameClass != test.size() || maxDifference > 1e-6) {
                    throw new IllegalStateException("the loaded model predicts differently from the saved one: "
                            + (test.size() - sameClass) + " classes differ, max |Δ| = " + maxDifference
                            + "; expected identical predictions");
                }
                int[] labels = Arrays.copyOf(digits.test().labels(), Math.min(10, test.size()));
                System.out.println("first test " + kind.items() + ": labels " + names(labels, kind) + ", predicted "
                        + names(predicted(after, 10), kind));
            }
        }
    }

    /** Labels as the data set names its classes: [7, 2, 1] for digits, [Ankle boot, Pullover] for Fashion-MNIST. */
    private static String names(int[] labels, DigitData.Kind kind) {
        List<String> out = new ArrayList<>();
        for (int label : labels) {
            out.add(kind.className(label));
        }
        return out.toString();
    }

    private static int[] predicted(float[] probabilities, int n) {
        int[] out = new int[Math.min(n, probabilities.length / 10)];
        for (int i = 0; i < out.length; i++) {
            out[i] = argmax(probabilities, i * 10);
        }
        return out;
    }

    private static int argmax(float[] v, int offset) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
            if (v[offset + k] > v[offset + best]) {
                best = k;
            }
        }
        return best;
    }
}
