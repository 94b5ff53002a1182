package dev.nabla.samples;

import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.data.EmbeddedDigits;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: trains the 784-512 tanh-10 softmax network with Adam on the 10,000 MNIST digits embedded in
 * this jar (8,000 to train, 2,000 to test), with Keras' progress bar, and prints the final test accuracy. The
 * backend is the one {@code --backend} or {@code NABLA_BACKEND} names, else the best available. {@code --seed}
 * fixes the initial weights and the shuffling, so a run repeats exactly on one backend.
 */
public final class Main {
    static final Options.Spec SPEC = Options.program(
                    "nabla-main",
                    "Trains a 784-512 tanh-10 softmax network with Adam on the 10,000 embedded MNIST digits "
                            + "and prints its test accuracy.")
            .without("out")
            .epochs(10)
            .batchSize(128)
            .choiceOption("verbose", "1", "0 silent, 1 progress bar, 2 one line per epoch", "0", "1", "2")
            .example("nabla-main --epochs 3")
            .example("NABLA_BACKEND=opencl nabla-main");

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the main job and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, job -> {
            TrainTest digits = EmbeddedDigits.load();
            Dataset train = digits.train().flatten().toCategorical(10);
            Dataset test = digits.test().flatten().toCategorical(10);
            System.out.printf(
                    Locale.ROOT, "%d embedded MNIST digits to train on, %d to test%n", train.size(), test.size());
            long seed = job.options().seed();
            RandomSeed.set(seed); // the initial weights too, not only the shuffling: one seed, one run
            try (Sequential model = new Sequential(new Input(784), new Dense(512, "tanh"), new Dense(10, "softmax"))) {
                model.compile(new Adam(0.001), new CategoricalCrossentropy(), "accuracy");
                model.summary();
                model.fit(
                        train,
                        new FitOptions()
                                .batchSize(job.options().batchSize())
                                .epochs(job.options().epochs())
                                .shuffle(true)
                                .seed(seed)
                                .validationData(test)
                                .verbose(job.options().integer("verbose")));
                Map<String, Double> scores = model.evaluate(test);
                System.out.printf(
                        Locale.ROOT,
                        "test loss %.4f, test accuracy %.2f%%%n",
                        scores.get("loss"),
                        100 * scores.get("accuracy"));
            }
        });
    }

    private Main() {}
}
