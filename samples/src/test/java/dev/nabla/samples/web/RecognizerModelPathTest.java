package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nabla.samples.cli.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nabla-recognizer --model PATH where PATH does not exist trains a model and saves it there; a PATH where nothing can
 * be saved is refused before the training (exit 3), in one line naming the path and why.
 */
class RecognizerModelPathTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    RecognizerServer.Launch launch(String... args) {
        return RecognizerServer.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void aModelPathUnderAFileIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder");
        Path model = file.resolve("model.nabla");
        try (RecognizerServer.Launch launch = launch("--backend", "cpu", "--network", "small", "--model",
                model.toString(), "--port", "0")) {
            assertEquals(ExitCode.DATA_UNAVAILABLE, launch.exitCode());
        }
        assertEquals("nabla-recognizer: cannot save the model to " + model + ": " + file + " is a file, not a folder; "
                + "give --model a path in a writable folder, or leave --model out to keep the trained model in memory "
                + "only", err());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("training"), "refused before training");
    }

    @Test
    void aModelPathInAReadOnlyFolderIsRefusedBeforeTraining() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("read-only"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(folder), "permissions bind this user (root ignores them)");
            Path model = folder.resolve("model.nabla");
            try (RecognizerServer.Launch launch = launch("--backend", "cpu", "--network", "small", "--model",
                    model.toString(), "--port", "0")) {
                assertEquals(ExitCode.DATA_UNAVAILABLE, launch.exitCode());
            }
            assertEquals("nabla-recognizer: cannot save the model to " + model + ": permission denied (cannot write in "
                    + folder + "); give --model a path in a writable folder, or leave --model out to keep the trained "
                    + "model in memory only", err());
            assertFalse(out.toString(StandardCharsets.UTF_8).contains("training"), "refused before training");
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void theWritabilityCheckLeavesNoFileBehind() throws Exception {
        Path model = dir.resolve("new-folder").resolve("model.nabla");
        RecognizerModels.requireWritable(model);
        try (var files = Files.list(model.getParent())) {
            assertEquals(0, files.count(), "the probe file is removed");
        }
    }
}
