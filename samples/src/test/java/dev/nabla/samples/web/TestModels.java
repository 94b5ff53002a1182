package dev.nabla.samples.web;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Input;
import dev.nabla.nn.Sequential;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.train.TrainCli;
import dev.nabla.samples.train.TrainJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Models for the recognizer's tests, made once per test JVM: a small trained network saved to a
 * file (trained with {@link RecognizerModels#loadOrTrain}, as the server does without a model),
 * and an untrained one for tests that only need the plumbing.
 */
final class TestModels {
    private static Path saved;
    private static Path lenet;

    private TestModels() {}

    static Backend cpu() {
        return Backends.get("cpu", 0);
    }

    /**
     * The file of a 784-128 relu-10 softmax network trained for 3 epochs on the embedded digits
     * (about 92 % test accuracy, a few seconds), deleted when the JVM exits.
     */
    static synchronized Path smallModelFile() {
        if (saved == null) {
            try {
                Path dir = Files.createTempDirectory("nabla-recognizer-model");
                Path file = dir.resolve("small.nabla");
                RecognizerModels.loadOrTrain(file, cpu(), RecognizerModels.SMALL, 3, 42, System.out)
                        .close();
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                saved = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return saved;
    }

    /**
     * The model.nabla of {@code nabla-train --model lenet --epochs 3} on the embedded digits (about 95 % test accuracy,
     * half a minute), made as a user makes it; deleted when the JVM exits.
     */
    static synchronized Path lenetModelFile() {
        if (lenet == null) {
            try {
                Path dir = Files.createTempDirectory("nabla-recognizer-lenet");
                int exit = TrainCli.run(
                        "--backend",
                        "cpu",
                        "--model",
                        "lenet",
                        "--epochs",
                        "3",
                        "--verbose",
                        "0",
                        "--out",
                        dir.toString());
                if (exit != ExitCode.OK) {
                    throw new IllegalStateException("nabla-train --model lenet exited with " + exit);
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(f -> f.toFile().deleteOnExit());
                }
                dir.toFile().deleteOnExit();
                lenet = dir.resolve(TrainJob.MODEL_FILE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lenet;
    }

    /** A recognizer of the LeNet trained by nabla-train (the caller closes it). */
    static DigitRecognizer lenet() {
        return RecognizerModels.loadOrTrain(lenetModelFile(), cpu(), RecognizerModels.SMALL, 3, 42, System.out);
    }

    /** A recognizer of the small trained network (the caller closes it). */
    static DigitRecognizer small() {
        return RecognizerModels.loadOrTrain(smallModelFile(), cpu(), RecognizerModels.SMALL, 3, 42, System.out);
    }

    /** An untrained 784-10 softmax network: right shapes, meaningless answers. */
    static DigitRecognizer untrained() {
        Sequential model = new Sequential(new Input(784), new Dense(10, "softmax"));
        model.backend(cpu());
        model.build(784);
        return new DigitRecognizer(model, "untrained, for tests");
    }
}
