package dev.nabla.samples.cli;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of a sample, parsed one way for all of them. Every sample takes the common options
 * {@code --backend cpu|opencl|cuda}, {@code --epochs}, {@code --batch-size}, {@code --seed}, {@code --out DIR}
 * and {@code --help}; samples that read digits add {@code --data DIR} and {@code --samples N}; each adds its own.
 *
 * <pre>{@code
 * Options.Spec spec = Options.program("nabla-mnist-mlp", "SGD and Adam on the 784-512 tanh-10 softmax network.")
 *         .epochs(20).batchSize(128).data()
 *         .doubleOption("lr", "RATE", 0.01, "learning rate of SGD");
 * Options options = spec.parse("--epochs", "3", "--lr=0.05");
 * options.epochs();          // 3
 * options.real("lr");        // 0.05
 * options.out();             // nabla-out/mnist-mlp
 * }</pre>
 *
 * <p>Options may be written {@code --name value} or {@code --name=value}; when one is given twice the last
 * wins. Anything else (an unknown option, a value that is not a number, a choice not offered) is a
 * {@link UsageException} that says what was expected.
 */
public final class Options {
    private final Spec spec;
    private final Map<String, String> values;
    private final boolean help;

    private Options(Spec spec, Map<String, String> values, boolean help) {
        this.spec = spec;
        this.values = values;
        this.help = help;
    }

    /** Starts the declaration of a program's options; {@code name} is the launcher's name, e.g. "nabla-kfold". */
    public static Spec program(String name, String description) {
        return new Spec(name, description);
    }

    // ------------------------------------------------------------------ values

    /** The program's declaration (for its usage text). */
    public Spec spec() {
        return spec;
    }

    /** Whether {@code --help} (or {@code -h}) was given. */
    public boolean helpRequested() {
        return help;
    }

    /** Whether the option was given on the command line (rather than left at its default). */
    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    /** The option's value as text (its default when not given; null when it has none). */
    public String string(String name) {
        Declared d = spec.declared(name);
        return values.getOrDefault(name, d.defaultValue);
    }

    /** An integer option. */
    public int integer(String name) {
        return Integer.parseInt(string(name));
    }

    /** A long option. */
    public long longValue(String name) {
        return Long.parseLong(string(name));
    }

    /** A real-valued option. */
    public double real(String name) {
        return Double.parseDouble(string(name));
    }

    /** A flag. */
    public boolean flag(String name) {
        return Boolean.parseBoolean(string(name));
    }

    /** {@code --epochs}. */
    public int epochs() {
        return integer("epochs");
    }

    /** {@code --batch-size}. */
    public int batchSize() {
        return integer("batch-size");
    }

    /** {@code --seed}. */
    public long seed() {
        return longValue("seed");
    }

    /** {@code --data}: an IDX folder or file, or null for the embedded digits. */
    public Path data() {
        String value = spec.has("data") ? string("data") : null;
        return value == null || value.equals("embedded") ? null : Path.of(value);
    }

    /** {@code --samples}: at most this many training samples (0: all); the test set is cut to a quarter of it. */
    public int samples() {
        return spec.has("samples") ? integer("samples") : 0;
    }

    /** {@code --out}: where the sample writes, by default {@code nabla-out/<program without "nabla-">}. */
    public Path out() {
        return Path.of(string("out"));
    }

    /** The name given with {@code --backend}, or null to let {@code NABLA_BACKEND} or the best available decide. */
    public String backendName() {
        return string("backend");
    }

    /**
     * Makes the backend of {@code --backend} the default and returns it (or the default choice when not given).
     *
     * @throws dev.nabla.backend.BackendUnavailableException when it is unknown or cannot run here
     */
    public Backend backend() {
        String name = backendName();
        return name == null ? Backends.current() : Backends.use(name);
    }

