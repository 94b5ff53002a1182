package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.data.Idx;
import dev.nabla.data.IdxArray;
import dev.nabla.data.IdxType;
import dev.nabla.data.Mnist;
import dev.nabla.samples.Captured;
import dev.nabla.samples.cli.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nabla-train on data, folders and checkpoints this user may not read: each is reported as "permission
 * denied", with the path and what was expected, and the job exits with 3 (data unavailable). Skipped where
 * the tests run as root, who may read anything whatever its permissions.
 */
class UnreadableInputsTest {
    @TempDir
    Path dir;

    private final List<Path> locked = new ArrayList<>();

    @BeforeEach
    void permissionsStopThisUser() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        lock(Files.createFile(dir.resolve("probe")));
        assumeFalse(
                Files.isReadable(dir.resolve("probe")),
                "running as root (uid 0), who may read any file whatever its permissions");
    }

    private void lock(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        locked.add(path);
    }

    @AfterEach
    void unlock() throws IOException {
        for (Path path : locked) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Runs nabla-train; asserts exit code 3 and the message parts; returns what it printed to stderr. */
    private static String refused(String[] args, String... parts) {
        Captured run = Captured.run(() -> TrainCli.run(args));
        assertEquals(ExitCode.DATA_UNAVAILABLE, run.exitCode(), run.err());
        for (String part : parts) {
            assertTrue(run.err().contains(part), "'" + part + "' in:\n" + run.err());
        }
        return run.err();
    }

    @Test
    void anUnreadableCsvFile() throws IOException {
        Path csv = Files.writeString(dir.resolve("table.csv"), "1,2,0\n3,4,1\n");
        lock(csv);
        refused(
                TrainCliTest.args("--data", csv.toString(), "--model", "2-2:softmax"),
                csv + ": permission denied; expected a readable CSV file");
    }

    @Test
    void anIdxFolderThatMayNotBeOpened() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("mnist"));
        lock(folder);
        refused(
                TrainCliTest.args("--data", folder.toString()),
                folder + ": permission denied; expected a folder this user " + "can open");
    }

    @Test
    void anUnreadableIdxFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("mnist"));
        IdxArray images = new IdxArray(IdxType.UBYTE, new int[] {1, 28, 28}, new byte[784]);
        IdxArray labels = new IdxArray(IdxType.UBYTE, new int[] {1}, new byte[1]);
        for (String name : List.of(Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES)) {
            Idx.write(folder.resolve(name), images);
        }
        for (String name : List.of(Mnist.TRAIN_LABELS, Mnist.TEST_LABELS)) {
            Idx.write(folder.resolve(name), labels);
        }
        Path file = folder.resolve(Mnist.TRAIN_IMAGES);
        lock(file);
        refused(
                TrainCliTest.args("--data", folder.toString()),
                file + ": permission denied; expected a readable IDX file");
    }

    @Test
    void aCheckpointFolderThatMayNotBeOpened() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(ExitCode.OK, TrainCli.run(TrainCliTest.args("--epochs", "1", "--out", run.toString())));
        lock(run);
        refused(
                new String[] {"--backend", "cpu", "--resume", run.toString()},
                "--resume " + run + ": permission denied on the folder " + run);
    }

    @Test
    void anUnreadableCheckpoint() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(ExitCode.OK, TrainCli.run(TrainCliTest.args("--epochs", "1", "--out", run.toString())));
        Path checkpoint = run.resolve(Checkpoint.MODEL_FILE);
        lock(checkpoint);
        refused(
                new String[] {"--backend", "cpu", "--resume", run.toString()},
                "cannot read model file " + checkpoint + ": permission denied");
    }
}
