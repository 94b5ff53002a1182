package dev.nabla.samples.field;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import dev.nabla.samples.plot.FieldChart;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Softmax regression with C = 4 classes: a single Dense(4, "softmax") layer trained with categorical
 * cross-entropy (whose gradient is dz = ŷ − y) on points of the plane drawn around four centres. Prints
 * The course's softmax example first (softmax of [5, 2, −1, 3] is [0.842, 0.042, 0.002, 0.114], hardmax
 * [1, 0, 0, 0]; with C = 2 softmax is the logistic σ), then trains and draws the decision regions: softmax
 * regression cuts the plane into convex regions with straight borders.
 */
public final class SoftmaxRegression {
    /** The most points per class: the decision-region chart draws every training point, and stays readable. */
    static final int MAX_POINTS = 100_000;

    static final Options.Spec SPEC = Options.program(
                    "nabla-softmax-regression",
                    "Softmax regression with 4 classes on 2-D points in four clusters: the course's softmax numbers,"
                            + " training, test accuracy, and a chart of the decision regions.")
            .epochs(60)
            .batchSize(32)
            .intOption(
                    "points",
                    "N",
                    200,
                    "points per class, three quarters to train, one quarter to test; 4 to " + MAX_POINTS
                            + " (the chart draws every training point)")
            .positiveDoubleOption("lr", "RATE", 0.1, "SGD learning rate")
            .example("nabla-softmax-regression --epochs 100 --points 500");

    /** The clusters' centres, one per class. */
    static final double[][] CENTRES = {{-2, -1}, {2, -2}, {-1, 2.5}, {2.5, 2}};

    static final double SPREAD = 1.0;

    private SoftmaxRegression() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, SoftmaxRegression::train);
    }

    /** {@code perClass} points around each centre, Gaussian with {@link #SPREAD}, labels 0–3, in random order. */
    static Dataset clusters(int perClass, long seed) {
        Random random = new Random(seed);
        int n = perClass * CENTRES.length;
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % CENTRES.length;
            x[2 * i] = (float) (CENTRES[c][0] + SPREAD * random.nextGaussian());
            x[2 * i + 1] = (float) (CENTRES[c][1] + SPREAD * random.nextGaussian());
            y[i] = c;
        }
        return Dataset.of(x, new int[] {2}, y, new int[] {});
    }

    private static void train(Job job) {
        Options options = job.options();
        int points = options.integer("points");
        if (points < 4 || points > MAX_POINTS) {
            throw new UsageException("--points must be from 4 to " + MAX_POINTS + " points per class (the chart "
                    + "draws every training point), got " + points);
        }
        fieldNumbers();
        Dataset[] parts = clusters(points, options.seed()).trainTestSplit(0.75, options.seed());
        Dataset train = parts[0].toCategorical(4);
        Dataset test = parts[1].toCategorical(4);
        RandomSeed.set(options.seed());
        try (Sequential model = new Sequential(new Input(2), new Dense(4, "softmax"))) {
            model.compile(new SGD(options.real("lr")), new CategoricalCrossentropy(), "accuracy");
            History history = model.fit(
                    train,
                    new FitOptions()
                            .epochs(options.epochs())
                            .batchSize(options.batchSize())
                            .seed(options.seed())
                            .validationData(test)
                            .verbose(0));
            Map<String, Double> scores = model.evaluate(test);
            System.out.printf(
                    Locale.ROOT,
                    "trained %d epochs on %d points: train accuracy %.2f%%, test accuracy %.2f%% "
                            + "(%d points), test loss %.4f%n",
                    options.epochs(),
                    train.size(),
                    100 * history.last("accuracy"),
                    100 * scores.get("accuracy"),
                    test.size(),
                    scores.get("loss"));
            float[] w = model.getWeights().get(0);
            float[] b = model.getWeights().get(1);
            System.out.println("W (2 × 4) = " + Arrays.toString(w) + ", b = " + Arrays.toString(b));

            HistoryFiles.write(history.history(), job.output(), "history");
            Drawing.charts(() -> {
                        List<Path> files = new ArrayList<>(Charts.saveHistoryCharts(
                                history.history(),
                                "softmax regression, 4 classes",
                                job.output().dir(),
                                ""));
                        files.add(Charts.save(
                                regions(model, parts[0]), job.output().file("decision-regions.png")));
                        return files;
                    })
                    .forEach(job.output()::wrote);
        }
    }

    /** The course's softmax and hardmax of z = [5, 2, −1, 3], and softmax with two classes against σ. */
    @SuppressWarnings("try") // the scopes release what their blocks make
    static void fieldNumbers() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = Tensor.of(new float[] {5, 2, -1, 3}, 4);
            System.out.printf(
                    Locale.ROOT,
                    "softmax([5, 2, −1, 3]) = %s   (the course: [0.842, 0.042, 0.002, " + "0.114])%n",
                    format(z.softmax(0).toFloatArray()));
            System.out.printf(
                    Locale.ROOT,
                    "hardmax([5, 2, −1, 3]) = %s   (the course: [1, 0, 0, 0])%n",
                    format(z.hardmax(0).toFloatArray()));
            Tensor two = Tensor.of(new float[] {1.5f, 0}, 2);
            System.out.printf(
                    Locale.ROOT,
                    "C = 2: softmax([1.5, 0])[0] = %.4f = σ(1.5) = %.4f%n",
                    two.softmax(0).toFloatArray()[0],
                    Tensor.scalar(1.5).sigmoid().item());
        }
    }

    /** The plane coloured by the predicted class (one batch of predictions), with the training points on top. */
    @SuppressWarnings("try") // the scopes release what their blocks make
    static org.knowm.xchart.XYChart regions(Sequential model, Dataset points) {
        FieldChart chart =
                FieldChart.of("Softmax regression: decision regions of 4 classes", "x₁", "x₂", -6, 6.5, -5.5, 6);
        double[][] centres = chart.cellCentres();
        float[] grid = new float[2 * centres.length];
        for (int k = 0; k < centres.length; k++) {
            grid[2 * k] = (float) centres[k][0];
            grid[2 * k + 1] = (float) centres[k][1];
        }
        int[] predicted;
        try (TensorScope scope = TensorScope.open()) {
            predicted = model.predict(Tensor.of(grid, centres.length, 2), 4096)
                    .argmax(1)
                    .toIntArray();
        }
        Color[] pale = new Color[4];
        for (int c = 0; c < 4; c++) {
            pale[c] = FieldChart.tint(Charts.PALETTE[c], 0.72);
        }
        chart.fill(predicted, pale, new String[] {"region 0", "region 1", "region 2", "region 3"});
        float[] x = points.features();
        int[] labels = points.labels();
        for (int c = 0; c < 4; c++) {
            int count = 0;
            for (int label : labels) {
                count += label == c ? 1 : 0;
            }
            double[] xs = new double[count];
            double[] ys = new double[count];
            int k = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    xs[k] = x[2 * i];
                    ys[k++] = x[2 * i + 1];
                }
            }
            chart.points("class " + c, xs, ys, Charts.PALETTE[c].darker());
        }
        return chart.chart();
    }

    private static String format(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v[i]));
        }
        return s.append(']').toString();
    }
}
