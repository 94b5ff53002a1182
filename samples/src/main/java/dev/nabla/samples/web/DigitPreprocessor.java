package dev.nabla.samples.web;

import java.awt.image.BufferedImage;

/**
 * Turns one drawn box into the 784 numbers the network sees, as the course's zip-code recognizer does:
 * resize to 28×28, invert to white-on-black, scale to [0, 1]. With {@link Mode#CENTERED} (the
 * default) it also places the digit the way MNIST's digits were placed: the bounding box of the
 * ink is fitted into 20×20 pixels (aspect ratio kept) and the digit is shifted by whole pixels so
 * that its center of mass lands in the middle pixel of the 28×28 frame. An MLP has no translation
 * invariance, so without this a digit drawn small or off-center in its box is often misread.
 *
 * <pre>{@code
 * float[] input = new DigitPreprocessor().toInput(ImageIO.read(file));   // 784 values, row-major
 * }</pre>
 *
 * <p>Transparent pixels count as white paper; colour is reduced to luminance. Resizing averages
 * the covered area of the source (exact box filter), so thin strokes become grey rather than
 * vanish, like MNIST's anti-aliasing.
 */
public final class DigitPreprocessor {
    /** Side of the network's input image. */
    public static final int SIDE = 28;
    /** Side of the box the digit's bounding box is fitted into in {@link Mode#CENTERED}. */
    public static final int DIGIT_SIDE = 20;
    /** A box with no pixel of at least this much ink (in [0, 1]) is empty. */
    static final float INK_THRESHOLD = 0.1f;
    /**
     * Ink above this counts toward the bounding box: any visible trace, since MNIST's 20×20 box
     * holds every non-zero pixel (the faint anti-aliased edges too).
     */
    static final float TRACE_THRESHOLD = 0.01f;
    /**
     * Where the center of mass goes, in pixel-center coordinates (pixel i spans [i, i + 1)): the
     * middle of pixel 14, where MNIST's digits have it (mean 14.50 over the embedded test digits,
     * every digit within half a pixel of it).
     */
    static final double MASS_CENTER = 14.5;

    /** How the box becomes 28×28. */
    public enum Mode {
        /** The course's steps only: the whole box resized to 28×28. */
        RESIZE,
        /** MNIST's placement: bounding box fitted into 20×20, center of mass at the frame's center. */
        CENTERED
    }

    private final Mode mode;

    /** The {@link Mode#CENTERED} preprocessor. */
    public DigitPreprocessor() {
        this(Mode.CENTERED);
    }

    public DigitPreprocessor(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null; expected RESIZE or CENTERED");
        }
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** The 28×28 network input of a drawn box (dark digit on light paper), row-major, in [0, 1]. */
    public float[] toInput(BufferedImage box) {
        return toInput(ink(box), box.getWidth(), box.getHeight());
    }

    /**
     * The 28×28 network input of an ink image (row-major, {@code width × height}, 1 = ink, 0 =
     * paper, i.e. already inverted and scaled). A box without ink gives all zeros.
     */
    public float[] toInput(float[] ink, int width, int height) {
        if (width < 1 || height < 1 || ink.length != width * height) {
            throw new IllegalArgumentException("ink image of " + ink.length + " values for " + width + "×" + height
                    + "; expected width × height values with both sides ≥ 1");
        }
        return mode == Mode.RESIZE ? resize(ink, width, height, SIDE, SIDE) : centered(ink, width, height);
    }

    /** Whether an input (or ink image) holds no ink at all. */
    public static boolean isEmpty(float[] values) {
        for (float v : values) {
            if (v >= INK_THRESHOLD) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ink of each pixel: 1 − luminance, with transparent pixels composited over white paper.
     * This is the "invert to white-on-black, scale to [0, 1]" step.
     */
    public static float[] ink(BufferedImage image) {
        int width = image.getWidth(), height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        float[] ink = new float[argb.length];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            float alpha = (p >>> 24) / 255f;
            float luminance = (0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff)) / 255f;
            float onWhite = alpha * luminance + (1 - alpha);
            ink[i] = clamp01(1 - onWhite);
        }
        return ink;
    }

