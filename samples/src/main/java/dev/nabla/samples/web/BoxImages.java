package dev.nabla.samples.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The drawn boxes of a request: {@code {"boxes": ["data:image/png;base64,…", …]}}, one PNG (or
 * JPEG) data URL per box, as a canvas' {@code toDataURL()} gives. Checks everything a client can
 * get wrong and says what was expected, as an {@link HttpError} 400.
 *
 * <pre>{@code
 * List<BufferedImage> boxes = BoxImages.decode(Json.parse(body));
 * }</pre>
 */
public final class BoxImages {
    /** Most boxes in one request (the page has five). */
    public static final int MAX_BOXES = 5;
    /** Smallest side of a box image, in pixels. */
    public static final int MIN_SIDE = 28;
    /** Largest side of a box image, in pixels (checked before the image is decoded). */
    public static final int MAX_SIDE = 1024;

    private static final String[] PREFIXES = {"data:image/png;base64,", "data:image/jpeg;base64,"};

    private BoxImages() {}

    /** The images of the request's {@code boxes}, in order. */
    public static List<BufferedImage> decode(Object request) {
        if (!(request instanceof Map<?, ?> map)) {
            throw new HttpError(400, "expected a JSON object {\"boxes\": [\"data:image/png;base64,…\", …]}");
        }
        Object boxes = map.get("boxes");
        if (!(boxes instanceof List<?> list)) {
            throw new HttpError(
                    400,
                    boxes == null
                            ? "the field \"boxes\" is missing; expected an array of 1 to " + MAX_BOXES
                                    + " PNG data URLs"
                            : "\"boxes\" is not an array; expected an array of 1 to " + MAX_BOXES + " PNG data URLs");
        }
        if (list.isEmpty() || list.size() > MAX_BOXES) {
            throw new HttpError(400, "\"boxes\" has " + list.size() + " entries; expected 1 to " + MAX_BOXES);
        }
        List<BufferedImage> images = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            images.add(image(list.get(i), i + 1));
        }
        return images;
    }

    private static BufferedImage image(Object entry, int number) {
        if (!(entry instanceof String url)) {
            throw new HttpError(
                    400, "box " + number + " is not a string; expected a data URL " + "\"data:image/png;base64,…\"");
        }
        String prefix = null;
        for (String p : PREFIXES) {
            if (url.regionMatches(true, 0, p, 0, p.length())) {
                prefix = p;
            }
        }
        if (prefix == null) {
            String start = url.length() > 30 ? url.substring(0, 30) + "…" : url;
            throw new HttpError(
                    400,
                    "box " + number + " starts with '" + start + "'; expected a data URL "
                            + "\"data:image/png;base64,…\" (or image/jpeg)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(url.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new HttpError(
                    400, "box " + number + " is not valid base64 after the data URL prefix: " + e.getMessage());
        }
        return read(bytes, number);
    }

    /** Decodes an image, checking its size from the header before decoding the pixels. */
    static BufferedImage read(byte[] bytes, int number) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw notAnImage(number, "no image format recognized");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg")) {
                    throw notAnImage(number, "it is " + format);
                }
                reader.setInput(in, true, true);
                int width = reader.getWidth(0), height = reader.getHeight(0);
                if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
                    throw new HttpError(
                            400,
                            "box " + number + " is " + width + "×" + height + " pixels; expected "
                                    + "each side between " + MIN_SIDE + " and " + MAX_SIDE);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof HttpError error) {
                throw error;
            }
            // Truncated or corrupt data: ImageIO reports IOExceptions and, for some damage, runtime exceptions.
            throw notAnImage(number, "the data is damaged (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static HttpError notAnImage(int number, String why) {
        return new HttpError(400, "box " + number + " is not a PNG or JPEG image (" + why + ")");
    }

    static {
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }
}
