package dev.nabla.samples.train;

import static dev.nabla.samples.train.TrainCliTest.args;
import static dev.nabla.samples.train.TrainCliTest.assertSameModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.Json;
import dev.nabla.io.ModelFile;
import dev.nabla.nn.Model;
import dev.nabla.samples.Captured;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run never overwrites another's results, two jobs never share a folder, an unusable folder is refused before
 * any training, and a resumed run either continues soundly or says which option it cannot honour; a checkpoint
 * whose fields are damaged or edited is refused with the field's name.
 */
class RunFolderAndResumeTest {
    @TempDir
    static Path dir;
    /** One epoch of TrainCliTest's small job (5 batches of 128 over 600 samples). */
    static Path oneEpoch;

    @BeforeAll
    static void trainOneEpoch() {
        oneEpoch = dir.resolve("one-epoch");
        assertEquals(ExitCode.OK, TrainCli.run(args("--epochs", "1", "--out", oneEpoch.toString())));
    }

    private static Path copyOf(Path run, String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(run)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().startsWith(".")) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        return copy;
    }

    @Test
    void aFreshRunIntoAFolderHoldingACheckpointIsRefusedAndTheCheckpointKept() throws IOException {
        Path out = copyOf(oneEpoch, "refused");
        byte[] before = Files.readAllBytes(out.resolve(Checkpoint.MODEL_FILE));
        Captured run = Captured.run(() -> TrainCli.run(args("--epochs", "1", "--out", out.toString())));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertTrue(
                run.err().contains("holds the checkpoint of an earlier run; continue it with --resume " + out),
                run.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve(Checkpoint.MODEL_FILE)), "the checkpoint is kept");
    }

    @Test
    void overwriteReplacesTheEarlierRun() throws IOException {
        Path out = copyOf(oneEpoch, "overwritten");
        assertEquals(ExitCode.OK, TrainCli.run(args("--epochs", "2", "--overwrite", "--out", out.toString())));
        assertEquals(2, Checkpoint.read(out, 128).epochsDone());
    }

    @Test
    void withoutOutEachFreshRunClaimsAFolderOfItsOwn() {
        Path base = dir.resolve("default-out");
        try (RunFolder first = RunFolder.claimNew(base);
                RunFolder second = RunFolder.claimNew(base)) {
            assertEquals(base.resolve("run-1"), first.dir());
            assertEquals(base.resolve("run-2"), second.dir());
        }
        assertFalse(Files.exists(base.resolve("run-1")), "a claimed folder in which nothing was written is removed");
    }

    @Test
    void aFolderInUseByAnotherJobIsRefused() {
        Path out = dir.resolve("in-use");
        try (RunFolder held = RunFolder.open(out)) {
            Captured run = Captured.run(() -> TrainCli.run(args("--epochs", "1", "--out", out.toString())));
            assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
            assertTrue(
                    run.err()
                            .contains("--out " + out + " is in use by another nabla-train job (pid "
                                    + ProcessHandle.current().pid() + ")"),
                    run.err());
        }
        assertEquals(ExitCode.OK, TrainCli.run(args("--epochs", "1", "--out", out.toString())), "free once released");
    }

    @Test
    void anUnusableOutIsRefusedBeforeAnyTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Captured run =
                Captured.run(() -> TrainCli.run(args("--epochs", "1", "--verbose", "2", "--out", file.toString())));
        assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode());
        assertTrue(run.err().contains("--out " + file + " is a file, not a folder"), run.err());
        assertFalse(run.out().contains("Epoch"), "nothing was trained: " + run.out());

        Captured under = Captured.run(
                () -> TrainCli.run(args("--out", file.resolve("sub").toString())));
        assertEquals(ExitCode.BAD_ARGUMENTS, under.exitCode(), under.err());
        assertTrue(under.err().contains("cannot create the folder"), under.err());
    }

    @Test
    void aFolderWithoutRoomForTheCheckpointsIsRefusedNamingBothSizes() {
        try (RunFolder folder = RunFolder.open(dir.resolve("space"))) {
            UsageException e = assertThrows(UsageException.class, () -> folder.requireSpace(Long.MAX_VALUE / 2));
            assertTrue(e.getMessage().contains("MB free; this job's checkpoints need about"), e.getMessage());
        }
    }

    @Test
    void leftoversOfAKilledSaveAreRemovedWhenTheFolderIsNextUsed() throws IOException {
        Path out = copyOf(oneEpoch, "leftovers");
        Path leftover = Files.writeString(out.resolve(".checkpoint.nabla.0123456789abcdef.tmp"), "half a model");
        Path unrelated = Files.writeString(out.resolve(".notes.tmp"), "the user's");
        assertEquals(ExitCode.OK, TrainCli.run("--resume", out.toString(), "--epochs", "2"));
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(unrelated), "only names that our saves give are removed");
    }

    @Test
    void checkpointsAndModelsFollowTheUmaskLikeEveryOtherFile() throws IOException {
        Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path reference = Files.createFile(dir.resolve("made-with-the-umask"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        assertEquals(expected, Files.getPosixFilePermissions(oneEpoch.resolve(Checkpoint.MODEL_FILE)));
        assertEquals(expected, Files.getPosixFilePermissions(oneEpoch.resolve(TrainJob.MODEL_FILE)));
        assertEquals(expected, Files.getPosixFilePermissions(oneEpoch.resolve("history.csv")));
    }

    @Test
    void aResumedRunMayChangeTheBatchSizeEvenInTheMiddleOfAnEpoch() throws IOException {
        Path out = dir.resolve("batch-change");
        StopSignal signal = new StopSignal();
        assertEquals(
                ExitCode.INTERRUPTED,
                TrainCli.run(
                        args("--epochs", "2", "--out", out.toString()), signal, TrainCliTest.stopAtBatch(7, signal)));
        Checkpoint stopped = Checkpoint.read(out, 128);
        assertEquals(256, stopped.samplesDone());

        assertEquals(ExitCode.OK, TrainCli.run("--resume", out.toString(), "--batch-size", "1024"));
        Checkpoint done = Checkpoint.read(out, 128);
        assertEquals(2, done.epochsDone());
        assertEquals(8, done.iterations(), "the 344 samples left of epoch 2 in one batch of up to 1024");
        assertEquals(1024, done.batchSize());
    }

    @Test
    void aResumedRunRefusesOtherDataOrAnotherModelNamingTheOption() throws IOException {
        Path out = copyOf(oneEpoch, "changed");
        for (List<String> change : List.of(
                List.of("--samples", "300"),
                List.of("--seed", "8"),
                List.of("--data", dir.toString()),
                List.of("--lr", "0.5"),
                List.of("--model", "784-32-10"))) {
            String[] command = java.util.stream.Stream.concat(
                            java.util.stream.Stream.of("--resume", out.toString(), "--epochs", "2"), change.stream())
                    .toArray(String[]::new);
            Captured run = Captured.run(() -> TrainCli.run(command));
            assertEquals(ExitCode.BAD_ARGUMENTS, run.exitCode(), change + ": " + run.err());
            assertTrue(
                    run.err().contains(change.get(0) + " " + change.get(1) + " differs from the checkpoint's run"),
                    run.err());
        }
        assertEquals(
                ExitCode.OK,
                TrainCli.run("--resume", out.toString(), "--epochs", "2", "--samples", "600"),
                "the recorded value again is no change");
    }

    @Test
    void aCheckpointWithAFieldOutOfRangeIsRefusedNamingTheField() throws IOException {
        Map<String, Object> edits = new LinkedHashMap<>();
        edits.put("epochs_done", 1e12);
        edits.put("iterations", -5L);
        edits.put("samples_done", 600L);
        edits.put("batch_size", 0L);
        edits.put("arguments", List.of(1, 2));
        edits.put("history", Map.of("loss", List.of(0.5, 0.4, 0.3)));
        Map<String, String> expected = Map.of(
                "epochs_done",
                "epochs_done is 1000000000000.0; expected a whole number from 0 " + "to 2147483647",
                "iterations",
                "iterations is -5; expected a whole number from 0",
                "samples_done",
                "samples_done is 600; expected a whole number from 0 to 599",
                "batch_size",
                "batch_size is 0; expected a whole number from 1",
                "arguments",
                "arguments holds 1; expected strings",
                "history",
                "history.loss is not a list of at most epochs_done (1) values");
        for (Map.Entry<String, Object> edit : edits.entrySet()) {
            Path out = copyOf(oneEpoch, "edited-" + edit.getKey());
            Path file = out.resolve(Checkpoint.MODEL_FILE);
            Map<String, Object> state = new LinkedHashMap<>(ModelFile.metadata(file));
            state.put(edit.getKey(), edit.getValue());
            try (Model model = Model.load(file)) {
                model.save(file, state);
            }
            Captured run = Captured.run(() -> TrainCli.run("--resume", out.toString(), "--epochs", "3"));
            assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode(), run.err());
            assertTrue(
                    run.err().contains(expected.get(edit.getKey())) && run.err().contains("damaged or was edited"),
                    run.err());
        }
    }

    @Test
    void aVersion1CheckpointOfTwoFilesStillResumesExactly() throws IOException {
        Path out = copyOf(oneEpoch, "version-1");
        Path model = out.resolve(Checkpoint.MODEL_FILE);
        Checkpoint state = Checkpoint.read(out, 128);
        try (Model m = Model.load(model)) {
            m.save(model); // the model alone, as version 1 wrote it
        }
        Map<String, Object> legacy = new LinkedHashMap<>();
        legacy.put("format", "nabla-train checkpoint");
        legacy.put("version", 1L);
        legacy.put("epochs_done", 1L);
        legacy.put("batches_done", 0L);
        legacy.put("iterations", 5L);
        legacy.put("model_file", "checkpoint.nabla");
        legacy.put("arguments", state.arguments());
        legacy.put("history", Map.of("loss", List.of(state.history().get("loss").get(0))));
        Files.writeString(out.resolve(Checkpoint.LEGACY_STATE_FILE), Json.write(legacy));

        assertEquals(ExitCode.OK, TrainCli.run("--resume", out.toString(), "--epochs", "2"));
        assertSameModel(twoEpochs(), out.resolve(TrainJob.MODEL_FILE));
    }

    /** The final model of an uninterrupted two-epoch run of the same job. */
    private static Path twoEpochs() {
        Path out = dir.resolve("two-epochs");
        if (!Files.exists(out.resolve(TrainJob.MODEL_FILE))) {
            assertEquals(ExitCode.OK, TrainCli.run(args("--epochs", "2", "--out", out.toString())));
        }
        return out.resolve(TrainJob.MODEL_FILE);
    }
}