    private static float[] centered(float[] ink, int width, int height) {
        int left = width, right = -1, top = height, bottom = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > TRACE_THRESHOLD) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        if (right < 0) {
            return new float[SIDE * SIDE];
        }
        int cropWidth = right - left + 1, cropHeight = bottom - top + 1;
        float[] crop = new float[cropWidth * cropHeight];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(ink, (top + y) * width + left, crop, y * cropWidth, cropWidth);
        }
        double scale = (double) DIGIT_SIDE / Math.max(cropWidth, cropHeight);
        int digitWidth = Math.max(1, (int) Math.round(cropWidth * scale));
        int digitHeight = Math.max(1, (int) Math.round(cropHeight * scale));
        float[] digit = resize(crop, cropWidth, cropHeight, digitWidth, digitHeight);

        // Center of mass of the fitted digit, in pixel-center coordinates (pixel i spans [i, i + 1)).
        double mass = 0, sumX = 0, sumY = 0;
        for (int y = 0; y < digitHeight; y++) {
            for (int x = 0; x < digitWidth; x++) {
                float v = digit[y * digitWidth + x];
                mass += v;
                sumX += v * (x + 0.5);
                sumY += v * (y + 0.5);
            }
        }
        int offsetX = (int) Math.floor(MASS_CENTER - sumX / mass + 0.5);
        int offsetY = (int) Math.floor(MASS_CENTER - sumY / mass + 0.5);
        float[] out = new float[SIDE * SIDE];
        for (int y = 0; y < digitHeight; y++) {
            int ty = y + offsetY;
            if (ty < 0 || ty >= SIDE) {
                continue;
            }
            for (int x = 0; x < digitWidth; x++) {
                int tx = x + offsetX;
                if (tx >= 0 && tx < SIDE) {
                    out[ty * SIDE + tx] = digit[y * digitWidth + x];
                }
            }
        }
        return out;
    }

    /**
     * Area-averaging resize (a box filter: each target pixel is the mean of the source area it
     * covers, with fractional edge pixels weighted by their coverage); rows, then columns.
     */
    static float[] resize(float[] src, int width, int height, int newWidth, int newHeight) {
        float[] rows = new float[newWidth * height];
        float[][] wx = weights(width, newWidth);
        int[] fx = firsts(width, newWidth);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < newWidth; x++) {
                float sum = 0;
                for (int k = 0; k < wx[x].length; k++) {
                    sum += wx[x][k] * src[y * width + fx[x] + k];
                }
                rows[y * newWidth + x] = sum;
            }
        }
        float[] out = new float[newWidth * newHeight];
        float[][] wy = weights(height, newHeight);
        int[] fy = firsts(height, newHeight);
        for (int y = 0; y < newHeight; y++) {
            for (int x = 0; x < newWidth; x++) {
                float sum = 0;
                for (int k = 0; k < wy[y].length; k++) {
                    sum += wy[y][k] * rows[(fy[y] + k) * newWidth + x];
                }
                out[y * newWidth + x] = clamp01(sum);
            }
        }
        return out;
    }

    /** First source index each target pixel covers. */
    private static int[] firsts(int n, int m) {
        int[] first = new int[m];
        for (int j = 0; j < m; j++) {
            first[j] = (int) Math.floor((double) j * n / m);
        }
        return first;
    }

    /** Coverage weights (summing to 1) of the source pixels under each of m target pixels. */
    private static float[][] weights(int n, int m) {
        float[][] w = new float[m][];
        double step = (double) n / m;
        for (int j = 0; j < m; j++) {
            double start = j * step, end = (j + 1) * step;
            int first = (int) Math.floor(start);
            int last = Math.min(n - 1, (int) Math.ceil(end) - 1);
            w[j] = new float[last - first + 1];
            for (int i = first; i <= last; i++) {
                double overlap = Math.min(end, i + 1) - Math.max(start, i);
                w[j][i - first] = (float) (overlap / step);
            }
        }
        return w;
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
