package dev.nabla.samples.field;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.MeanSquaredError;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.samples.cli.DigitData;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MNIST network of the course examples, 784-512 tanh-10 softmax with mean squared error, trained twice from the
 * same initial weights: with SGD (learning rate 0.01) and with Adam (0.001), batch 128. The course reports 89.5 %
 * and 98.19 % test accuracy after 50 epochs on the 60,000 MNIST digits, and plot train and validation accuracy of
 * both per epoch in one chart; this sample draws that chart. On the 8,000 embedded digits an epoch is 63 updates
 * instead of 469, so SGD is much further from its final accuracy after the same number of epochs (use {@code
 * --data} with the full MNIST for the course's setting).
 */
public final class MnistMlp {
    static final Options.Spec SPEC = Options.program(
                    "nabla-mnist-mlp",
                    "784-512 tanh-10 softmax, MSE, SGD (0.01) versus Adam (0.001): final test accuracies and the "
                            + "train/validation accuracy of both per epoch in one chart, as the course draws it.")
            .epochs(20)
            .batchSize(128)
            .data()
            .positiveDoubleOption("sgd-lr", "RATE", 0.01, "SGD's learning rate")
            .positiveDoubleOption("adam-lr", "RATE", 0.001, "Adam's learning rate")
            .choiceOption("verbose", "2", "0 silent, 1 progress bar, 2 one line per epoch", "0", "1", "2")
            .example("nabla-mnist-mlp --data ~/data/mnist --epochs 50");

    private MnistMlp() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, MnistMlp::compare);
    }

    /** The notes' network: 784-512 tanh-10 softmax. */
    static Sequential network() {
        return new Sequential(new Input(784), new Dense(512, "tanh"), new Dense(10, "softmax"));
    }

    private static void compare(Job job) {
        Options options = job.options();
        DigitData.Digits loaded = DigitData.open(options);
        TrainTest digits = loaded.data();
        Dataset train = digits.train().toCategorical(10);
        Dataset test = digits.test().toCategorical(10);
        Map<String, Map<String, List<Double>>> runs = new LinkedHashMap<>();
        Map<String, Double> accuracies = new LinkedHashMap<>();
        for (String name : List.of("SGD", "Adam")) {
            Optimizer optimizer =
                    name.equals("SGD") ? new SGD(options.real("sgd-lr")) : new Adam(options.real("adam-lr"));
            System.out.printf(
                    Locale.ROOT,
                    "%n%s, learning rate %s, batch %d, %d epochs%n",
                    name,
                    optimizer.learningRate(),
                    options.batchSize(),
                    options.epochs());
            RandomSeed.set(options.seed()); // both start from the same weights
            try (Sequential model = network()) {
                model.compile(optimizer, new MeanSquaredError(), "accuracy");
                History history = model.fit(
                        train,
                        new FitOptions()
                                .batchSize(options.batchSize())
                                .epochs(options.epochs())
                                .seed(options.seed())
                                .validationData(test)
                                .verbose(options.integer("verbose")));
                accuracies.put(name, model.evaluate(test).get("accuracy"));
                runs.put(name, history.history());
                HistoryFiles.write(history.history(), job.output(), name.toLowerCase(Locale.ROOT) + "-history");
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "test accuracy after %d epochs: SGD %.2f%%, Adam %.2f%%%n",
                options.epochs(),
                100 * accuracies.get("SGD"),
                100 * accuracies.get("Adam"));
        if (loaded.kind().digits()) {
            System.out.println("the course, on the 60,000 MNIST digits after 50 epochs: SGD 89.5% (epoch 1: val 27%), "
                    + "Adam 98.19%");
        }
        Drawing.charts(() -> List.of(
                        Charts.save(
                                Charts.comparisonChart(
                                        runs, "accuracy", "784-512 tanh-10 softmax, MSE: SGD versus Adam"),
                                job.output().file("sgd-vs-adam-accuracy.png")),
                        Charts.save(lossChart(runs), job.output().file("sgd-vs-adam-loss.png"))))
                .forEach(job.output()::wrote);
    }

    private static org.knowm.xchart.XYChart lossChart(Map<String, Map<String, List<Double>>> runs) {
        org.knowm.xchart.XYChart chart =
                Charts.comparisonChart(runs, "loss", "784-512 tanh-10 softmax: MSE loss, SGD versus Adam");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return chart;
    }
}
