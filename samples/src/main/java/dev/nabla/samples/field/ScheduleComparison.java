package dev.nabla.samples.field;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.ExponentialDecay;
import dev.nabla.optim.LearningRateSchedule;
import dev.nabla.optim.PiecewiseConstantDecay;
import dev.nabla.optim.PolynomialDecay;
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
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * The three learning-rate schedules of the course examples, in Keras' terms, side by side:
 * <ul>
 * <li>piecewise constant: boundaries [700, 900], values [0.1, 0.05, 0.01];
 * <li>exponential decay: η = 0.1 · 0.5^(step/500) (with staircase the exponent is floored);
 * <li>polynomial decay: step' = min(step, 900), η = (0.1 − 0.01)·(1 − step'/900)^0.5 + 0.01.
 * </ul>
 * Prints each at a few steps, plots them over 1,200 steps, then trains the same network with SGD under each
 * schedule and plots the three runs' accuracy and loss per epoch.
 */
public final class ScheduleComparison {
    static final Options.Spec SPEC = Options.program(
                    "nabla-schedules",
                    "The three learning-rate schedules of the course examples (piecewise constant, exponential, "
                            + "polynomial): their values, a chart of them, and SGD training of 784-128 relu-10 softmax "
                            + "under each.")
            .epochs(16, "training epochs per schedule (16 × 63 batches of 128 ≈ the schedules' 1,000 steps)")
            .batchSize(128)
            .data()
            .example("nabla-schedules --epochs 30");

    private ScheduleComparison() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, ScheduleComparison::compare);
    }

    /** The three schedules by name, plus exponential decay's staircase form for the chart. */
    static Map<String, LearningRateSchedule> schedules(boolean withStaircase) {
        Map<String, LearningRateSchedule> all = new LinkedHashMap<>();
        all.put("piecewise constant", new PiecewiseConstantDecay(new long[] {700, 900}, new double[] {0.1, 0.05, 0.01
        }));
        all.put("exponential", new ExponentialDecay(0.1, 500, 0.5, false));
        if (withStaircase) {
            all.put("exponential, staircase", new ExponentialDecay(0.1, 500, 0.5, true));
        }
        all.put("polynomial", new PolynomialDecay(0.1, 900, 0.01, 0.5));
        return all;
    }

    private static void compare(Job job) {
        Map<String, LearningRateSchedule> schedules = schedules(true);
        long[] shown = {0, 250, 500, 700, 800, 900, 1000};
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "step"));
        for (long step : shown) {
            header.append(String.format(Locale.ROOT, "%8d", step));
        }
        System.out.println(header);
        schedules.forEach((name, schedule) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", name));
            for (long step : shown) {
                line.append(String.format(Locale.ROOT, "%8.4f", schedule.at(step)));
            }
            System.out.println(line);
        });

        int steps = 1200;
        double[] x = new double[steps + 1];
        StringBuilder csv = new StringBuilder("step");
        schedules
                .keySet()
                .forEach(name -> csv.append(',').append(name.replace(", ", "_").replace(' ', '_')));
        csv.append('\n');
        Map<String, double[]> curves = new LinkedHashMap<>();
        schedules.forEach((name, schedule) -> curves.put(name, new double[steps + 1]));
        for (int s = 0; s <= steps; s++) {
            x[s] = s;
            csv.append(s);
            for (Map.Entry<String, LearningRateSchedule> e : schedules.entrySet()) {
                double lr = e.getValue().at(s);
                curves.get(e.getKey())[s] = lr;
                csv.append(',').append(String.format(Locale.ROOT, "%.6g", lr));
            }
            csv.append('\n');
        }
        job.output().wrote(HistoryFiles.writeAtomically(job.output().file("learning-rates.csv"), csv.toString()));
        Drawing.charts(() -> List.of(
                        Charts.save(scheduleChart(curves, x), job.output().file("learning-rates.png"))))
                .forEach(job.output()::wrote);

        train(job);
    }

    /** The same network and initial weights under each schedule. */
    private static void train(Job job) {
        Options options = job.options();
        TrainTest digits = DigitData.load(options);
        Dataset train = digits.train().toCategorical(10);
        Dataset test = digits.test().toCategorical(10);
        Map<String, Map<String, List<Double>>> runs = new LinkedHashMap<>();
        for (Map.Entry<String, LearningRateSchedule> e : schedules(false).entrySet()) {
            RandomSeed.set(options.seed());
            try (Sequential model = new Sequential(new Input(784), new Dense(128, "relu"), new Dense(10, "softmax"))) {
                SGD sgd = new SGD(e.getValue(), 0, false);
                model.compile(sgd, new CategoricalCrossentropy(), "accuracy");
                History history = model.fit(
                        train,
                        new FitOptions()
                                .epochs(options.epochs())
                                .batchSize(options.batchSize())
                                .seed(options.seed())
                                .validationData(test)
                                .verbose(0));
                System.out.printf(
                        Locale.ROOT,
                        "SGD with %-19s %5d updates, final learning rate %.4f: train accuracy "
                                + "%.2f%%, test accuracy %.2f%%%n",
                        e.getKey() + ":",
                        sgd.iterations(),
                        e.getValue().at(sgd.iterations()),
                        100 * history.last("accuracy"),
                        100 * history.last("val_accuracy"));
                runs.put(e.getKey(), history.history());
                HistoryFiles.write(
                        history.history(), job.output(), "history-" + e.getKey().replace(' ', '-'));
            }
        }
        Drawing.charts(() -> {
                    XYChart loss = Charts.comparisonChart(
                            runs, "loss", "784-128 relu-10 softmax, SGD: loss under each schedule");
                    loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
                    return List.of(
                            Charts.save(
                                    Charts.comparisonChart(
                                            runs,
                                            "accuracy",
                                            "784-128 relu-10 softmax, SGD: accuracy under each schedule"),
                                    job.output().file("schedules-accuracy.png")),
                            Charts.save(loss, job.output().file("schedules-loss.png")));
                })
                .forEach(job.output()::wrote);
    }

    private static XYChart scheduleChart(Map<String, double[]> curves, double[] x) {
        XYChart chart = Charts.lineChart(
                "Learning-rate schedules: piecewise constant, exponential, polynomial", "step", "learning rate");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        int i = 0;
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            Charts.curve(
                    chart,
                    e.getKey(),
                    x,
                    e.getValue(),
                    Charts.PALETTE[i++],
                    e.getKey().contains("staircase"));
        }
        return chart;
    }
}
