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
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of a launcher, parsed one way for all of them (by picocli). Every sample takes the common
 * options {@code --backend cpu|opencl|cuda}, {@code --epochs}, {@code --batch-size}, {@code --seed},
 * {@code --out DIR}, {@code --debug} and {@code --help}; samples that read digits add {@code --data DIR} and
 * {@code --samples N}; each adds its own, and a tool such as a benchmark drops the ones it has no use for.
 *
 * <pre>{@code
 * Options.Spec spec = Options.program("nabla-mnist-mlp", "SGD and Adam on the 784-512 tanh-10 softmax network.")
 *         .epochs(20).batchSize(128).data()
 *         .positiveDoubleOption("lr", "RATE", 0.01, "learning rate of SGD");
 * Options options = spec.parse("--epochs", "3", "--lr=0.05");
 * options.epochs();          // 3
 * options.real("lr");        // 0.05
 * options.out();             // nabla-out/mnist-mlp
 * }</pre>
 *
 * <p>Options may be written {@code --name value} or {@code --name=value}; when one is given twice the last
 * wins. Anything else (an unknown option, a value that is not a number or out of its range, a choice not
 * offered) is a {@link UsageException} whose one-line message says what was expected.
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

    /** Whether {@code --debug} was given: failures then print their stack trace. */
    public boolean debug() {
        return flag("debug");
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

    /** {@code --out}: where the sample writes, by default {@code nabla-out/<program without "nabla-">}; null for a program that writes nothing. */
    public Path out() {
        return spec.has("out") ? Path.of(string("out")) : null;
    }

    /** The name given with {@code --backend}, or null to let {@code NABLA_BACKEND} or the best available decide. */
    public String backendName() {
        return spec.has("backend") ? string("backend") : null;
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

    /** The arguments as given, for records such as a checkpoint's ({@code --help} and {@code --debug} excluded). */
    public List<String> asArguments() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> {
            if (k.equals("debug")) {
                return;
            }
            Declared d = spec.declared(k);
            if (d.kind == Kind.FLAG) {
                out.add("--" + k);
            } else {
                out.add("--" + k);
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
        private String exitCodes = "0 ok, 1 failed (a bug: run again with --debug for the stack trace), "
                + "2 bad arguments, 3 data missing or unreadable, 4 backend unavailable";

        private Spec(String name, String description) {
            this.name = name;
            this.description = description;
            add(new Declared(
                    "backend",
                    "NAME",
                    null,
                    Kind.STRING,
                    "cpu, opencl or cuda (default: $NABLA_BACKEND, else the best available)"));
            add(new Declared("epochs", "N", "10", Kind.INT, "training epochs").range(1, Integer.MAX_VALUE));
            add(new Declared("batch-size", "N", "32", Kind.INT, "samples per batch").range(1, Integer.MAX_VALUE));
            add(new Declared("seed", "N", "42", Kind.LONG, "seed of weights and shuffles (same seed, same run)"));
            String stem = name.startsWith("nabla-") ? name.substring("nabla-".length()) : name;
            add(new Declared(
                    "out",
                    "DIR",
                    Path.of("nabla-out", stem).toString(),
                    Kind.STRING,
                    "folder for what it writes (history, charts, models)"));
            add(new Declared("debug", null, "false", Kind.FLAG, "print the stack trace of a failure"));
        }

        /** The launcher's name. */
        public String name() {
            return name;
        }

        /** Drops common options the program has no use for (a benchmark has no {@code --out}, for one). */
        public Spec without(String... options) {
            for (String option : options) {
                declared(option);
                declared.remove(option);
            }
            return this;
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

        /** Limits a whole-number option to {@code [min, max]}: a value past the limit is refused, not a crash. */
        public Spec range(String option, long min, long max) {
            Declared d = declared(option);
            if (d.kind != Kind.INT && d.kind != Kind.LONG) {
                throw new IllegalArgumentException("--" + option + " is not a whole-number option");
            }
            d.range(min, max).check(d.defaultValue);
            return this;
        }

        /** The default of {@code --seed}. */
        public Spec seed(long defaultValue) {
            Declared d = declared.get("seed");
            return redefine("seed", String.valueOf(defaultValue), d.help);
        }

        /** Adds {@code --data DIR} (MNIST-style IDX folder; default the embedded digits) and {@code --samples N}. */
        public Spec data() {
            add(new Declared(
                    "data",
                    "DIR",
                    null,
                    Kind.STRING,
                    "MNIST-style IDX folder (train-images-idx3-ubyte[.gz] …); default: the 10,000 embedded digits"));
            add(new Declared(
                            "samples",
                            "N",
                            "0",
                            Kind.INT,
                            "use at most N training samples and N/4 test samples (0: all)")
                    .range(0, Integer.MAX_VALUE));
            return this;
        }

        /** A whole-number option of any value. */
        public Spec intOption(String option, String metavar, int defaultValue, String help) {
            return add(new Declared(option, metavar, String.valueOf(defaultValue), Kind.INT, help));
        }

        /** A whole-number option that must lie in {@code [min, max]} (the limit a value past it would break). */
        public Spec intOption(String option, String metavar, int defaultValue, int min, int max, String help) {
            return add(new Declared(option, metavar, String.valueOf(defaultValue), Kind.INT, help).range(min, max));
        }

        /** A finite real option. */
        public Spec doubleOption(String option, String metavar, double defaultValue, String help) {
            return add(new Declared(option, metavar, String.valueOf(defaultValue), Kind.DOUBLE, help));
        }

        /**
         * A real-valued option that must be finite and above 0, such as a learning rate: anything else is refused
         * when parsed ("--lr must be positive, got -1"). {@code defaultValue} may be null (not given).
         */
        public Spec positiveDoubleOption(String option, String metavar, Double defaultValue, String help) {
            return add(new Declared(
                    option,
                    metavar,
                    defaultValue == null ? null : String.valueOf(defaultValue),
                    Kind.POSITIVE_DOUBLE,
                    help));
        }

        /** A text option; {@code defaultValue} may be null (not given). */
        public Spec stringOption(String option, String metavar, String defaultValue, String help) {
            return add(new Declared(option, metavar, defaultValue, Kind.STRING, help));
        }

        /** A text option that must be one of {@code choices} (in any case). */
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
            CommandLine line = commandLine();
            line.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as in most tools
            CommandLine.ParseResult result;
            try {
                result = line.parseArgs(args);
            } catch (UnmatchedArgumentException e) {
                throw new UsageException(unmatched(e), e);
            } catch (MissingParameterException e) {
                OptionSpec option = (OptionSpec) e.getMissing().get(0);
                String found = e.getMessage().contains("but found '")
                        ? ", found " + e.getMessage().replaceFirst(".*but found '(.*)'.*", "$1")
                        : "";
                throw new UsageException(
                        option.longestName() + " needs a value (" + option.paramLabel() + ")" + found, e);
            } catch (ParameterException e) {
                if (e.getCause() instanceof UsageException usage) {
                    throw usage;
                }
                String message = e.getMessage()
                        .replaceFirst(
                                "^option '(--[\\w-]+)' should be specified without '(.*)' parameter$",
                                "$1 is a flag; expected no value, got '$2'");
                throw new UsageException(lowerFirst(message), e);
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (OptionSpec option : result.matchedOptions()) {
                if (option.usageHelp()) {
                    continue;
                }
                String key = option.longestName().substring(2);
                values.remove(key); // the order of the last occurrence, as recorded below
                values.put(key, String.valueOf((Object) option.getValue()));
            }
            return new Options(this, Collections.unmodifiableMap(values), line.isUsageHelpRequested());
        }

        /** The usage text printed by {@code --help}. */
        public String usage() {
            return commandLine().getUsageMessage().stripTrailing();
        }

        /** The options it takes, as written on a command line. */
        public Set<String> optionNames() {
            Set<String> names = new java.util.LinkedHashSet<>();
            declared.keySet().forEach(k -> names.add("--" + k));
            names.add("--help");
            return names;
        }

        private CommandLine commandLine() {
            CommandSpec command = CommandSpec.create().name(name);
            command.usageMessage()
                    .synopsisHeading("")
                    .customSynopsis("usage: " + name + " [options]")
                    .description("", description)
                    .optionListHeading("%noptions:%n")
                    .footer(footer())
                    .sortOptions(false)
                    .width(110);
            for (Declared d : declared.values()) {
                command.addOption(d.option());
            }
            command.addOption(OptionSpec.builder("-h", "--help")
                    .usageHelp(true)
                    .description("this text")
                    .build());
            return new CommandLine(command);
        }

        private String footer() {
            StringBuilder s = new StringBuilder();
            if (!examples.isEmpty()) {
                s.append("%nexamples:%n");
                examples.forEach(
                        e -> s.append("  ").append(e.replace("%", "%%")).append("%n"));
            }
            s.append("%nexit codes: ").append(exitCodes.replace("%", "%%"));
            return s.toString();
        }

        private String unmatched(UnmatchedArgumentException e) {
            List<String> unmatched = e.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (!first.startsWith("-")) {
                return "unexpected argument '" + first + "'; expected options like --epochs 3";
            }
            String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            List<String> suggestions = e.getSuggestions();
            if (!suggestions.isEmpty()) {
                return "unknown option " + option + "; did you mean " + String.join(" or ", suggestions) + "?";
            }
            return "unknown option " + option + "; " + name + " takes " + String.join(", ", optionNames());
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
            Declared d = new Declared(option, old.metavar, defaultValue, old.kind, help).range(old.min, old.max);
            d.check(defaultValue);
            return add(d);
        }

        private static String lowerFirst(String message) {
            return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
    }

    private enum Kind {
        INT,
        LONG,
        DOUBLE,
        POSITIVE_DOUBLE,
        STRING,
        CHOICE,
        FLAG
    }

    /** One option: its name, value's label, default, kind, help and the values it accepts. */
    private static final class Declared {
        final String name;
        final String metavar;
        final String defaultValue;
        final Kind kind;
        final String help;
        List<String> choices;
        long min = Long.MIN_VALUE;
        long max = Long.MAX_VALUE;

        Declared(String name, String metavar, String defaultValue, Kind kind, String help) {
            this.name = name;
            this.metavar = metavar;
            this.defaultValue = defaultValue;
            this.kind = kind;
            this.help = help;
        }

        Declared range(long min, long max) {
            this.min = min;
            this.max = max;
            return this;
        }

        OptionSpec option() {
            String text = help + (defaultValue != null && kind != Kind.FLAG ? " (default " + defaultValue + ")" : "");
            OptionSpec.Builder b = OptionSpec.builder("--" + name).description(text.replace("%", "%%"));
            if (kind == Kind.FLAG) {
                b.arity("0").type(boolean.class);
            } else {
                b.arity("1").paramLabel(metavar).type(String.class).converters(this::check);
            }
            return b.build();
        }

        /** The value in canonical form. @throws UsageException saying what was expected */
        String check(String value) {
            String option = "--" + name;
            try {
                switch (kind) {
                    case INT, LONG -> {
                        long v = kind == Kind.INT ? Integer.parseInt(value) : Long.parseLong(value);
                        if (v < min || v > max) {
                            throw new UsageException(option + " must be " + bounds() + ", got " + value);
                        }
                    }
                    case DOUBLE, POSITIVE_DOUBLE -> {
                        double d = Double.parseDouble(value);
                        if (!Double.isFinite(d)) {
                            throw new UsageException(option + " must be a finite "
                                    + (kind == Kind.POSITIVE_DOUBLE ? "positive " : "") + "number, got " + value);
                        }
                        if (kind == Kind.POSITIVE_DOUBLE && d <= 0) {
                            throw new UsageException(option + " must be positive, got " + value);
                        }
                    }
                    case CHOICE -> {
                        String lower = value.toLowerCase(Locale.ROOT);
                        if (!choices.contains(lower)) {
                            throw new UsageException(
                                    option + " is '" + value + "'; expected one of " + String.join(", ", choices));
                        }
                        return lower;
                    }
                    default -> {}
                }
            } catch (NumberFormatException e) {
                String expected = kind == Kind.DOUBLE || kind == Kind.POSITIVE_DOUBLE
                        ? "a number like 0.01 or 1e-3"
                        : unbounded() ? "a whole number" : "a whole number " + bounds();
                throw new UsageException(option + " expects " + expected + ", got '" + value + "'", e);
            }
            return value;
        }

        private boolean unbounded() {
            return max == Long.MAX_VALUE || max == Integer.MAX_VALUE && kind == Kind.INT;
        }

        private String bounds() {
            if (unbounded()) {
                return min == 0 ? "0 or more" : "at least " + min;
            }
            return "from " + min + " to " + max;
        }
    }
}
