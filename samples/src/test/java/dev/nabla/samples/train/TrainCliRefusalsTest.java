package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.samples.Captured;
import dev.nabla.samples.IdxFolders;
import dev.nabla.samples.StderrLine;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nabla-train command lines that cannot mean what they say: refused with exit 2 in one line, before training. */
class TrainCliRefusalsTest {
    @TempDir
    Path dir;

    Captured train(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--backend",
                "cpu",
                "--samples",
                "100",
                "--epochs",
                "1",
                "--verbose",
                "0",
                "--out",
                dir.resolve("out").toString()));
        all.addAll(List.of(args));
        return Captured.run(() -> TrainCli.run(all.toArray(String[]::new)));
    }

    @Test
    void aMetricGivenTwiceIsRefused() {
        Captured run = train("--metrics", "accuracy,accuracy");
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-train: --metrics accuracy,accuracy: accuracy given twice; expected each metric once "
                        + "(try --help)",
                StderrLine.of(run));
    }

    @Test
    void anEmptyMetricsEntryIsRefused() {
        Captured run = train("--metrics", ",");
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-train: --metrics ',' has an empty entry; expected a comma-separated list of one or more "
                        + "of accuracy, categorical_accuracy, sparse_categorical_accuracy, binary_accuracy, precision, recall, "
                        + "mae (try --help)",
                StderrLine.of(run));
        assertEquals(ExitCode.BAD_ARGUMENTS, train("--metrics", "accuracy,,mae").exitCode());
        assertEquals(ExitCode.BAD_ARGUMENTS, train("--metrics", "").exitCode());
    }

    @Test
    void metricsInAnyCaseAndSpacingAreStillAccepted() {
        assertEquals(List.of("accuracy", "mae"), TrainCli.metrics(" Accuracy , mae"));
    }

    @Test
    void dropoutAfterTheOutputLayerIsRefusedWithTheSpecToWriteInstead() {
        Captured run = train("--model", "784-10-dropout0.5");
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-train: network spec '784-10-dropout0.5': dropout cannot follow the output layer; put it "
                        + "before 10, e.g. 784-dropout0.5-10 (try --help)",
                StderrLine.of(run));
        assertEquals(
                "network spec '784-64-10:softmax-dropout0.2-dropout0.1': dropout cannot follow the output layer; "
                        + "put it before 10:softmax, e.g. 784-64-dropout0.2-dropout0.1-10:softmax",
                assertThrows(UsageException.class, () -> NetworkSpec.parse("784-64-10:softmax-dropout0.2-dropout0.1"))
                        .getMessage());
        assertEquals(
                "784-dropout0.5-10:softmax",
                NetworkSpec.parse("784-dropout0.5-10").toString(),
                "dropout before the output stays allowed");
    }

    @Test
    void aTestFileWithIdxDataIsRefusedRatherThanIgnored() throws IOException {
        Path idx = IdxFolders.write(dir.resolve("idx"), 28, IdxFolders.cycle(20));
        Path csv = Files.writeString(dir.resolve("y.csv"), "1,2,0\n");
        Captured run = train("--data", idx.toString(), "--test", csv.toString());
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-train: --test " + csv + " applies to CSV data only; --data " + idx + " is an IDX folder, "
                        + "validated on its own test set (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte); leave --test out, "
                        + "or give --data a CSV file (try --help)",
                StderrLine.of(run));
        assertFalse(Files.exists(dir.resolve("out").resolve("checkpoint.nabla")), "nothing trained");
    }

    @Test
    void csvOptionsWithTheEmbeddedDigitsAreRefused() {
        Captured run = train("--validation-split", "0.3");
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertEquals(
                "nabla-train: --validation-split 0.3 applies to CSV data only; --data embedded is the embedded "
                        + "digits, validated on their own 2,000 test digits; leave --validation-split out, or give --data a "
                        + "CSV file (try --help)",
                StderrLine.of(run));
        assertEquals(ExitCode.BAD_ARGUMENTS, train("--csv-header").exitCode());
        assertEquals(ExitCode.BAD_ARGUMENTS, train("--label-column", "0").exitCode());
    }
}
