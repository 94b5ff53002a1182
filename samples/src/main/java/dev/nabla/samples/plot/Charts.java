package dev.nabla.samples.plot;

import dev.nabla.io.FileErrors;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG line charts of training runs, drawn with XChart without a display ({@code java.awt.headless=true}).
 *
 * <pre>{@code
 * XYChart chart = Charts.historyChart(history.history(), "accuracy", "784-512 tanh-10 softmax, Adam");
 * Charts.save(chart, out.resolve("accuracy.png"));
 * }</pre>
 *
 * <p>Train curves are solid, validation curves dashed (in the run's colour when several runs share a chart),
 * so a chart reads at a glance.
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true"); // before any AWT class loads
    }

    /** Pixels of every chart: small enough for a README, large enough to read. */
    public static final int WIDTH = 800;

    public static final int HEIGHT = 500;

    /** Colour-blind-safe colours (Okabe and Ito), one per run. */
    public static final Color[] PALETTE = {
        new Color(0, 114, 178),
        new Color(213, 94, 0),
        new Color(0, 158, 115),
        new Color(204, 121, 167),
        new Color(230, 159, 0),
        new Color(86, 180, 233),
        new Color(0, 0, 0)
    };

    static final BasicStroke SOLID = new BasicStroke(2.2f);
    static final BasicStroke DASHED =
            new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);

    private Charts() {}

    /** An empty line chart with the samples' style. */
    public static XYChart lineChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        style(chart);
        if (xTitle.equals("epoch") || xTitle.equals("step")) {
            chart.getStyler().setXAxisDecimalPattern("#,##0"); // whole numbers on a counting axis
        }
        return chart;
    }

    static void style(XYChart chart) {
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setMarkerSize(6);
        styler.setXAxisTickMarkSpacingHint(90);
        styler.setAntiAlias(true);
        styler.setLegendSeriesLineLength(30);
    }

    /** Adds a curve y(x) in {@code color}, dashed when {@code dashed}. */
    public static XYSeries curve(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        if (x.length > 30) {
            // XChart puts the ticks of equally spaced x values on data points (0, 61, 122 …); one extra point
            // halfway along the first segment, invisible in the line, lets it choose round ticks instead.
            double[] xs = new double[x.length + 1];
            double[] ys = new double[y.length + 1];
            xs[0] = x[0];
            ys[0] = y[0];
            xs[1] = (x[0] + x[1]) / 2;
            ys[1] = (y[0] + y[1]) / 2;
            System.arraycopy(x, 1, xs, 2, x.length - 1);
            System.arraycopy(y, 1, ys, 2, y.length - 1);
            x = xs;
            y = ys;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setLineStyle(dashed ? DASHED : SOLID);
        s.setMarker(x.length <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setMarkerColor(color);
        return s;
    }

    /**
     * One metric of a run per epoch: {@code metric} (solid) and {@code val_metric} (dashed) when present,
     * e.g. "loss" or "accuracy".
     */
    public static XYChart historyChart(Map<String, List<Double>> history, String metric, String run) {
        XYChart chart = lineChart(title(metric) + " per epoch — " + run, "epoch", metric);
        addRun(chart, history, metric, "", PALETTE[0], PALETTE[1]); // one run: two colours read better
        if (metric.contains("loss")) {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        }
        return chart;
    }

    /**
     * Train (solid) and validation (dashed) {@code metric} of several runs in one chart, one colour per run
     * (the course's SGD-versus-Adam chart, as nabla-mnist-mlp draws it).
     */
    public static XYChart comparisonChart(Map<String, Map<String, List<Double>>> runs, String metric, String title) {
        XYChart chart = lineChart(title, "epoch", metric);
        int i = 0;
        for (Map.Entry<String, Map<String, List<Double>>> run : runs.entrySet()) {
            Color color = PALETTE[i++ % PALETTE.length];
            addRun(chart, run.getValue(), metric, run.getKey() + " ", color, color);
        }
        return chart;
    }

    private static void addRun(
            XYChart chart,
            Map<String, List<Double>> history,
            String metric,
            String prefix,
            Color trainColor,
            Color validationColor) {
        List<Double> train = history.get(metric);
        List<Double> validation = history.get("val_" + metric);
        if (train == null && validation == null) {
            throw new IllegalArgumentException("the history holds no '" + metric + "'; it holds " + history.keySet());
        }
        if (train != null) {
            curve(chart, prefix + "train", epochs(train.size()), finite(train), trainColor, false);
        }
        if (validation != null) {
            curve(chart, prefix + "validation", epochs(validation.size()), finite(validation), validationColor, true);
        }
    }

    /** One chart per metric of the history (loss, accuracy, …), saved as {@code <prefix><metric>.png}. */
    public static List<Path> saveHistoryCharts(Map<String, List<Double>> history, String run, Path dir, String prefix) {
        List<Path> written = new ArrayList<>();
        for (String key : history.keySet()) {
            if (key.startsWith("val_") && history.containsKey(key.substring(4))) {
                continue; // drawn with its training twin
            }
            String metric = key.startsWith("val_") ? key.substring(4) : key;
            if (history.get(key).isEmpty()) {
                continue;
            }
            written.add(save(historyChart(history, metric, run), dir.resolve(prefix + metric + ".png")));
        }
        return written;
    }

    /** Writes the chart as a PNG (the folder is created) and returns the path. */
    public static Path save(XYChart chart, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // ImageIO's disk-cached streams register a shutdown hook when they open, which throws
            // while the JVM shuts down — exactly when nabla-train writes its charts after Ctrl-C.
            javax.imageio.ImageIO.setUseCache(false);
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file + ": " + FileErrors.reason(e), e);
        }
        return file;
    }

    static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** The values, with non-finite ones (a diverged loss) as NaN so that XChart leaves a gap. */
    static double[] finite(List<Double> values) {
        double[] y = new double[values.size()];
        for (int i = 0; i < y.length; i++) {
            double v = values.get(i);
            y[i] = Double.isFinite(v) ? v : Double.NaN;
        }
        return y;
    }

    private static String title(String metric) {
        return metric.isEmpty() ? metric : Character.toUpperCase(metric.charAt(0)) + metric.substring(1);
    }
}
