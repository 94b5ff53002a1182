package dev.nabla.samples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backends;
import dev.nabla.losses.Losses;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.optim.Adam;
import dev.nabla.samples.Captured;
import dev.nabla.samples.cli.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The convolutional presets build, train, save and load like the MLPs, and nabla-train resumes them. */
class ConvPresetsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "cnn"})
    void eachConvPresetTrainsAnEpochAndReloadsToIdenticalPredictions(String id) {
        NetworkSpec network = Preset.of(id).network();
        TrainData data = TrainData.load(
                new TrainData.Source("embedded", null, false, -1, 0, 256, 7),
                network,
                Preset.of(id).loss());
        RandomSeed.set(7);
        Path file = dir.resolve(id + ".nabla");
        float[] before;
        try (Model model = network.build()) {
            model.compile(new Adam(0.001), Losses.get(Preset.of(id).loss()), "accuracy");
            model.build(network.inputs());
            assertEquals(network.parameterCount(), model.countParams(), "the spec counts the parameters it builds");
            model.fit(data.train(), new FitOptions().epochs(1).batchSize(64).verbose(0));
            before = model.predict(data.validation(), 64).toFloatArray();
            model.save(file);
        }
        try (Model loaded = Model.load(file, Backends.use("cpu"))) {
            assertArrayEquals(before, loaded.predict(data.validation(), 64).toFloatArray());
            assertEquals(network.toString(), NetworkSpec.of(loaded).toString(), "a resumed run's network");
        }
    }

    @Test
    void nablaTrainResumesALenetRun() {
        Path out = dir.resolve("lenet");
        assertEquals(
                ExitCode.OK,
                TrainCli.run(
                        "--backend",
                        "cpu",
                        "--model",
                        "lenet",
                        "--samples",
                        "128",
                        "--verbose",
                        "0",
                        "--epochs",
                        "1",
                        "--out",
                        out.toString()));
        Captured resumed =
                Captured.run(() -> TrainCli.run("--backend", "cpu", "--resume", out.toString(), "--epochs", "2"));
        assertEquals(ExitCode.OK, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("network " + Preset.LENET.network() + ", 1 epochs done"), resumed.out());
    }
}
