package dev.nabla.samples.field;

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
import java.util.List;
import java.util.Locale;

/**
 * The course's example of gradient descent in two variables: J(x) = x₁² + 2x₂² − x₁x₂, ∇J = [2x₁ − x₂, 4x₂ − x₁],
 * from x(0) = [−5, 4] with η = 0.1, x(t+1) = x(t) − η∇J(x(t)). The gradient comes from autograd and the step from
 * {@link SGD}; the course's numbers are x(1) = [−3.6, 1.9], x(2) = [−2.69, 0.78] and x(30) ≈ [−0.0161, −0.00665].
 * Writes the path (CSV) and a chart of it on the contours of J.
 */
public final class GradientDescentPath {
    /** The most steps: path.csv holds a line and the chart a point per step (and the path is flat long before). */
    static final int MAX_STEPS = 100_000;

    static final Options.Spec SPEC = Options.program(
                    "nabla-gradient-descent",
                    "Gradient descent on J(x) = x1² + 2·x2² − x1·x2 from x(0) = [−5, 4] with η = 0.1, the course's "
                            + "example: prints x(1), x(2), x(30) and draws the path on the contours of J.")
            .epochs(
                    30,
                    "gradient-descent steps (one update per epoch, as batch GD), at most " + MAX_STEPS
                            + " (path.csv has a line and the chart a point for every step)")
            .batchSize(1, "not used: the cost has no data")
            .positiveDoubleOption("lr", "RATE", 0.1, "learning rate η")
            .example("nabla-gradient-descent --epochs 50 --lr 0.05");

    private GradientDescentPath() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, GradientDescentPath::descend);
    }

    /** J(x₁, x₂) on the host, for the contours. */
    static double cost(double x1, double x2) {
        return x1 * x1 + 2 * x2 * x2 - x1 * x2;
    }

    /** J on tensors, as the notes write it: autograd derives ∇J. */
    static Tensor cost(Tensor x) {
        Tensor x1 = x.select(0, 0);
        Tensor x2 = x.select(0, 1);
        return x1.square().add(x2.square().mul(2)).sub(x1.mul(x2));
    }

    @SuppressWarnings("try") // the scopes release what their blocks make
    private static void descend(Job job) {
        int steps = job.options().epochs();
        if (steps > MAX_STEPS) {
            throw new UsageException("--epochs must be at most " + MAX_STEPS + " steps (path.csv has a line and the "
                    + "chart a point for every step), got " + steps);
        }
        double eta = job.options().real("lr");
        double[][] path = new double[steps + 1][];
        try (Tensor x = Tensor.of(new float[] {-5, 4}, 2).requiresGrad(true);
                SGD sgd = new SGD(eta)) {
            path[0] = toDoubles(x.toFloatArray());
            for (int t = 1; t <= steps; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    cost(x).backward(); // x.grad() = ∇J(x(t−1))
                    sgd.step(List.of(x)); // x(t) = x(t−1) − η·∇J
                }
                path[t] = toDoubles(x.toFloatArray());
            }
        }
        System.out.printf(Locale.ROOT, "J(x) = x1² + 2·x2² − x1·x2, x(0) = [-5, 4], η = %s%n", eta);
        for (int t : new int[] {1, 2, 30}) {
            if (t <= steps) {
                System.out.printf(
                        Locale.ROOT,
                        "x(%d) = [%.5g, %.5g]   J = %.6g%n",
                        t,
                        path[t][0],
                        path[t][1],
                        cost(path[t][0], path[t][1]));
            }
        }
        if (steps != 30) {
            System.out.printf(
                    Locale.ROOT,
                    "x(%d) = [%.5g, %.5g]   J = %.6g%n",
                    steps,
                    path[steps][0],
                    path[steps][1],
                    cost(path[steps][0], path[steps][1]));
        }
        System.out.println("the course: x(1) = [-3.6, 1.9], x(2) = [-2.69, 0.78], x(30) ≈ [-0.0161, -0.00665]");

        StringBuilder csv = new StringBuilder("step,x1,x2,J\n");
        for (int t = 0; t <= steps; t++) {
            csv.append(String.format(
                    Locale.ROOT, "%d,%.8g,%.8g,%.8g%n", t, path[t][0], path[t][1], cost(path[t][0], path[t][1])));
        }
        job.output().wrote(HistoryFiles.writeAtomically(job.output().file("path.csv"), csv.toString()));
        Drawing.charts(() -> List.of(Charts.save(chart(path, eta), job.output().file("gradient-descent-path.png"))))
                .forEach(job.output()::wrote);
    }

    /** The path on filled contour bands of J, with the level curves between the bands. */
    static org.knowm.xchart.XYChart chart(double[][] path, double eta) {
        double[] levels = {0.5, 1, 2, 4, 8, 16, 32, 64};
        Color[] bands = new Color[levels.length + 1];
        for (int i = 0; i < bands.length; i++) {
            // light blue near the minimum to pale yellow far away
            double t = (double) i / (bands.length - 1);
            bands[i] = new Color((int) (158 + 97 * t), (int) (202 + 46 * t), (int) (225 - 45 * t));
        }
        FieldChart chart = FieldChart.of(
                String.format(
                        Locale.ROOT,
                        "Gradient descent on J(x) = x₁² + 2x₂² − x₁x₂, η = %s, %d steps",
                        eta,
                        path.length - 1),
                "x₁",
                "x₂",
                -6.5,
                6.5,
                -4,
                4.5);
        chart.fill((a, b) -> band(cost(a, b), levels), bands, null);
        for (int i = 0; i < levels.length; i++) {
            chart.levelCurve(
                    GradientDescentPath::cost,
                    levels[i],
                    0,
                    0,
                    new Color(90, 110, 140),
                    i == 0 ? "level curves J = 0.5, 1, 2, 4 … 64" : "J = " + levels[i],
                    i == 0);
        }
        double[] xs = new double[path.length];
        double[] ys = new double[path.length];
        for (int t = 0; t < path.length; t++) {
            xs[t] = path[t][0];
            ys[t] = path[t][1];
        }
        chart.path("x(t), from x(0) = [−5, 4]", xs, ys, new Color(213, 40, 0));
        chart.points("minimum [0, 0]", new double[] {0}, new double[] {0}, Color.BLACK);
        chart.chart().getStyler().setLegendVisible(true);
        return chart.chart();
    }

    private static int band(double value, double[] levels) {
        int i = 0;
        while (i < levels.length && value >= levels[i]) {
            i++;
        }
        return i;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
