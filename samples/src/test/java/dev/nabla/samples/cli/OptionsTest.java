package dev.nabla.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    static Options.Spec spec() {
        return Options.program("nabla-example", "An example.")
                .epochs(20)
                .batchSize(128)
                .data()
                .doubleOption("lr", "RATE", 0.01, "learning rate")
                .choiceOption("verbose", "2", "verbosity", "0", "1", "2")
                .flag("fast", "go fast");
    }

    @Test
    void everySampleTakesTheCommonOptionsWithTheirDefaults() {
        Options o = spec().parse();
        assertEquals(20, o.epochs());
        assertEquals(128, o.batchSize());
        assertEquals(42, o.seed());
        assertNull(o.backendName());
        assertNull(o.data(), "no --data: the embedded digits");
        assertEquals(0, o.samples());
        assertEquals(Path.of("nabla-out", "example"), o.out());
        assertFalse(o.flag("fast"));
        assertFalse(o.helpRequested());
    }

    @Test
    void valuesComeAsSeparateArgumentsOrAfterAnEqualsSign() {
        Options o = spec().parse(
                        "--epochs",
                        "3",
                        "--lr=0.5",
                        "--backend",
                        "cpu",
                        "--data",
                        "/tmp/mnist",
                        "--fast",
                        "--out=runs/a");
        assertEquals(3, o.epochs());
        assertEquals(0.5, o.real("lr"));
        assertEquals("cpu", o.backendName());
        assertEquals(Path.of("/tmp/mnist"), o.data());
        assertTrue(o.flag("fast"));
        assertEquals(Path.of("runs/a"), o.out());
        assertTrue(o.isSet("lr"));
        assertFalse(o.isSet("seed"));
    }

    @Test
    void theLastOfARepeatedOptionWins() {
        assertEquals(7, spec().parse("--epochs", "3", "--epochs", "7").epochs());
    }

    @Test
    void helpIsRecognizedAnywhere() {
        assertTrue(spec().parse("--epochs", "3", "--help").helpRequested());
        assertTrue(spec().parse("-h").helpRequested());
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--epoch", "3"))
                .getMessage()
                .contains("unknown option --epoch; did you mean --epochs?"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--colour"))
                .getMessage()
                .contains("unknown option --colour; nabla-example takes --backend, --epochs"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--fast=yes"))
                .getMessage()
                .contains("--fast is a flag; expected no value, got 'yes'"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--lr", "NaN"))
                .getMessage()
                .contains("--lr must be a finite number, got NaN"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--epochs", "three"))
                .getMessage()
                .contains("--epochs expects a whole number, got 'three'"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--epochs", "0"))
                .getMessage()
                .contains("at least 1"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--lr", "fast"))
                .getMessage()
                .contains("a number like 0.01"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--verbose", "3"))
                .getMessage()
                .contains("expected one of 0, 1, 2"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("--batch-size"))
                .getMessage()
                .contains("needs a value"));
        assertTrue(assertThrows(UsageException.class, () -> spec().parse("epochs"))
                .getMessage()
                .contains("unexpected argument 'epochs'"));
    }

    @Test
    void rangesAndPositiveRealsAreCheckedWhenParsed() {
        Options.Spec spec = spec().range("epochs", 1, 1000).positiveDoubleOption("rate", "RATE", 0.1, "a rate");
        assertEquals(
                "--epochs must be from 1 to 1000, got 1001",
                assertThrows(UsageException.class, () -> spec.parse("--epochs", "1001"))
                        .getMessage());
        assertEquals(
                "--epochs expects a whole number from 1 to 1000, got '2147483648'",
                assertThrows(UsageException.class, () -> spec.parse("--epochs", "2147483648"))
                        .getMessage());
        assertEquals(
                "--rate must be positive, got -1",
                assertThrows(UsageException.class, () -> spec.parse("--rate", "-1"))
                        .getMessage());
        assertEquals(0.5, spec.parse("--rate", "0.5").real("rate"));
    }

    @Test
    void debugIsACommonFlagThatIsNotRecordedAsAnArgument() {
        Options o = spec().parse("--debug", "--epochs", "2");
        assertTrue(o.debug());
        assertFalse(spec().parse().debug());
        assertEquals(List.of("--epochs", "2"), o.asArguments());
    }

    @Test
    void aProgramDropsTheCommonOptionsItHasNoUseFor() {
        Options.Spec tool = Options.program("nabla-tool", "A tool.").without("out", "batch-size");
        assertNull(tool.parse().out());
        assertTrue(assertThrows(UsageException.class, () -> tool.parse("--out", "x"))
                .getMessage()
                .contains("unknown option --out"));
        assertFalse(tool.usage().contains("--batch-size"));
    }

    @Test
    void theUsageListsEveryOptionWithItsDefaultAndTheExitCodes() {
        String usage = spec().usage();
        for (String option : List.of(
                "--backend",
                "--epochs",
                "--batch-size",
                "--seed",
                "--out",
                "--data",
                "--samples",
                "--lr",
                "--verbose",
                "--fast",
                "--help")) {
            assertTrue(usage.contains(option), option + " in\n" + usage);
        }
        assertTrue(usage.contains("(default 20)"));
        assertTrue(usage.contains(
                "exit codes: 0 ok, 1 failed (a bug: run again with --debug for the stack trace), 2 bad arguments"));
    }

    @Test
    void theArgumentsAsGivenCanBeRecordedAndReadAgain() {
        Options o = spec().parse("--epochs=3", "--fast", "--lr", "0.5");
        assertEquals(List.of("--epochs", "3", "--fast", "--lr", "0.5"), o.asArguments());
        Options again = spec().parse(o.asArguments().toArray(String[]::new));
        assertEquals(3, again.epochs());
        assertTrue(again.flag("fast"));
    }
}