    /** The arguments as given, for records such as a checkpoint's (help excluded). */
    public List<String> asArguments() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> {
            out.add("--" + k);
            if (spec.declared(k).metavar != null) {
                out.add(v);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ declaration

    /** What a program accepts; {@link #parse} reads a command line against it. */
    public static final class Spec {
        private final String name;
        private final String description;
        private final Map<String, Declared> declared = new LinkedHashMap<>();
        private final List<String> examples = new ArrayList<>();
        private String exitCodes = "0 ok, 2 bad arguments, 3 data missing or unreadable, 4 backend unavailable";

        private Spec(String name, String description) {
            this.name = name;
            this.description = description;
            add(new Declared("backend", "NAME", null, Kind.STRING,
                    "cpu, opencl or cuda (default: $NABLA_BACKEND, else the best available)"));
            add(new Declared("epochs", "N", "10", Kind.POSITIVE_INT, "training epochs"));
            add(new Declared("batch-size", "N", "32", Kind.POSITIVE_INT, "samples per batch"));
            add(new Declared("seed", "N", "42", Kind.LONG, "seed of weights and shuffles (same seed, same run)"));
            String stem = name.startsWith("nabla-") ? name.substring("nabla-".length()) : name;
            add(new Declared("out", "DIR", Path.of("nabla-out", stem).toString(), Kind.STRING,
                    "folder for what it writes (history, charts, models)"));
        }

        /** The launcher's name. */
        public String name() {
            return name;
        }

        /** The default of {@code --epochs}, with what an epoch means here. */
        public Spec epochs(int defaultValue, String help) {
            return redefine("epochs", String.valueOf(defaultValue), help);
        }

        public Spec epochs(int defaultValue) {
            return epochs(defaultValue, "training epochs");
        }

        /** The default of {@code --batch-size}, with what a batch means here. */
        public Spec batchSize(int defaultValue, String help) {
            return redefine("batch-size", String.valueOf(defaultValue), help);
        }

        public Spec batchSize(int defaultValue) {
            return batchSize(defaultValue, "samples per batch");
        }

        /** The default of {@code --seed}. */
        public Spec seed(long defaultValue) {
            Declared d = declared.get("seed");
            return redefine("seed", String.valueOf(defaultValue), d.help);
        }

        /** Adds {@code --data DIR} (MNIST-style IDX folder; default the embedded digits) and {@code --samples N}. */
        public Spec data() {
            add(new Declared("data", "DIR", null, Kind.STRING,
                    "MNIST-style IDX folder (train-images-idx3-ubyte[.gz] …); default: the 10,000 embedded digits"));
            add(new Declared("samples", "N", "0", Kind.NON_NEGATIVE_INT,
                    "use at most N training samples and N/4 test samples (0: all)"));
            return this;
        }

        public Spec intOption(String option, String metavar, int defaultValue, String help) {
            return add(new Declared(option, metavar, String.valueOf(defaultValue), Kind.INT, help));
        }

        public Spec doubleOption(String option, String metavar, double defaultValue, String help) {
            return add(new Declared(option, metavar, String.valueOf(defaultValue), Kind.DOUBLE, help));
        }

        /**
         * A real-valued option that must be finite and above 0, such as a learning rate: anything else is refused
         * when parsed ("--lr must be positive, got -1"). {@code defaultValue} may be null (not given).
         */
        public Spec positiveDoubleOption(String option, String metavar, Double defaultValue, String help) {
            return add(new Declared(option, metavar, defaultValue == null ? null : String.valueOf(defaultValue),
                    Kind.POSITIVE_DOUBLE, help));
        }

        /** A text option; {@code defaultValue} may be null (not given). */
        public Spec stringOption(String option, String metavar, String defaultValue, String help) {
            return add(new Declared(option, metavar, defaultValue, Kind.STRING, help));
        }

        /** A text option that must be one of {@code choices}. */
        public Spec choiceOption(String option, String defaultValue, String help, String... choices) {
            Declared d = new Declared(option, String.join("|", choices), defaultValue, Kind.CHOICE, help);
            d.choices = List.of(choices);
            return add(d);
        }

        /** An option without a value, false unless given. */
        public Spec flag(String option, String help) {
            return add(new Declared(option, null, "false", Kind.FLAG, help));
        }

        /** The usage text's line on exit codes. */
        public Spec exitCodes(String text) {
            exitCodes = text;
            return this;
        }

        /** A line for the usage text's examples. */
        public Spec example(String commandLine) {
            examples.add(commandLine);
            return this;
        }

        /**
         * Reads a command line.
         *
         * @throws UsageException naming the argument that is wrong and what was expected
         */
        public Options parse(String... args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                    continue;
                }
                if (!arg.startsWith("--") || arg.length() == 2) {
                    throw new UsageException("unexpected argument '" + arg + "'; expected options like --epochs 3");
                }
                String key = arg.substring(2);
                String value = null;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                Declared d = declared.get(key);
                if (d == null) {
                    throw new UsageException("unknown option --" + key + "; " + name + " takes " + String.join(", ",
                            declared.keySet().stream().map(k -> "--" + k).toList()));
                }
                if (d.kind == Kind.FLAG) {
                    if (value != null && !value.equals("true") && !value.equals("false")) {
                        throw new UsageException("--" + key + " is a flag; expected no value (or =true / =false), got '"
                                + value + "'");
                    }
                    values.put(key, value == null ? "true" : value);
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + key + " needs a value (" + d.metavar + ")");
                    }
                    value = args[++i];
                }
                values.put(key, d.check(value));
            }
            return new Options(this, Collections.unmodifiableMap(values), help);
        }

        /** The usage text printed by {@code --help}. */
        public String usage() {
            StringBuilder s = new StringBuilder();
            s.append("usage: ").append(name).append(" [options]\n\n").append(description).append("\n\noptions:\n");
            for (Declared d : declared.values()) {
                String left = "  --" + d.name + (d.metavar == null ? "" : " " + d.metavar);
                s.append(left);
                s.append(left.length() < 26 ? " ".repeat(26 - left.length()) : "\n" + " ".repeat(26));
                s.append(d.help);
                if (d.defaultValue != null && d.kind != Kind.FLAG) {
                    s.append(" (default ").append(d.defaultValue).append(')');
                }
                s.append('\n');
            }
            s.append("  --help                  this text\n");
            if (!examples.isEmpty()) {
                s.append("\nexamples:\n");
                examples.forEach(e -> s.append("  ").append(e).append('\n'));
            }
            s.append("\nexit codes: ").append(exitCodes);
            return s.toString();
        }

        boolean has(String option) {
            return declared.containsKey(option);
        }

        Declared declared(String option) {
            Declared d = declared.get(option);
            if (d == null) {
                throw new IllegalArgumentException(name + " declares no option --" + option);
            }
            return d;
        }

        private Spec add(Declared d) {
            declared.put(d.name, d);
            return this;
        }

        private Spec redefine(String option, String defaultValue, String help) {
            Declared old = declared(option);
            return add(new Declared(option, old.metavar, old.kind.check(option, defaultValue, null), old.kind, help));
        }
    }

    private enum Kind {
        INT, POSITIVE_INT, NON_NEGATIVE_INT, LONG, DOUBLE, POSITIVE_DOUBLE, STRING, CHOICE, FLAG;

        String check(String option, String value, List<String> choices) {
            try {
                switch (this) {
                    case INT -> Integer.parseInt(value);
                    case POSITIVE_INT -> {
                        if (Integer.parseInt(value) < 1) {
                            throw new UsageException("--" + option + " must be at least 1, got " + value);
                        }
                    }
                    case NON_NEGATIVE_INT -> {
                        if (Integer.parseInt(value) < 0) {
                            throw new UsageException("--" + option + " must be 0 or more, got " + value);
                        }
                    }
                    case LONG -> Long.parseLong(value);
                    case DOUBLE -> {
                        double d = Double.parseDouble(value);
                        if (!Double.isFinite(d)) {
                            throw new UsageException("--" + option + " must be a finite number, got " + value);
                        }
                    }
                    case POSITIVE_DOUBLE -> {
                        double d = Double.parseDouble(value);
                        if (!Double.isFinite(d)) {
                            throw new UsageException("--" + option + " must be a finite positive number, got " + value);
                        }
                        if (d <= 0) {
                            throw new UsageException("--" + option + " must be positive, got " + value);
                        }
                    }
                    case CHOICE -> {
                        String lower = value.toLowerCase(Locale.ROOT);
                        if (!choices.contains(lower)) {
                            throw new UsageException("--" + option + " is '" + value + "'; expected one of "
                                    + String.join(", ", choices));
                        }
                        return lower;
                    }
                    default -> {
                    }
                }
            } catch (NumberFormatException e) {
                String expected = this == DOUBLE || this == POSITIVE_DOUBLE ? "a number like 0.01 or 1e-3"
                        : "a whole number";
                throw new UsageException("--" + option + " expects " + expected + ", got '" + value + "'", e);
            }
            return value;
        }
    }

    private static final class Declared {
        final String name;
        final String metavar;
        final String defaultValue;
        final Kind kind;
        final String help;
        List<String> choices;

        Declared(String name, String metavar, String defaultValue, Kind kind, String help) {
            this.name = name;
            this.metavar = metavar;
            this.defaultValue = defaultValue;
            this.kind = kind;
            this.help = help;
        }

        String check(String value) {
            return kind.check(name, value, choices);
        }
    }
}
