package dev.nabla.samples.web;

import dev.nabla.backend.Backend;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.io.ModelFormatException;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Model;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.samples.data.EmbeddedDigits;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the recognizer's model comes from: a saved model file, or a network trained on the
 * embedded MNIST digits when there is none. Either way its accuracy on the 2,000 held-out
 * embedded test digits is measured and printed.
 *
 * <pre>{@code
 * DigitRecognizer r = RecognizerModels.loadOrTrain(Path.of("deep-mlp.nabla"), backend,
 *         RecognizerModels.DEEP, 3, System.out);   // loads it, or trains and saves it there
 * }</pre>
 */
public final class RecognizerModels {
    /** The deep MLP of the course examples, 784-1024-512-512 relu-10 softmax (as nabla-deep-mlp trains it). */
    public static final int[] DEEP = {1024, 512, 512};
    /** A small network that trains in a couple of seconds, for tests: 784-128 relu-10 softmax. */
    public static final int[] SMALL = {128};

    /** The name of the file written and removed to see whether a model can be saved in a folder. */
    private static final String PROBE = ".nabla-write-test";

    private RecognizerModels() {}

    /**
     * Loads {@code path} when it exists; otherwise trains a relu MLP with the given hidden layers
     * for {@code epochs} epochs and, when {@code path} is not null, saves it there for next time.
     *
     * @throws ModelFormatException if the file exists but is not a Nabla model
     * @throws IllegalArgumentException if the loaded model is not a digit classifier
     * @throws UncheckedIOException if the model cannot be saved at {@code path} (checked before training)
     */
    public static DigitRecognizer loadOrTrain(
            Path path, Backend backend, int[] hidden, int epochs, long seed, PrintStream log) {
        DigitRecognizer recognizer;
        if (path != null && Files.exists(path)) {
            log.println("loading the model " + path);
            Model model = Model.load(path, backend);
            try {
                recognizer = new DigitRecognizer(model, "loaded from " + path.getFileName());
            } catch (IllegalArgumentException e) {
                model.close();
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
        } else {
            if (path != null) {
                requireWritable(path); // before minutes of training, not after
            }
            recognizer = train(backend, hidden, epochs, seed, log);
            if (path != null) {
                try {
                    recognizer.model().save(path);
                } catch (UncheckedIOException e) {
                    recognizer.close();
                    throw new UncheckedIOException(
                            cannotSave(
                                    path,
                                    e.getCause() == null
                                            ? e.getMessage()
                                            : reason(
                                                    e.getCause(),
                                                    path.toAbsolutePath().getParent())),
                            e.getCause());
                }
                log.println("saved the model to " + path + " (the next start loads it)");
            }
        }
        double accuracy = recognizer.measureAccuracy(EmbeddedDigits.test().flatten());
        log.printf(
                Locale.ROOT,
                "model %s, %s (%s) on %s: test accuracy %.2f%% on %,d held-out embedded digits%n",
                recognizer.name(),
                recognizer.architecture(),
                recognizer.origin(),
                backend.name(),
                100 * accuracy,
                EmbeddedDigits.TEST_SIZE);
        return recognizer;
    }

    /**
     * Checks that a model can be saved at {@code path}: its folder is created if missing, and a file is written in it
     * and removed (what the permissions say is not enough: root ignores them, a read-only file system does not).
     *
     * @throws UncheckedIOException saying why not, e.g. "cannot save the model to /srv/m.nabla: permission denied
     *                              (cannot write in /srv); …"
     */
    public static void requireWritable(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path probe = Files.createTempFile(parent, PROBE, ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException(cannotSave(path, reason(e, parent)), e);
        }
    }

    private static String cannotSave(Path path, String reason) {
        return "cannot save the model to " + path + ": " + reason + "; give --model a path in a writable folder, or "
                + "leave --model out to keep the trained model in memory only";
    }

    /** An I/O failure in words: "permission denied (cannot write in /srv)", "/tmp/x is a file, not a folder" …. */
    private static String reason(Throwable e, Path folder) {
        if (!(e instanceof FileSystemException f)) {
            return String.valueOf(e.getMessage());
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return f.getFile() + " is a file, not a folder";
        }
        // the folder, rather than the probe or model file that could not be written in it
        Path where = f.getFile() == null
                        || Files.isRegularFile(Path.of(f.getFile()))
                        || Path.of(f.getFile()).getFileName().toString().startsWith(PROBE)
                ? folder
                : Path.of(f.getFile());
        String what = Files.isDirectory(where) ? "cannot write in " + where : "cannot create " + where;
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + what + ")";
        }
        return (f.getReason() == null ? "failed" : f.getReason().toLowerCase(Locale.ROOT)) + " (" + what + ")";
    }

    /** Trains a relu MLP 784-hidden…-10 softmax with Adam (lr 0.001, batch 128) on the 8,000 embedded digits. */
    public static DigitRecognizer train(Backend backend, int[] hidden, int epochs, long seed, PrintStream log) {
        TrainTest digits = EmbeddedDigits.load().flatten();
        Dataset train = digits.train().toCategorical(10);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input(784));
        for (int units : hidden) {
            layers.add(new Dense(units, "relu"));
        }
        layers.add(new Dense(10, "softmax"));
        Sequential model = new Sequential(layers);
        model.backend(backend);
        try {
            model.compile(new Adam(0.001), new CategoricalCrossentropy(), "accuracy");
            long start = System.nanoTime();
            log.printf(
                    Locale.ROOT,
                    "no saved model: training %s on %,d embedded digits for %d epoch%s…%n",
                    describe(hidden),
                    train.size(),
                    epochs,
                    epochs == 1 ? "" : "s");
            model.fit(
                    train,
                    new FitOptions()
                            .batchSize(128)
                            .epochs(epochs)
                            .shuffle(true)
                            .seed(seed)
                            .verbose(0));
            log.printf(Locale.ROOT, "trained in %.1f s%n", (System.nanoTime() - start) / 1e9);
            return new DigitRecognizer(model, "trained on start, " + epochs + " epoch" + (epochs == 1 ? "" : "s"));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static String describe(int[] hidden) {
        StringBuilder s = new StringBuilder("784");
        for (int units : hidden) {
            s.append('-').append(units).append(" relu");
        }
        return s.append("-10 softmax").toString();
    }
}
