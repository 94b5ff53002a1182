package dev.nabla.samples.web;

import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.UsageException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The recognizer's command line.
 *
 * <pre>{@code
 * RecognizerOptions o = RecognizerOptions.parse(new String[] {"--port", "0", "--model", "deep-mlp.nabla"});
 * o.port();      // 0
 * }</pre>
 */
public record RecognizerOptions(
        boolean help,
        String backend,
        Path model,
        Network network,
        int epochs,
        long seed,
        String host,
        int port,
        DigitPreprocessor.Mode preprocessing,
        int requestTimeout) {
    /** The file {@code nabla-deep-mlp} saves by default: loaded when there is no {@code --model}. */
    public static final Path DEEP_MLP_SAMPLE_MODEL = Path.of("nabla-out", "deep-mlp", "deep-mlp.nabla");

    /** The recognizer's options: the common ones it uses and its own. */
    public static final Options.Spec SPEC = Options.program(
                    "nabla-recognizer", "Serves the zip-code recognizer page: draw five digits, press r to read them.")
            .without("batch-size", "out")
            .epochs(3, "epochs of that training")
            .range("epochs", 1, 1000)
            .stringOption(
                    "model",
                    "PATH",
                    null,
                    "load this saved model; if the file does not exist, train one "
                            + "and save it there (its folder must be writable: checked before training) (default: "
                            + "nabla-out/deep-mlp/deep-mlp.nabla, which nabla-deep-mlp writes, if it exists; else train on "
                            + "start and keep it in memory only)")
            .choiceOption(
                    "network",
                    "deep",
                    "what to train when there is no model: deep = 784-1024-512-512-10 "
                            + "relu (the course's deep MLP, about 25 s for 3 epochs on 2 CPU cores), small = 784-256-10 relu (a few seconds)",
                    "deep",
                    "small")
            .stringOption("host", "ADDRESS", "127.0.0.1", "address to listen on (127.0.0.1: this machine only)")
            .intOption("port", "N", 8080, 0, 65535, "port to listen on, 0 for any free port")
            .choiceOption(
                    "preprocessing",
                    "centered",
                    "centered fits the ink's bounding box into 20×20 and "
                            + "centers its mass in the 28×28 frame, as MNIST; resize only resizes",
                    "centered",
                    "resize")
            .intOption(
                    "request-timeout",
                    "S",
                    (int) RecognizerServer.DEFAULT_REQUEST_TIMEOUT.toSeconds(),
                    1,
                    3600,
                    "seconds a request may take to arrive, from its first byte to its last; a client that stalls "
                            + "is cut off")
            .exitCodes("0 ok, 1 failed (e.g. the port is taken), 2 bad arguments, 3 model file unreadable, not a "
                    + "digit classifier, or not writable where it is to be saved, 4 backend unavailable")
            .example("nabla-recognizer --network small --port 0");

    /** What to train when there is no saved model. */
    public enum Network {
        DEEP(RecognizerModels.DEEP),
        SMALL(new int[] {256});

        private final int[] hidden;

        Network(int[] hidden) {
            this.hidden = hidden;
        }

        public int[] hidden() {
            return hidden.clone();
        }
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException naming the option that is wrong and what it expects
     */
    public static RecognizerOptions parse(String[] args) {
        return from(SPEC.parse(args));
    }

    /** The recognizer's settings from its parsed command line. */
    public static RecognizerOptions from(Options o) {
        String model = o.string("model");
        return new RecognizerOptions(
                o.helpRequested(),
                o.backendName(),
                model == null ? null : Path.of(model),
                Network.valueOf(o.string("network").toUpperCase(Locale.ROOT)),
                o.epochs(),
                o.seed(),
                o.string("host"),
                o.integer("port"),
                DigitPreprocessor.Mode.valueOf(o.string("preprocessing").toUpperCase(Locale.ROOT)),
                o.integer("request-timeout"));
    }
}
