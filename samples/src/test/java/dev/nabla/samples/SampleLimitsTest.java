package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.field.GradientDescentPath;
import dev.nabla.samples.field.QuadraticMinimization;
import dev.nabla.samples.field.SoftmaxRegression;
import org.junit.jupiter.api.Test;

/**
 * Sizes a sample cannot honour (arrays of more than 2^31 elements, charts of billions of points) are bad arguments,
 * refused in one line that names the option and its largest value, before any work.
 */
class SampleLimitsTest {
    @Test
    void softmaxRegressionTakesAtMostAHundredThousandPointsPerClass() {
        Captured run = Captured.run(() -> SoftmaxRegression.run("--backend", "cpu", "--points", "2000000000"));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-softmax-regression: --points must be from 4 to 100000 points per class (the chart draws "
                        + "every training point), got 2000000000 (try --help)",
                StderrLine.of(run));
    }

    @Test
    void softmaxRegressionTakesAtLeastFourPointsPerClass() {
        Captured run = Captured.run(() -> SoftmaxRegression.run("--backend", "cpu", "--points", "3"));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-softmax-regression: --points must be from 4 to 100000 points per class (the chart draws "
                        + "every training point), got 3 (try --help)",
                StderrLine.of(run));
    }

    @Test
    void gradientDescentTakesAtMostAHundredThousandSteps() {
        Captured run = Captured.run(() -> GradientDescentPath.run("--backend", "cpu", "--epochs", "2147483647"));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-gradient-descent: --epochs must be at most 100000 steps (path.csv has a line and the chart "
                        + "a point for every step), got 2147483647 (try --help)",
                StderrLine.of(run));
    }

    @Test
    void minimizeTakesAtMostAHundredThousandSteps() {
        Captured run = Captured.run(() -> QuadraticMinimization.run("--backend", "cpu", "--epochs", "2147483647"));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-minimize: --epochs must be at most 100000 steps (minimize.csv has a line and the chart "
                        + "a point for every step), got 2147483647 (try --help)",
                StderrLine.of(run));
    }

    @Test
    void theLimitsAreInTheHelpText() {
        Captured softmax = Captured.run(() -> SoftmaxRegression.run("--help"));
        assertEquals(ExitCode.OK, softmax.exitCode());
        assertEquals(
                true,
                softmax.out().replaceAll("\\s+", " ").contains("4 to 100000 (the chart draws every training point)"),
                softmax.out());
        Captured path = Captured.run(() -> GradientDescentPath.run("--help"));
        assertEquals(
                true,
                path.out()
                        .replaceAll("\\s+", " ")
                        .contains("at most 100000 (path.csv has a line and the chart a point for every " + "step)"),
                path.out());
    }
}
