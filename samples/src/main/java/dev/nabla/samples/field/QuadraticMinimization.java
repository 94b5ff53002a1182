package dev.nabla.samples.field;

import dev.nabla.optim.SGD;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * The course's first optimization example: minimize J(w) = w² − 10w + 25 by gradient descent from w = 0 with
 * learning rate 0.01. After one step w = 0.1, after 1000 steps w ≈ 4.99999 (the minimum is 5). Then the cost's
 * coefficients are fed as data, x = [1, −20, 100], J(w) = x₀w² + x₁w + x₂, and the minimum moves to 10: the same
 * program minimizes whatever cost the data describes.
 */
public final class QuadraticMinimization {
    /** The most steps: minimize.csv holds a line and the chart a point per step (w is at 5 long before). */
    static final int MAX_STEPS = 100_000;

    static final Options.Spec SPEC = Options.program(
                    "nabla-minimize",
                    "Minimizes J(w) = w² − 10w + 25 from w = 0 (learning rate 0.01), then J(w) = x0·w² + x1·w + x2 "
                            + "with the coefficients x = [1, −20, 100] fed as data: the course's first optimization "
                            + "example.")
            .epochs(
                    1000,
                    "gradient-descent steps, at most " + MAX_STEPS + " (minimize.csv has a line and the chart "
                            + "a point for every step)")
            .batchSize(1, "not used: one variable, no batches")
            .positiveDoubleOption("lr", "RATE", 0.01, "learning rate")
            .example("nabla-minimize --epochs 2000 --lr 0.005");

    private QuadraticMinimization() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, QuadraticMinimization::minimize);
    }

    /** w after each step of minimizing x₀w² + x₁w + x₂ from w = 0 (entry 0 is the start). */
    @SuppressWarnings("try") // the scopes release what their blocks make
    static double[] descend(float[] coefficients, int steps, double lr) {
        double[] w = new double[steps + 1];
        try (Tensor x = Tensor.of(coefficients, 3); // the cost's coefficients, as data
                Tensor weight = Tensor.zeros(1).requiresGrad(true);
                SGD sgd = new SGD(lr)) {
            for (int t = 1; t <= steps; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor cost = x.select(0, 0)
                            .mul(weight.square())
                            .add(x.select(0, 1).mul(weight))
                            .add(x.select(0, 2));
                    cost.sum().backward();
                    sgd.step(List.of(weight));
                }
                w[t] = weight.item();
            }
        }
        return w;
    }

    private static void minimize(Job job) {
        int steps = job.options().epochs();
        if (steps > MAX_STEPS) {
            throw new UsageException("--epochs must be at most " + MAX_STEPS + " steps (minimize.csv has a line and "
                    + "the chart a point for every step), got " + steps);
        }
        double lr = job.options().real("lr");
        double[] plain = descend(new float[] {1, -10, 25}, steps, lr);
        double[] fromData = descend(new float[] {1, -20, 100}, steps, lr);

        System.out.printf(Locale.ROOT, "J(w) = w² − 10w + 25, w(0) = 0, learning rate %s%n", lr);
        System.out.printf(Locale.ROOT, "  after 1 step:     w = %.6f   (the course: 0.1)%n", plain[Math.min(1, steps)]);
        System.out.printf(
                Locale.ROOT,
                "  after %d steps: w = %.6f   (the course, after 1000: ≈ 4.99999; " + "minimum 5)%n",
                steps,
                plain[steps]);
        System.out.println("J(w) = x0·w² + x1·w + x2 with x = [1, −20, 100] as data");
        System.out.printf(Locale.ROOT, "  after %d steps: w = %.6f   (minimum 10)%n", steps, fromData[steps]);

        StringBuilder csv = new StringBuilder("step,w,J,w_data,J_data\n");
        double[] steps0 = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            steps0[t] = t;
            csv.append(String.format(
                    Locale.ROOT,
                    "%d,%.8g,%.8g,%.8g,%.8g%n",
                    t,
                    plain[t],
                    cost(1, -10, 25, plain[t]),
                    fromData[t],
                    cost(1, -20, 100, fromData[t])));
        }
        job.output().wrote(HistoryFiles.writeAtomically(job.output().file("minimize.csv"), csv.toString()));

        Drawing.charts(() -> {
                    XYChart chart = Charts.lineChart("Gradient descent from w = 0, learning rate " + lr, "step", "w");
                    Charts.curve(chart, "J = w² − 10w + 25 (minimum 5)", steps0, plain, Charts.PALETTE[0], false);
                    Charts.curve(
                            chart,
                            "J = x·[w², w, 1], x = [1, −20, 100] (minimum 10)",
                            steps0,
                            fromData,
                            Charts.PALETTE[1],
                            false);
                    return List.of(Charts.save(chart, job.output().file("minimize.png")));
                })
                .forEach(job.output()::wrote);
    }

    private static double cost(double a, double b, double c, double w) {
        return a * w * w + b * w + c;
    }
}
