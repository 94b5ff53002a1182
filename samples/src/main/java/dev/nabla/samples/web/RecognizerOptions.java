package dev.nabla.samples.web;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The recognizer's command line.
 *
 * <pre>{@code
 * RecognizerOptions o = RecognizerOptions.parse(new String[] {"--port", "0", "--model", "deep-mlp.nabla"});
 * }</pre>
 */
public record RecognizerOptions(boolean help, String backend, Path model, Network network, int epochs, long seed,
                                String host, int port, DigitPreprocessor.Mode preprocessing, int requestTimeout) {
    /** The file {@code nabla-deep-mlp} saves by default: loaded when there is no {@code --model}. */
    public static final Path DEEP_MLP_SAMPLE_MODEL = Path.of("nabla-out", "deep-mlp", "deep-mlp.nabla");

    public static final String USAGE = """
            usage: nabla-recognizer [options]
              Serves the zip-code recognizer page: draw five digits, press r to read them.
              --model PATH        load this saved model; if the file does not exist, train one and save it
                                  there (its folder must be writable: checked before training)
                                  (default: nabla-out/deep-mlp/deep-mlp.nabla, which nabla-deep-mlp
                                  writes, if it exists; else train on start and keep it in memory only)
              --network deep|small  what to train when there is no model: deep = 784-1024-512-512-10 relu
                                  (the course's deep MLP, about 25 s for 3 epochs on 2 CPU cores),
                                  small = 784-256-10 relu (a few seconds) (default deep)
              --epochs N          epochs of that training (default 3)
              --seed N            seed of that training (default 42)
              --backend NAME      cpu, opencl or cuda (default: NABLA_BACKEND, else the best available)
              --host ADDRESS      address to listen on (default 127.0.0.1: this machine only)
              --port N            port to listen on, 0 for any free port (default 8080)
              --preprocessing centered|resize  centered (default) fits the ink's bounding box into 20×20
                                  and centers its mass in the 28×28 frame, as MNIST; resize only resizes
              --request-timeout S seconds a request may take to arrive, from its first byte to its
                                  last; a client that stalls is cut off (default 30)
              --help              this text
            exit codes: 0 ok, 1 failed (e.g. the port is taken), 2 bad arguments, 3 model file unreadable,
              not a digit classifier, or not writable where it is to be saved, 4 backend unavailable""";

    /** What to train when there is no saved model. */
    public enum Network {
        DEEP(RecognizerModels.DEEP), SMALL(new int[] {256});

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
     * @throws IllegalArgumentException naming the option that is wrong and what it expects
     */
    public static RecognizerOptions parse(String[] args) {
        boolean help = false;
        String backend = null, host = "127.0.0.1";
        Path model = null;
        Network network = Network.DEEP;
        int epochs = 3, port = 8080, requestTimeout = (int) RecognizerServer.DEFAULT_REQUEST_TIMEOUT.toSeconds();
        long seed = 42;
        DigitPreprocessor.Mode preprocessing = DigitPreprocessor.Mode.CENTERED;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--help", "-h" -> help = true;
                case "--backend" -> backend = value(args, ++i);
                case "--model" -> model = Path.of(value(args, ++i));
                case "--network" -> network = choice(Network.class, option, value(args, ++i));
                case "--epochs" -> epochs = integer(option, value(args, ++i), 1, 1000);
                case "--seed" -> seed = longValue(option, value(args, ++i));
                case "--host" -> host = value(args, ++i);
                case "--port" -> port = integer(option, value(args, ++i), 0, 65535);
                case "--preprocessing" ->
                        preprocessing = choice(DigitPreprocessor.Mode.class, option, value(args, ++i));
                case "--request-timeout" -> requestTimeout = integer(option, value(args, ++i), 1, 3600);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new RecognizerOptions(help, backend, model, network, epochs, seed, host, port, preprocessing,
                requestTimeout);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int integer(String option, String text, int min, int max) {
        long v = longValue(option, text);
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " " + text + " is out of range; expected " + min + " to "
                    + max);
        }
        return (int) v;
    }

    private static long longValue(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a whole number");
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                names.append(names.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(option + " '" + text + "' is not one of " + names);
        }
    }
}
