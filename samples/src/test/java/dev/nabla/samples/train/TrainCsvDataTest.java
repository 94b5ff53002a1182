package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.samples.Captured;
import dev.nabla.samples.StderrLine;
import dev.nabla.samples.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nabla-train on CSV files: values it cannot train on, files too short to split, a test file of other columns
 * (exit 3, one line naming file, line, column and value), and text class labels, which train.
 */
class TrainCsvDataTest {
    @TempDir
    Path dir;

    /** Six rows of two features and a label 0–2, with {@code bad} as the second feature of line {@code line}. */
    Path csvWith(String bad, int line) throws IOException {
        List<String> rows = new ArrayList<>(List.of("1,2,0", "2,3,1", "3,4,2", "4,5,0", "5,6,1", "6,7,2"));
        rows.set(line - 1, "9," + bad + ",1");
        return Files.write(dir.resolve("x.csv"), rows);
    }

    Captured train(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--backend",
                "cpu",
                "--data",
                data.toString(),
                "--model",
                "2-3",
                "--epochs",
                "1",
                "--batch-size",
                "4",
                "--verbose",
                "0",
                "--out",
                dir.resolve("out").toString()));
        args.addAll(List.of(more));
        return Captured.run(() -> TrainCli.run(args.toArray(String[]::new)));
    }

    @Test
    void aNanFeatureIsRefusedWithItsLineAndColumn() throws IOException {
        Path csv = csvWith("NaN", 3);
        Captured run = train(csv);
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + csv + " line 3, column 2: 'NaN' is not a number; expected "
                        + "finite feature values (clean or rescale the data first)",
                StderrLine.of(run));
    }

    @Test
    void anInfiniteFeatureIsRefused() throws IOException {
        Path csv = csvWith("-Infinity", 5);
        Captured run = train(csv);
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + csv + " line 5, column 2: '-Infinity' is infinite; expected "
                        + "finite feature values (clean or rescale the data first)",
                StderrLine.of(run));
    }

    @Test
    void aFeatureBeyondFloatRangeIsRefused() throws IOException {
        Path csv = csvWith("1e40", 2);
        Captured run = train(csv);
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + csv + " line 2, column 2: '1e40' overflows a 32-bit float "
                        + "(at most ±3.4e38); expected finite feature values (clean or rescale the data first)",
                StderrLine.of(run));
    }

    @Test
    void theLineCountsTheHeaderAndBlankLinesAndTheColumnCountsTheLabel() throws IOException {
        Path csv =
                Files.writeString(dir.resolve("label-first.csv"), "label,a,b\n0,1,2\n\n1,\"1e39\",3\n2,3,4\n0,4,5\n");
        Captured run = train(csv, "--csv-header", "--label-column", "0");
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + csv + " line 4, column 2: '1e39' overflows a 32-bit float "
                        + "(at most ±3.4e38); expected finite feature values (clean or rescale the data first)",
                StderrLine.of(run));
    }

    @Test
    void aFileTooShortToHoldOutValidationSaysHowManyRowsItNeeds() throws IOException {
        Path two = Files.writeString(dir.resolve("two.csv"), "1,2,0\n3,4,1\n");
        Captured run = train(two);
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + two + " has 2 data rows; holding out 20% for validation "
                        + "(--validation-split 0.2) needs at least 3, one or more to train on and one or more to validate on; "
                        + "add rows, give --test FILE, or --validation-split 0",
                StderrLine.of(run));

        Path one = Files.writeString(dir.resolve("one.csv"), "1,2,0\n");
        Captured single = train(one, "--validation-split", "0.5");
        assertEquals(ExitCode.DATA_UNAVAILABLE, single.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + one + " has 1 data row; holding out 50% for validation "
                        + "(--validation-split 0.5) needs at least 2, one or more to train on and one or more to validate on; "
                        + "add rows, give --test FILE, or --validation-split 0",
                StderrLine.of(single));

        assertEquals(ExitCode.OK, train(two, "--validation-split", "0").exitCode(), "no validation: two rows train");
    }

    @Test
    void aTestFileWithOtherColumnsIsRefusedNamingBothCounts() throws IOException {
        Path data = csvWith("2", 1);
        Path test = Files.writeString(dir.resolve("y.csv"), "1,2,3,0\n4,5,6,1\n");
        Captured run = train(data, "--test", test.toString());
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: --test " + test + " has 4 columns per row but --data " + data
                        + " has 3; expected the same columns in both (the same features and the label)",
                StderrLine.of(run));
    }

    @Test
    void textClassLabelsTrainAndTheirNamesAreShown() throws IOException {
        Path iris = Files.writeString(dir.resolve("iris.csv"), """
                sepal_length,sepal_width,species
                5.1,3.5,setosa
                7.0,3.2,versicolor
                6.3,3.3,virginica
                4.9,3.0,setosa
                6.4,3.2,versicolor
                5.8,2.7,virginica
                """);
        Captured run = train(iris, "--csv-header");
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("classes (output unit, name): 0 setosa, 1 versicolor, 2 virginica"), run.out());
    }

    @Test
    void aTestFileWithTextLabelsUsesTheTrainingClassesNumbers() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), "1,2,b\n2,3,c\n3,4,a\n4,5,b\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "1,2,c\n2,3,c\n");
        assertEquals(ExitCode.OK, train(train, "--test", test.toString()).exitCode(), "c is class 2 in both");
        Path unknown = Files.writeString(dir.resolve("unknown.csv"), "1,2,c\n2,3,d\n");
        Captured run = train(
                train,
                "--test",
                unknown.toString(),
                "--out",
                dir.resolve("out2").toString());
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: --test " + unknown + " holds class 'd', which --data " + train
                        + " does not; expected only its classes: a, b, c",
                StderrLine.of(run));
    }

    @Test
    void aFeatureThatIsNotANumberIsStillRefusedWhenTheLabelsAreText() throws IOException {
        Path csv = Files.writeString(dir.resolve("words.csv"), "1,2,a\n3,four,b\n");
        Captured run = train(csv);
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertEquals(
                "nabla-train: data unavailable: " + csv + " line 2, column 2: 'four' is not a number; expected a "
                        + "decimal number like 5.1 or -3e-2",
                StderrLine.of(run));
    }

    @Test
    void labelsThatAreNumbersButNotIntegersStayRefused() throws IOException {
        Path csv = Files.writeString(dir.resolve("real.csv"), "1,2,0.5\n3,4,1\n5,6,0\n");
        Captured run = train(csv);
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode());
        assertTrue(StderrLine.of(run).contains("line 1, column 3: label '0.5' is not an integer"), run.err());
    }
}
