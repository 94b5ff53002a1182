package dev.nabla.samples;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.samples.data.EmbeddedDigits;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: trains the 784-512 tanh-10 softmax network of the course examples with Adam on the 10,000 MNIST
 * digits embedded in this jar (8,000 to train, 2,000 to test), with Keras' progress bar, and
 * prints the final test accuracy. The backend is the one {@code --backend} or
 * {@code NABLA_BACKEND} names, else the best available. {@code --seed} fixes the initial weights
 * and the shuffling, so a run repeats exactly on one backend.
 */
public final class Main {
    public static void main(String[] args) {
        int epochs = 10, batchSize = 128, verbose = 1;
        long seed = 42;
        String backendName = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(value(args, ++i));
                case "--batch-size" -> batchSize = Integer.parseInt(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--backend" -> backendName = value(args, ++i);
                case "--verbose" -> verbose = Integer.parseInt(value(args, ++i));
                case "--help", "-h" -> {
                    System.out.println("usage: nabla-main [--backend cpu|opencl|cuda] [--epochs 10] [--batch-size 128] "
                            + "[--seed 42] [--verbose 0|1|2]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Backend backend = backendName == null ? Backends.current() : Backends.use(backendName);
        TrainTest digits = EmbeddedDigits.load();
        Dataset train = digits.train().flatten().toCategorical(10);
        Dataset test = digits.test().flatten().toCategorical(10);
        System.out.printf(Locale.ROOT, "%d embedded MNIST digits to train on, %d to test; backend %s (%s)%n",
                train.size(), test.size(), backend.name(), backend.deviceName());

        RandomSeed.set(seed); // the initial weights too, not only the shuffling: one seed, one run
        try (Sequential model = new Sequential(
                new Input(784),
                new Dense(512, "tanh"),
                new Dense(10, "softmax"))) {
            model.compile(new Adam(0.001), new CategoricalCrossentropy(), "accuracy");
            model.summary();
            model.fit(train, new FitOptions()
                    .batchSize(batchSize).epochs(epochs).shuffle(true).seed(seed)
                    .validationData(test).verbose(verbose));
            Map<String, Double> scores = model.evaluate(test);
            System.out.printf(Locale.ROOT, "test loss %.4f, test accuracy %.2f%%%n", scores.get("loss"),
                    100 * scores.get("accuracy"));
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value (try --help)");
        }
        return args[i];
    }

    private Main() {
    }
}
