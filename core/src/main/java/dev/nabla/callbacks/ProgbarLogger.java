package dev.nabla.callbacks;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;

/**
 * Prints training progress as Keras does (added to {@code fit} by default when verbose ≥ 1).
 *
 * <p>On a terminal with verbose 1, a bar redrawn in place at most every 0.1 s, with steps, ETA,
 * and the running loss and metrics; at the end of the epoch, the elapsed time, time per step and
 * the validation values:
 * <pre>
 * Epoch 1/10
 *  38/63 [==================&gt;...........] - ETA: 1s - loss: 0.6931 - accuracy: 0.8012
 * 63/63 [==============================] - 2s 31ms/step - loss: 0.5421 - accuracy: 0.8526 - val_loss: 0.3012 - val_accuracy: 0.9105
 * </pre>
 * When the output is not a terminal (a pipe, a CI log, {@code System.console() == null}) and with
 * verbose 2 it prints plain lines instead: one per epoch, and with verbose 1 also a progress line
 * every 30 s of a long epoch.
 *
 * <p>Running values are read from the device only when a line is printed, never per step.
 * {@code -Dnabla.progress=plain} or {@code =terminal} overrides the terminal detection.
 */
public final class ProgbarLogger extends Callback {
    private static final int WIDTH = 30;
    private static final long REFRESH_NANOS = 100_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private int verbose = 1;
    private int epochs;
    private int steps;
    private long epochStart;
    private long lastPrint;
    private int lastWidth;
    private int seenSteps;

    /** Writes to {@code System.out}, detecting whether it is a terminal. */
    public ProgbarLogger() {
        this(System.out, isTerminal());
    }

    /** Writes to {@code out}; {@code terminal} selects the redrawn bar over plain lines. */
    public ProgbarLogger(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard output is an interactive terminal (JDK 22+ asks the console; earlier, a console exists only then). */
    public static boolean isTerminal() {
        String forced = System.getProperty("nabla.progress");
        if (forced != null) {
            return forced.equalsIgnoreCase("terminal");
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void setParams(TrainingParams params) {
        super.setParams(params);
        this.verbose = params.verbose();
        this.epochs = params.epochs();
        this.steps = params.steps();
    }

    @Override
    public void onEpochBegin(int epoch, Logs logs) {
        if (verbose == 0) {
            return;
        }
        out.println("Epoch " + (epoch + 1) + "/" + epochs);
        epochStart = System.nanoTime();
        lastPrint = epochStart;
        lastWidth = 0;
        seenSteps = 0;
    }

    @Override
    public void onBatchEnd(int batch, Logs logs) {
        seenSteps = batch + 1;
        if (verbose != 1) {
            return;
        }
        long now = System.nanoTime();
        boolean last = batch + 1 >= steps;
        if (terminal) {
            if (!last && now - lastPrint >= REFRESH_NANOS) {
                redraw(barLine(batch + 1, now, logs.asMap(), false));
                lastPrint = now;
            }
        } else if (!last && now - lastPrint >= PLAIN_INTERVAL_NANOS) {
            out.println(plainProgress(batch + 1, now, logs.asMap()));
            lastPrint = now;
        }
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs) {
        if (verbose == 0) {
            return;
        }
        long now = System.nanoTime();
        int done = Math.max(seenSteps, 1);
        if (verbose == 1 && terminal) {
            redraw(barLine(done, now, logs.asMap(), true));
            out.println();
        } else {
            double seconds = (now - epochStart) / 1e9;
            out.println(done + "/" + steps + " - " + duration(seconds) + " - " + perStep(seconds / done)
                    + values(logs.asMap()));
        }
        out.flush();
    }

    private void redraw(String line) {
        int pad = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    private String barLine(int current, long now, Map<String, Double> values, boolean finished) {
        String count = String.valueOf(steps);
        StringBuilder line = new StringBuilder();
        line.append(
                " ".repeat(Math.max(0, count.length() - String.valueOf(current).length())));
        line.append(current).append('/').append(count).append(" [");
        int filled = steps == 0 ? WIDTH : (int) ((long) WIDTH * current / steps);
        if (filled > 0) {
            line.append("=".repeat(filled - 1)).append(current < steps ? '>' : '=');
        }
        line.append(".".repeat(WIDTH - filled)).append(']');
        double seconds = (now - epochStart) / 1e9;
        if (finished) {
            line.append(" - ").append(duration(seconds)).append(' ').append(perStep(seconds / current));
        } else {
            double eta = seconds / current * (steps - current);
            line.append(" - ETA: ").append(eta(eta));
        }
        line.append(values(values));
        return line.toString();
    }

    private String plainProgress(int current, long now, Map<String, Double> values) {
        double seconds = (now - epochStart) / 1e9;
        return current + "/" + steps + " - " + duration(seconds) + " elapsed - ETA: "
                + eta(seconds / current * (steps - current)) + values(values);
    }

    /** " - loss: 0.1234 - accuracy: 0.9876" as Keras formats values. */
    static String values(Map<String, Double> values) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double v = e.getValue();
            s.append(" - ").append(e.getKey()).append(": ");
            s.append(
                    Math.abs(v) > 1e-3 || v == 0 || Double.isNaN(v) || Double.isInfinite(v)
                            ? String.format(Locale.ROOT, "%.4f", v)
                            : String.format(Locale.ROOT, "%.4e", v));
        }
        return s.toString();
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    static String duration(double seconds) {
        return Math.round(seconds) + "s";
    }

    static String perStep(double seconds) {
        if (seconds >= 1) {
            return String.format(Locale.ROOT, "%.0fs/step", seconds);
        }
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }
}
