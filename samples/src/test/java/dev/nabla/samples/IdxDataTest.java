package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Mnist;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.field.CrossValidation;
import dev.nabla.samples.field.DeepMlp;
import dev.nabla.samples.field.LogisticRegression;
import dev.nabla.samples.field.MlpVersusCnn;
import dev.nabla.samples.field.MnistMlp;
import dev.nabla.samples.field.ScheduleComparison;
import dev.nabla.samples.train.TrainCli;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --data DIR}: an IDX folder that is readable but not what the sample's network takes (images that are not
 * 28×28, labels outside 0–9, fewer labels than images) is exit 3 with one line naming the file and what was
 * expected, for every sample that reads digits.
 */
class IdxDataTest {
    @TempDir
    Path dir;

    static Stream<Arguments> digitSamples() {
        return Stream.of(
                Arguments.of("nabla-mnist-mlp", (Function<String[], Integer>) MnistMlp::run),
                Arguments.of("nabla-deep-mlp", (Function<String[], Integer>) DeepMlp::run),
                Arguments.of("nabla-mlp-vs-cnn", (Function<String[], Integer>) MlpVersusCnn::run),
                Arguments.of("nabla-logistic-regression", (Function<String[], Integer>) LogisticRegression::run),
                Arguments.of("nabla-kfold", (Function<String[], Integer>) CrossValidation::run),
                Arguments.of("nabla-schedules", (Function<String[], Integer>) ScheduleComparison::run));
    }

    Captured run(Function<String[], Integer> sample, Path data) {
        return Captured.run(() -> sample.apply(new String[] {
            "--backend",
            "cpu",
            "--epochs",
            "1",
            "--data",
            data.toString(),
            "--out",
            dir.resolve("out").toString()
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digitSamples")
    void imagesThatAreNot28By28AreRefused(String launcher, Function<String[], Integer> sample) throws IOException {
        Path data = IdxFolders.write(dir.resolve("small-images"), 10, IdxFolders.cycle(20));
        Captured result = run(sample, data);
        assertEquals(ExitCode.DATA_UNAVAILABLE, result.exitCode());
        assertEquals(
                launcher + ": data unavailable: " + data.resolve(Mnist.TRAIN_IMAGES) + " holds images of 10×10 "
                        + "pixels; expected MNIST's 28×28 (the sample's network takes 784 inputs)",
                StderrLine.of(result));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digitSamples")
    void labelsOutside0To9AreRefused(String launcher, Function<String[], Integer> sample) throws IOException {
        int[] labels = IdxFolders.cycle(20);
        labels[3] = 12;
        Path data = IdxFolders.write(dir.resolve("label-12"), 28, labels);
        Captured result = run(sample, data);
        assertEquals(ExitCode.DATA_UNAVAILABLE, result.exitCode());
        assertEquals(
                launcher + ": data unavailable: " + data.resolve(Mnist.TRAIN_LABELS) + " holds label 12 at index "
                        + "3; expected class labels 0 to 9 (the sample's network has 10 outputs)",
                StderrLine.of(result));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digitSamples")
    void aLabelFileShorterThanItsImagesIsRefused(String launcher, Function<String[], Integer> sample)
            throws IOException {
        Path data = IdxFolders.write(dir.resolve("short-labels"), 28, IdxFolders.cycle(20));
        IdxFolders.labels(data.resolve(Mnist.TEST_LABELS + ".gz"), IdxFolders.cycle(19));
        Captured result = run(sample, data);
        assertEquals(ExitCode.DATA_UNAVAILABLE, result.exitCode());
        assertEquals(
                launcher + ": data unavailable: " + data.resolve(Mnist.TEST_LABELS + ".gz") + " holds 19 labels "
                        + "but " + data.resolve(Mnist.TEST_IMAGES + ".gz")
                        + " holds 20 images; expected one label per image",
                StderrLine.of(result));
    }

    @Test
    void nablaTrainRefusesTestImagesOfAnotherSizeThanTheTrainingImages() throws IOException {
        Path data = IdxFolders.write(dir.resolve("mixed"), 28, 10, IdxFolders.cycle(20), IdxFolders.cycle(20));
        Captured result = Captured.run(() -> TrainCli.run(
                "--backend",
                "cpu",
                "--data",
                data.toString(),
                "--out",
                dir.resolve("train-out").toString()));
        assertEquals(ExitCode.DATA_UNAVAILABLE, result.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + data.resolve(Mnist.TEST_IMAGES + ".gz") + " holds images of "
                        + "10×10 pixels but " + data.resolve(Mnist.TRAIN_IMAGES)
                        + " holds 28×28; expected training and test "
                        + "images of one size",
                StderrLine.of(result));
    }

    @Test
    void aWellFormedFolderTrains() throws IOException {
        Path data = IdxFolders.write(dir.resolve("good"), 28, IdxFolders.cycle(40));
        Captured result = Captured.run(() -> MnistMlp.run(
                "--backend",
                "cpu",
                "--epochs",
                "1",
                "--verbose",
                "0",
                "--data",
                data.toString(),
                "--out",
                dir.resolve("good-out").toString()));
        assertEquals(ExitCode.OK, result.exitCode(), result.err());
        assertTrue(result.out().contains("40 training and 40 test images (" + data + ")"), result.out());
    }
}
