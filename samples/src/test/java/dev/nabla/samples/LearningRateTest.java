package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.field.DeepMlp;
import dev.nabla.samples.field.GradientDescentPath;
import dev.nabla.samples.field.LogisticRegression;
import dev.nabla.samples.field.MnistMlp;
import dev.nabla.samples.field.Perceptrons;
import dev.nabla.samples.field.QuadraticMinimization;
import dev.nabla.samples.field.SoftmaxRegression;
import dev.nabla.samples.train.TrainCli;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every learning rate a launcher takes must be a finite number above 0: anything else is exit 2 before any work. */
class LearningRateTest {
    static Stream<Arguments> rateOptions() {
        return Stream.of(
                Arguments.of("nabla-deep-mlp", "--lr", (Function<String[], Integer>) DeepMlp::run),
                Arguments.of("nabla-mnist-mlp", "--sgd-lr", (Function<String[], Integer>) MnistMlp::run),
                Arguments.of("nabla-mnist-mlp", "--adam-lr", (Function<String[], Integer>) MnistMlp::run),
                Arguments.of(
                        "nabla-logistic-regression", "--lr", (Function<String[], Integer>) LogisticRegression::run),
                Arguments.of("nabla-softmax-regression", "--lr", (Function<String[], Integer>) SoftmaxRegression::run),
                Arguments.of("nabla-perceptron", "--lr", (Function<String[], Integer>) Perceptrons::run),
                Arguments.of("nabla-minimize", "--lr", (Function<String[], Integer>) QuadraticMinimization::run),
                Arguments.of("nabla-gradient-descent", "--lr", (Function<String[], Integer>) GradientDescentPath::run),
                Arguments.of("nabla-train", "--lr", (Function<String[], Integer>) TrainCli::run));
    }

    @ParameterizedTest(name = "{0} {1} -1")
    @MethodSource("rateOptions")
    void aNegativeRateIsRefusedInOneLine(String launcher, String option, Function<String[], Integer> run) {
        Captured result = Captured.run(() -> run.apply(new String[] {"--backend", "cpu", option, "-1"}));
        assertEquals(ExitCode.BAD_ARGUMENTS, result.exitCode());
        assertEquals(launcher + ": " + option + " must be positive, got -1 (try --help)", StderrLine.of(result));
    }

    @ParameterizedTest(name = "{0} {1} 0")
    @MethodSource("rateOptions")
    void aZeroRateIsRefused(String launcher, String option, Function<String[], Integer> run) {
        Captured result = Captured.run(() -> run.apply(new String[] {"--backend", "cpu", option + "=0"}));
        assertEquals(ExitCode.BAD_ARGUMENTS, result.exitCode());
        assertEquals(launcher + ": " + option + " must be positive, got 0 (try --help)", StderrLine.of(result));
    }

    @ParameterizedTest(name = "{0} {1} NaN and Infinity")
    @MethodSource("rateOptions")
    void aRateThatIsNotFiniteIsRefused(String launcher, String option, Function<String[], Integer> run) {
        for (String value : new String[] {"NaN", "Infinity"}) {
            Captured result = Captured.run(() -> run.apply(new String[] {"--backend", "cpu", option, value}));
            assertEquals(ExitCode.BAD_ARGUMENTS, result.exitCode());
            assertEquals(
                    launcher + ": " + option + " must be a finite positive number, got " + value + " (try --help)",
                    StderrLine.of(result));
        }
    }
}
