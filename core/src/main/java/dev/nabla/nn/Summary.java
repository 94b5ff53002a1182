package dev.nabla.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The Keras-style summary table, and small helpers for configs. */
final class Summary {
    private Summary() {}

    static void print(Model model, Consumer<String> out) {
        boolean functional = model instanceof Functional;
        int width = functional ? 98 : 65;
        int[] stops = functional ? new int[] {33, 55, 67, 98} : new int[] {29, 55, 65};
        String[] header = functional
                ? new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"}
                : new String[] {"Layer (type)", "Output Shape", "Param #"};
        out.accept("Model: \"" + model.name() + "\"");
        out.accept("_".repeat(width));
        out.accept(row(header, stops));
        out.accept("=".repeat(width));
        List<String[]> rows = model.summaryRows();
        for (int i = 0; i < rows.size(); i++) {
            out.accept(row(rows.get(i), stops));
            if (i < rows.size() - 1) {
                out.accept(" ".repeat(width));
            }
        }
        out.accept("=".repeat(width));
        long total = model.countParams();
        long trainable =
                model.trainableWeights().stream().mapToLong(Parameter::size).sum();
        out.accept("Total params: " + count(total));
        out.accept("Trainable params: " + count(trainable));
        out.accept("Non-trainable params: " + count(total - trainable));
        out.accept("_".repeat(width));
    }

    private static String row(String[] cells, int[] stops) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? " " : "").append(cells[i]);
            int stop = stops[i];
            if (line.length() < stop) {
                line.append(" ".repeat(stop - line.length()));
            } else {
                line.append(' ');
            }
        }
        return line.toString();
    }

    /** "407,050 (1.55 MB)": a count with its size as FLOAT32, as Keras 3 prints it. */
    static String count(long params) {
        return String.format(Locale.ROOT, "%,d (%s)", params, bytes(params * 4));
    }

    static String bytes(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }

    /** "(None, 28, 28)" */
    static String shape(int[] perSample) {
        StringBuilder s = new StringBuilder("(None");
        for (int d : perSample) {
            s.append(", ").append(d);
        }
        return s.append(')').toString();
    }

    /** {class_name, config} of a layer, as Keras serializes it. */
    static Map<String, Object> layerConfig(Layer layer) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("class_name", layer.typeName());
        map.put("config", layer.config());
        return map;
    }

    static String text(int[] shape) {
        return Arrays.toString(shape);
    }
}
