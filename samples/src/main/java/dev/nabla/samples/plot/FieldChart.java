package dev.nabla.samples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A chart of the plane: a coloured background (decision regions, or filled contour bands of a cost), level
 * curves, and points or paths on top. XChart has no contour or image series, so the background is a grid of
 * square markers, one per cell, a pixel larger than a cell so that no seam shows; level curves are traced around a centre.
 *
 * <pre>{@code
 * FieldChart chart = FieldChart.of("J(x) = x₁² + 2x₂² − x₁x₂", "x₁", "x₂", -6, 6, -5, 5);
 * chart.fill((x, y) -> band(cost(x, y)), BLUES, null);
 * chart.levelCurve(cost, 1.0, 0, 0, Color.GRAY, "J = 1");
 * chart.path("gradient descent", xs, ys, Color.RED);
 * Charts.save(chart.chart(), out.resolve("path.png"));
 * }</pre>
 */
public final class FieldChart {
    /** Cells per axis of the background. */
    private static final int CELLS_X = 200;

    private static final int CELLS_Y = 150;
    /** Pixels of a background cell's square: a little more than a cell, so that no seam shows. */
    private static final double CELL_PIXELS =
            Math.ceil(Math.max((double) Charts.WIDTH / CELLS_X, (double) (Charts.HEIGHT + 100) / CELLS_Y)) + 1;

    private final XYChart chart;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;

    /** The category of a point of the plane (a class, a contour band), an index into a palette. */
    @FunctionalInterface
    public interface Categories {
        int at(double x, double y);
    }

    private FieldChart(XYChart chart, double xMin, double xMax, double yMin, double yMax) {
        this.chart = chart;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    /** An empty chart of the rectangle [xMin, xMax] × [yMin, yMax]. */
    public static FieldChart of(
            String title, String xTitle, String yTitle, double xMin, double xMax, double yMin, double yMax) {
        XYChart chart = new XYChartBuilder()
                .width(Charts.WIDTH)
                .height(Charts.HEIGHT + 100)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        Charts.style(chart);
        var styler = chart.getStyler();
        styler.setXAxisMin(xMin).setXAxisMax(xMax).setYAxisMin(yMin).setYAxisMax(yMax);
        styler.setPlotContentSize(1.0);
        styler.setPlotMargin(0);
        styler.setPlotGridLinesVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setMarkerSize(8);
        return new FieldChart(chart, xMin, xMax, yMin, yMax);
    }

    public XYChart chart() {
        return chart;
    }

    /**
     * Colours every cell by the category of its centre. {@code names} (may be null) puts the categories in
     * the legend.
     */
    public FieldChart fill(Categories categories, Color[] palette, String[] names) {
        double[][] centres = cellCentres();
        int[] category = new int[centres.length];
        for (int k = 0; k < centres.length; k++) {
            category[k] = categories.at(centres[k][0], centres[k][1]);
        }
        return fill(category, palette, names);
    }

    /** The centres of the background cells, {x, y} each, in the order {@link #fill(int[], Color[], String[])} takes. */
    public double[][] cellCentres() {
        double[][] out = new double[CELLS_X * CELLS_Y][];
        double dx = (xMax - xMin) / CELLS_X;
        double dy = (yMax - yMin) / CELLS_Y;
        for (int i = 0; i < CELLS_X; i++) {
            for (int j = 0; j < CELLS_Y; j++) {
                out[i * CELLS_Y + j] = new double[] {xMin + (i + 0.5) * dx, yMin + (j + 0.5) * dy};
            }
        }
        return out;
    }

    /**
     * Colours every cell by its category, one per cell in {@link #cellCentres()} order (computed in one batch,
     * e.g. a model's predictions for all centres).
     */
    public FieldChart fill(int[] categoryPerCell, Color[] palette, String[] names) {
        double[][] centres = cellCentres();
        if (categoryPerCell.length != centres.length) {
            throw new IllegalArgumentException(categoryPerCell.length + " categories for " + centres.length
                    + " cells; expected one per cell of cellCentres()");
        }
        List<List<double[]>> cells = new ArrayList<>();
        for (int i = 0; i < palette.length; i++) {
            cells.add(new ArrayList<>());
        }
        for (int k = 0; k < centres.length; k++) {
            int c = categoryPerCell[k];
            if (c < 0 || c >= palette.length) {
                throw new IllegalArgumentException(
                        "category " + c + " at (" + centres[k][0] + ", " + centres[k][1] + "); expected one in [0, "
                                + palette.length + ") for a palette of " + palette.length + " colours");
            }
            cells.get(c).add(centres[k]);
        }
        for (int c = 0; c < palette.length; c++) {
            List<double[]> points = cells.get(c);
            if (points.isEmpty()) {
                continue;
            }
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = points.get(k)[0];
                ys[k] = points.get(k)[1];
            }
            String name = names != null ? names[c] : "background " + c;
            XYSeries s = chart.addSeries(name, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(Dot.square(CELL_PIXELS));
            s.setMarkerColor(palette[c]);
            s.setShowInLegend(names != null);
        }
        return this;
    }

    /** A level curve left out of the legend. */
    public FieldChart levelCurve(DoubleBinaryOperator f, double level, double cx, double cy, Color color, String name) {
        return levelCurve(f, level, cx, cy, color, name, false);
    }

    /**
     * The curve f(x, y) = level around ({@code cx}, {@code cy}), where f is smallest: along 360 rays from the
     * centre, the distance at which f reaches the level (found by bisection). Right for costs whose level sets
     * are star-shaped around the minimum, such as convex ones. {@code inLegend} lists it under {@code name}.
     */
    public FieldChart levelCurve(
            DoubleBinaryOperator f, double level, double cx, double cy, Color color, String name, boolean inLegend) {
        int rays = 360;
        double[] xs = new double[rays + 1];
        double[] ys = new double[rays + 1];
        double reach = 4 * Math.hypot(xMax - xMin, yMax - yMin);
        for (int k = 0; k <= rays; k++) {
            double angle = 2 * Math.PI * k / rays;
            double ux = Math.cos(angle);
            double uy = Math.sin(angle);
            double lo = 0;
            double hi = reach;
            for (int it = 0; it < 60; it++) {
                double mid = (lo + hi) / 2;
                if (f.applyAsDouble(cx + mid * ux, cy + mid * uy) < level) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            xs[k] = cx + lo * ux;
            ys[k] = cy + lo * uy;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(1.2f));
        s.setShowInLegend(inLegend);
        return this;
    }

    /** A path through the points in order, with a marker at each. */
    public FieldChart path(String name, double[] xs, double[] ys, Color color) {
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(Dot.circle(8));
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(2f));
        return this;
    }

    /** Points without lines. */
    public FieldChart points(String name, double[] xs, double[] ys, Color color) {
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(Dot.circle(7));
        s.setMarkerColor(color);
        return this;
    }

    /** {@code c} mixed with white: t = 0 gives c, t = 1 white (pale region colours from the run colours). */
    public static Color tint(Color c, double t) {
        return new Color(
                (int) Math.round(c.getRed() + (255 - c.getRed()) * t),
                (int) Math.round(c.getGreen() + (255 - c.getGreen()) * t),
                (int) Math.round(c.getBlue() + (255 - c.getBlue()) * t));
    }
}
