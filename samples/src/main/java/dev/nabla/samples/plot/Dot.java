package dev.nabla.samples.plot;

import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import org.knowm.xchart.style.markers.Marker;

/**
 * Markers of their own size: XChart has one marker size per chart, but a {@link FieldChart}'s background
 * cells and the points drawn over them need different sizes.
 */
final class Dot extends Marker {
    private final double diameter;
    private final boolean square;

    private Dot(double diameter, boolean square) {
        this.diameter = diameter;
        this.square = square;
    }

    /** A filled circle of {@code diameter} pixels. */
    static Dot circle(double diameter) {
        return new Dot(diameter, false);
    }

    /** A filled square of {@code side} pixels. */
    static Dot square(double side) {
        return new Dot(side, true);
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int ignoredChartMarkerSize) {
        double h = diameter / 2;
        g.fill(
                square
                        ? new Rectangle2D.Double(x - h, y - h, diameter, diameter)
                        : new Ellipse2D.Double(x - h, y - h, diameter, diameter));
    }
}
