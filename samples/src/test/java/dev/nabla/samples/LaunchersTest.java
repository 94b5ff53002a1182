package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.io.Json;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.train.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every launcher of samples/bin: each sample's main class runs one short epoch on the embedded digits on the
 * CPU backend (in-process, so that no packaged jar is needed) and writes what it promises; each script runs
 * with --help through the shell; nabla-train is stopped by a real SIGINT and leaves a checkpoint.
 */
class LaunchersTest {
    /** A launcher, its main class, short arguments, the files it must write and text it must print. */
    record Sample(String launcher, String mainClass, List<String> args, List<String> files, List<String> prints) {
        @Override
        public String toString() {
            return launcher;
        }
    }

    static Stream<Sample> samples() {
        return Stream.of(
                new Sample(
                        "nabla-logistic-regression",
                        "dev.nabla.samples.field.LogisticRegression",
                        List.of("--epochs", "1", "--samples", "500"),
                        List.of("history.csv", "history.json", "loss.png", "accuracy.png"),
                        List.of("gradient check on 500 samples", "iteration    1:")),
                new Sample(
                        "nabla-softmax-regression",
                        "dev.nabla.samples.field.SoftmaxRegression",
                        List.of("--epochs", "1", "--points", "40"),
                        List.of("history.csv", "history.json", "loss.png", "accuracy.png", "decision-regions.png"),
                        List.of(
                                "softmax([5, 2, −1, 3]) = [0.842, 0.042, 0.002, 0.114]",
                                "hardmax([5, 2, −1, 3]) = [1.000, 0.000, 0.000, 0.000]")),
                new Sample(
                        "nabla-perceptron",
                        "dev.nabla.samples.field.Perceptrons",
                        List.of("--epochs", "5"),
                        List.of("xor-history.csv", "xor-history.json", "xor-loss.png", "xor-accuracy.png"),
                        List.of("O = (-1, 1, 1, 1)", "O = (-1, 1, 1, -1)", "(0.5, 0.5)")),
                new Sample(
                        "nabla-minimize",
                        "dev.nabla.samples.field.QuadraticMinimization",
                        List.of(),
                        List.of("minimize.csv", "minimize.png"),
                        List.of(
                                "after 1 step:     w = 0.100000",
                                "after 1000 steps: w = 4.9999",
                                "after 1000 steps: w = 9.9999")),
                new Sample(
                        "nabla-gradient-descent",
                        "dev.nabla.samples.field.GradientDescentPath",
                        List.of(),
                        List.of("path.csv", "gradient-descent-path.png"),
                        List.of(
                                "x(1) = [-3.6000, 1.9000]", "x(2) = [-2.6900, 0.78000]",
                                "x(30) = [-0.01606", ", -0.006652")),
                new Sample(
                        "nabla-mnist-mlp",
                        "dev.nabla.samples.field.MnistMlp",
                        List.of("--epochs", "1", "--samples", "500", "--verbose", "0"),
                        List.of(
                                "sgd-history.csv",
                                "sgd-history.json",
                                "adam-history.csv",
                                "adam-history.json",
                                "sgd-vs-adam-accuracy.png",
                                "sgd-vs-adam-loss.png"),
                        List.of("test accuracy after 1 epochs: SGD")),
                new Sample(
                        "nabla-mlp-vs-cnn",
                        "dev.nabla.samples.field.MlpVersusCnn",
                        List.of("--epochs", "1", "--samples", "300", "--verbose", "0"),
                        List.of(
                                "mlp-adam-history.csv",
                                "mlp-adam-history.json",
                                "lenet-history.csv",
                                "lenet-history.json",
                                "mlp-vs-cnn-accuracy.png"),
                        List.of("test accuracy after 1 epochs: mlp-adam ", ", lenet ")),
                new Sample(
                        "nabla-deep-mlp",
                        "dev.nabla.samples.field.DeepMlp",
                        List.of("--epochs", "1", "--samples", "500", "--verbose", "0"),
                        List.of("history.csv", "history.json", "loss.png", "accuracy.png", "deep-mlp.nabla"),
                        List.of("loaded it again: 125 of 125 test digits get the same class")),
                new Sample(
                        "nabla-kfold",
                        "dev.nabla.samples.field.CrossValidation",
                        List.of("--epochs", "1", "--samples", "500", "--k", "2"),
                        List.of("kfold.csv", "kfold.json"),
                        List.of("fold 1: trained on 250, tested on 250", "fold 2:", "mean accuracy")),
                new Sample(
                        "nabla-schedules",
                        "dev.nabla.samples.field.ScheduleComparison",
                        List.of("--epochs", "1", "--samples", "500"),
                        List.of(
                                "learning-rates.csv",
                                "learning-rates.png",
                                "schedules-accuracy.png",
                                "schedules-loss.png",
                                "history-piecewise-constant.csv",
                                "history-exponential.json",
                                "history-polynomial.csv"),
                        List.of("piecewise constant        0.1000  0.1000  0.1000  0.1000  0.0500  0.0500  0.0100")),
                new Sample(
                        "nabla-train",
                        "dev.nabla.samples.train.TrainCli",
                        List.of("--epochs", "1", "--samples", "500", "--verbose", "0"),
                        List.of(
                                "history.csv",
                                "history.json",
                                "loss.png",
                                "accuracy.png",
                                "checkpoint.nabla",
                                "model.nabla"),
                        List.of("network 784-512:tanh-10:softmax (preset mlp-adam)")));
    }

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachSampleRunsOneShortEpochOnTheCpuAndWritesWhatItPromises(Sample sample) throws Exception {
        Path out = dir.resolve(sample.launcher());
        List<String> args = new ArrayList<>(List.of("--backend", "cpu", "--out", out.toString()));
        args.addAll(sample.args());
        var run = Class.forName(sample.mainClass()).getMethod("run", String[].class);
        Captured result = Captured.run(() -> {
            try {
                return (Integer) run.invoke(null, (Object) args.toArray(String[]::new));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(ExitCode.OK, result.exitCode(), result.err());
        assertTrue(result.out().contains("wrote:"), "lists what it wrote");
        for (String name : sample.files()) {
            Path file = out.resolve(name);
            assertTrue(Files.isRegularFile(file) && Files.size(file) > 0, file + " is written");
            assertTrue(result.out().contains("  " + file), file + " is printed");
            if (name.endsWith(".png")) {
                BufferedImage image = ImageIO.read(file.toFile());
                assertNotNull(image, file + " is a PNG");
                assertEquals(800, image.getWidth(), file + " width");
            }
            if (name.endsWith(".json")) {
                assertTrue(Json.parse(Files.readString(file)) instanceof Map, file + " is a JSON object");
            }
        }
        for (String text : sample.prints()) {
            assertTrue(result.out().contains(text), "prints '" + text + "'");
        }
    }

    @Test
    void everySampleLauncherNamesItsMainClass() throws IOException {
        for (Sample sample : samples().toList()) {
            String script = Files.readString(bin().resolve(sample.launcher()));
            assertTrue(script.startsWith("#!/bin/sh"), sample + " is a POSIX shell script");
            assertTrue(script.contains(". \"$(dirname \"$0\")/nabla-common.sh\""), sample + " sources nabla-common.sh");
            assertTrue(script.contains("nabla_run " + sample.mainClass() + " \"$@\""), sample + " runs its class");
            assertTrue(Files.isExecutable(bin().resolve(sample.launcher())), sample + " is executable");
        }
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("samples")
    void eachScriptPrintsItsUsageThroughTheShell(Sample sample) throws Exception {
        Process process =
                script(sample.launcher(), "--help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), sample + " --help finishes");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("usage: " + sample.launcher()), output);
        for (String option : List.of("--backend", "--epochs", "--batch-size", "--seed", "--out", "--debug", "--help")) {
            assertTrue(output.contains(option), sample + " --help lists " + option);
        }
    }

    @Test
    void theMainJobsScriptPrintsItsUsageToo() throws Exception {
        Process process =
                script("nabla-main", "--help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("usage: nabla-main"), output);
    }

    @Test
    void theMainJobLogsOnlyTheBackendItChoseBesidesWarnings() throws Exception {
        Process process =
                script("nabla-main", "--epochs", "1", "--verbose", "0").start();
        process.getOutputStream().close();
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out.get() + err);
        List<String> routine =
                err.lines().filter(l -> l.matches("(TRACE|DEBUG|INFO) .*")).toList();
        assertEquals(
                1,
                routine.size(),
                "one routine log line, the backend chosen and why; the rest at debug level:\n" + err);
        assertTrue(routine.get(0).startsWith("INFO  Backends - Nabla backend: "), err);
    }

    @Test
    void aScriptRunsASampleAndPrintsThePathsItWrote() throws Exception {
        Path out = dir.resolve("script-run");
        Process process = script("nabla-gradient-descent", "--backend", "cpu", "--out", out.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("x(1) = [-3.6000, 1.9000]"), output);
        assertTrue(output.contains(out.resolve("gradient-descent-path.png").toString()), output);
        assertTrue(Files.isRegularFile(out.resolve("gradient-descent-path.png")));
    }

    @Test
    void ctrlCStopsNablaTrainAfterTheCurrentBatchWithACheckpoint() throws Exception {
        Path out = dir.resolve("sigint");
        // far more epochs than can run while the test waits: where the JVM inherits SIGINT as ignored, a
        // run short enough to finish in those 30 s (50 epochs take about 25) would end with 0, not 143
        Process process = script(
                        "nabla-train",
                        "--backend",
                        "cpu",
                        "--model",
                        "deep-mlp",
                        "--epochs",
                        "1000",
                        "--verbose",
                        "1",
                        "--out",
                        out.toString())
                .redirectErrorStream(true)
                .start();
        ProcessLines lines = new ProcessLines(process, "Epoch 1/1000");
        if (!lines.seen.await(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("nabla-train did not start training: " + lines.text());
        }
        Thread.sleep(1500);
        signal("INT", process.pid());
        boolean stopped = process.waitFor(30, TimeUnit.SECONDS);
        int expected = ExitCode.INTERRUPTED;
        if (!stopped) { // a JVM started with SIGINT ignored (nohup, some CI shells) keeps running: SIGTERM instead
            System.out.println("nabla-train ignored SIGINT (inherited as ignored?); stopping it with SIGTERM");
            signal("TERM", process.pid());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "nabla-train stops on SIGTERM");
            expected = ExitCode.TERMINATED;
        }
        lines.reader.join(10_000);
        String text = lines.text();
        assertEquals(expected, process.exitValue(), text);
        // Whichever epoch the signal lands in (an epoch takes about a second with a native BLAS),
        // training stops after the current batch — or at an epoch boundary — and the checkpoint
        // records exactly that position.
        java.util.regex.Matcher stop = java.util.regex.Pattern.compile(
                        "stopped in epoch (\\d+) after (\\d+) of 63 batches")
                .matcher(text);
        assertTrue(stop.find(), text);
        long epoch = Long.parseLong(stop.group(1));
        long batches = Long.parseLong(stop.group(2));
        Checkpoint state = Checkpoint.read(out, 128);
        assertEquals(epoch - 1, state.epochsDone(), text);
        assertEquals(batches, state.batchesDone(), text);
        // 0 when the signal came between epochs (during validation or the epoch's checkpoint)
        assertTrue(batches >= 0 && batches < 63, "stopped at a batch boundary of an epoch: " + batches);
        assertEquals((epoch - 1) * 63 + batches, state.iterations(), "one update per batch done");
        assertTrue(Files.size(out.resolve("checkpoint.nabla")) > 1_000_000, "the deep MLP's weights are saved");
    }

    @Test
    void theMainJobRepeatsExactlyWithTheSameSeed() {
        String[] args = {"--backend", "cpu", "--epochs", "1", "--seed", "7", "--verbose", "0"};
        String first = Captured.run(() -> Main.run(args)).out();
        String second = Captured.run(() -> Main.run(args)).out();
        // (the layers' automatic names count up within a process, so the summaries differ)
        String result = "test loss";
        assertTrue(first.contains(result), first);
        assertEquals(
                first.substring(first.indexOf(result)),
                second.substring(second.indexOf(result)),
                "same seed, same weights, same batches: the same run");
    }

    @Test
    void aBuildTriggeredByAChangedSourceIsNotRepeatedOnTheNextRun(@TempDir Path root) throws Exception {
        // a checkout in miniature: the launchers' common script, a Maven wrapper that counts its runs
        // and leaves the classpath file as it is (as Maven does when its content is unchanged), one source
        Path bin = Files.createDirectories(root.resolve("samples/bin"));
        Files.copy(bin().resolve("nabla-common.sh"), bin.resolve("nabla-common.sh"));
        Files.copy(bin().resolve("nabla-openblas.sh"), bin.resolve("nabla-openblas.sh"));
        Files.writeString(bin.resolve("probe"), "#!/bin/sh\n. \"$(dirname \"$0\")/nabla-common.sh\"\nnabla_build\n");
        Path runs = root.resolve("runs");
        Files.writeString(root.resolve("mvnw"), "#!/bin/sh\necho run >> \"" + runs + "\"\n");
        assertTrue(root.resolve("mvnw").toFile().setExecutable(true));
        Path classpath = Files.createDirectories(root.resolve("samples/target")).resolve("classpath.txt");
        Files.writeString(classpath, "");
        Path source =
                Files.createDirectories(root.resolve("core/src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Files.setLastModifiedTime(
                classpath, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        for (int run = 0; run < 2; run++) {
            Process process = new ProcessBuilder("sh", bin.resolve("probe").toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
        }
        assertEquals(1, Files.readAllLines(runs).size(), "builds for a source changed once");
    }

    /**
     * The launchers ask OpenBLAS for the kernels that multiply fastest on the CPU: AVX-512 where its FMA units are
     * 512 bits wide, AVX2 on AMD's Zen 4 (family 25), whose AVX-512 runs on 256-bit halves; nothing without
     * AVX-512. The backend's GemmKernels states the same rule (GemmKernelsTest has the same table).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "AMD Zen 4,    AuthenticAMD, 25, avx2 avx512f avx512bw, Haswell",
        "AMD Zen 5,    AuthenticAMD, 26, avx2 avx512f avx512bw, SkylakeX",
        "Intel Xeon,   GenuineIntel, 6,  avx2 avx512f avx512bw, SkylakeX",
        "AMD Zen 3,    AuthenticAMD, 25, avx2,                  ''",
    })
    void launchersChooseOpenBlasKernelsByTheCpu(
            String cpu, String vendor, int family, String flags, String expected, @TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(
                cpuinfo,
                "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family
                        + "\nmodel\t\t: 17\nflags\t\t: fpu sse2 " + flags + " sha_ni\n\n");
        Process process = new ProcessBuilder(
                        "sh",
                        "-c",
                        ". \"$0\" && nabla_openblas_coretype \"$1\"",
                        bin().toAbsolutePath().resolve("nabla-common.sh").toString(),
                        cpuinfo.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertEquals(expected, output.strip(), cpu);
    }

    /** The scripts' folder, samples/bin, from the module folder (Maven) or the repository root. */
    static Path bin() {
        Path module = Path.of("bin");
        return Files.isDirectory(module.resolve("nabla-train")) || Files.isRegularFile(module.resolve("nabla-train"))
                ? module
                : Path.of("samples", "bin");
    }

    /** sh LAUNCHER ARGS…, with this test's class path as NABLA_CLASSPATH (nothing is built) and this JDK. */
    static ProcessBuilder script(String launcher, String... args) {
        List<String> command = new ArrayList<>(
                List.of("sh", bin().toAbsolutePath().resolve(launcher).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("NABLA_CLASSPATH", testClassPath());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("NABLA_BACKEND");
        return builder;
    }

    static String testClassPath() {
        return TestJvm.classPath();
    }

    static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                .inheritIO()
                .start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
    }
}
