package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backends;
import dev.nabla.nn.Model;
import dev.nabla.samples.Captured;
import dev.nabla.samples.cli.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run names its network as the fresh run did, hidden layers included (console and chart titles). */
class ResumedNetworkTest {
    static final String SPEC = "784-16:relu-dropout0.2-12:tanh-10:softmax";

    @TempDir
    Path dir;

    @Test
    void aResumedRunKeepsTheHiddenLayersInItsNetworkName() {
        Path out = dir.resolve("run");
        assertEquals(
                ExitCode.OK,
                TrainCli.run(
                        "--backend",
                        "cpu",
                        "--model",
                        SPEC,
                        "--samples",
                        "100",
                        "--epochs",
                        "1",
                        "--verbose",
                        "0",
                        "--out",
                        out.toString()));
        Captured resumed =
                Captured.run(() -> TrainCli.run("--backend", "cpu", "--resume", out.toString(), "--epochs", "2"));
        assertEquals(ExitCode.OK, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming " + out + ": network " + SPEC + ", 1 epochs done"), resumed.out());
        try (Model model = Model.load(out.resolve(TrainJob.MODEL_FILE), Backends.use("cpu"))) {
            assertEquals(SPEC, NetworkSpec.of(model).toString(), "the title the charts get");
        }
    }
}
