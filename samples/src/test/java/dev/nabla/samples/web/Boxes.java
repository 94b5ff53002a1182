package dev.nabla.samples.web;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Box images for tests, drawn as the page draws them: black ink on a white canvas. */
final class Boxes {
    private Boxes() {}

    static BufferedImage white(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** A 280×280 box with a "1": a thick vertical stroke. */
    static BufferedImage one() {
        BufferedImage image = white(280, 280);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(22, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(140, 40, 140, 240);
        g.dispose();
        return image;
    }

    /** A 28×28 MNIST image (white digit on black in [0, 1]) drawn back as black ink on white, scaled up. */
    static BufferedImage ofDigit(float[] pixels, int scale, int boxSide, int left, int top) {
        BufferedImage image = white(boxSide, boxSide);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                int tx = left + x, ty = top + y;
                if (tx < boxSide && ty < boxSide) {
                    int grey = Math.round(255 * (1 - pixels[(y / scale) * 28 + x / scale]));
                    image.setRGB(tx, ty, 0xff000000 | grey << 16 | grey << 8 | grey);
                }
            }
        }
        return image;
    }

    static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String dataUrl(BufferedImage image) {
        return dataUrl("image/png", png(image));
    }

    static String dataUrl(String type, byte[] bytes) {
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }
}
