package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nabla.nn.Dense;
import dev.nabla.nn.Input;
import dev.nabla.nn.Sequential;
import dev.nabla.samples.cli.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nabla-recognizer's command line: the script's --help, and what main does with good and bad arguments. */
class RecognizerLaunchTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    RecognizerServer.Launch launch(String... args) {
        return RecognizerServer.launch(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theScriptPrintsItsUsageThroughTheShell() throws Exception {
        Path bin = Files.isDirectory(Path.of("bin")) ? Path.of("bin") : Path.of("samples", "bin");
        ProcessBuilder builder =
                new ProcessBuilder("sh", bin.resolve("nabla-recognizer").toString(), "--help");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        builder.environment()
                .put("NABLA_CLASSPATH", String.join(File.pathSeparator, classPath.split(File.pathSeparator)));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "--help finishes");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("usage: nabla-recognizer"), output);
        for (String option : List.of("--model", "--backend", "--host", "--port", "--network", "--epochs", "--help")) {
            assertTrue(output.contains(option), "--help lists " + option);
        }
    }

    @Test
    void startsOnTheGivenModelAndServesThePage() throws Exception {
        Path model = TestModels.smallModelFile();
        try (RecognizerServer.Launch launch = launch("--backend", "cpu", "--model", model.toString(), "--port", "0")) {
            assertEquals(ExitCode.OK, launch.exitCode(), err());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("loading the model " + model), printed);
            assertTrue(
                    printed.contains(
                            "the zip-code recognizer is at " + launch.server().url()),
                    printed);
            assertTrue(launch.server().url().startsWith("http://127.0.0.1:"), "localhost by default");
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(launch.server().url()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
        }
    }

    @Test
    void badArgumentsExitWith2() {
        RecognizerServer.Launch launch = launch("--port", "-1");
        assertEquals(ExitCode.BAD_ARGUMENTS, launch.exitCode());
        assertNull(launch.server());
        assertEquals("nabla-recognizer: --port must be from 0 to 65535, got -1 (try --help)", err().trim());
    }

    @Test
    void anUnknownBackendExitsWith4() {
        assertEquals(ExitCode.BACKEND_UNAVAILABLE, launch("--backend", "abacus").exitCode());
        assertTrue(err().contains("unknown backend 'abacus'"), err());
    }

    @Test
    void aModelFileThatIsNotAModelExitsWith3() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.nabla"), "not a model");
        assertEquals(
                ExitCode.DATA_UNAVAILABLE,
                launch("--backend", "cpu", "--model", junk.toString()).exitCode());
        assertTrue(err().contains("cannot use the model " + junk), err());
    }

    @Test
    void aModelThatIsNotADigitClassifierExitsWith3() {
        Path file = dir.resolve("five-classes.nabla");
        try (Sequential model = new Sequential(new Input(784), new Dense(5, "softmax"))) {
            model.backend(TestModels.cpu());
            model.build(784);
            model.save(file);
        }
        assertEquals(
                ExitCode.DATA_UNAVAILABLE,
                launch("--backend", "cpu", "--model", file.toString()).exitCode());
        assertTrue(err().contains("expects input [784] or [28, 28] and 10 outputs"), err());
    }

    @Test
    void aTakenPortExitsWith1SayingWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            RecognizerServer.Launch launch = launch(
                    "--backend",
                    "cpu",
                    "--model",
                    TestModels.smallModelFile().toString(),
                    "--port",
                    Integer.toString(taken.getLocalPort()));
            assertEquals(ExitCode.FAILED, launch.exitCode());
            assertTrue(err().contains("--port 0 for a free one"), err());
        }
    }

    // --model PATH where nothing can be saved is refused before the training (exit 3), naming the path and why

    @Test
    void aModelPathUnderAFileIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder");
        Path model = file.resolve("model.nabla");
        try (RecognizerServer.Launch launch =
                launch("--backend", "cpu", "--network", "small", "--model", model.toString(), "--port", "0")) {
            assertEquals(ExitCode.DATA_UNAVAILABLE, launch.exitCode());
        }
        assertEquals(
                "nabla-recognizer: cannot save the model to " + model + ": " + file + " is a file, not a folder; "
                        + "give --model a path in a writable folder, or leave --model out to keep the trained model in memory "
                        + "only",
                err().strip());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("training"), "refused before training");
    }

    @Test
    void aModelPathInAReadOnlyFolderIsRefusedBeforeTraining() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("read-only"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(folder), "permissions bind this user (root ignores them)");
            Path model = folder.resolve("model.nabla");
            try (RecognizerServer.Launch launch =
                    launch("--backend", "cpu", "--network", "small", "--model", model.toString(), "--port", "0")) {
                assertEquals(ExitCode.DATA_UNAVAILABLE, launch.exitCode());
            }
            assertEquals(
                    "nabla-recognizer: cannot save the model to " + model + ": permission denied (cannot write in "
                            + folder
                            + "); give --model a path in a writable folder, or leave --model out to keep the trained "
                            + "model in memory only",
                    err().strip());
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
