package dev.nabla.samples.web;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Input;
import dev.nabla.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Models for the recognizer's tests, made once per test JVM: a small trained network saved to a
 * file (trained with {@link RecognizerModels#loadOrTrain}, as the server does without a model),
 * and an untrained one for tests that only need the plumbing.
 */
final class TestModels {
    private static Path saved;

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
