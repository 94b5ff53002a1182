package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxImagesTest {
    static Map<String, Object> request(Object boxes) {
        return Collections.singletonMap("boxes", boxes);
    }

    static HttpError refused(Object request) {
        return assertThrows(HttpError.class, () -> BoxImages.decode(request));
    }

    static void assertRefused(Object request, String... words) {
        HttpError e = refused(request);
        assertEquals(400, e.status());
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), "'" + e.getMessage() + "' mentions '" + word + "'");
        }
    }

    @Test
    void decodesFivePngDataUrlsInOrder() {
        String png = Boxes.dataUrl(Boxes.one());
        String small = Boxes.dataUrl(Boxes.white(28, 40));
        List<BufferedImage> images = BoxImages.decode(request(List.of(png, small, png, png, png)));
        assertEquals(5, images.size());
        assertEquals(280, images.get(0).getWidth());
        assertEquals(40, images.get(1).getHeight());
    }

    @Test
    void jpegIsAcceptedToo() {
        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        String jpeg = Boxes.dataUrl("image/jpeg", Boxes.encode(rgb, "jpeg"));
        assertEquals(64, BoxImages.decode(request(List.of(jpeg))).get(0).getWidth());
    }

    @Test
    void theRequestMustBeAnObjectWithAnArrayOfOneToFiveBoxes() {
        String png = Boxes.dataUrl(Boxes.one());
        assertRefused(List.of(png), "expected a JSON object");
        assertRefused(Map.of("box", List.of(png)), "\"boxes\" is missing");
        assertRefused(request(png), "not an array");
        assertRefused(request(List.of()), "0 entries", "1 to 5");
        assertRefused(request(Collections.nCopies(6, png)), "6 entries", "1 to 5");
    }

    @Test
    void eachBoxMustBeAPngOrJpegDataUrl() {
        assertRefused(request(List.of(42L)), "box 1 is not a string");
        assertRefused(request(List.of("hello")), "box 1 starts with 'hello'", "data:image/png;base64");
        assertRefused(request(List.of("data:image/gif;base64,R0lGOD")), "data:image/png;base64");
        assertRefused(request(List.of("data:image/png;base64,***")), "not valid base64");
    }

    @Test
    void bytesThatAreNotAnImageAreRefused() {
        String text = Boxes.dataUrl("image/png", "just some text".getBytes(StandardCharsets.US_ASCII));
        assertRefused(request(List.of(text)), "box 1 is not a PNG or JPEG image");
        byte[] png = Boxes.png(Boxes.one());
        String truncated = Boxes.dataUrl("image/png", Arrays.copyOf(png, png.length / 2));
        assertRefused(request(List.of(Boxes.dataUrl(Boxes.one()), truncated)), "box 2 is not a PNG or JPEG image");
        String gif = Boxes.dataUrl("image/png", Boxes.encode(Boxes.white(32, 32), "gif"));
        assertRefused(request(List.of(gif)), "not a PNG or JPEG", "gif");
    }

    @Test
    void boxesSmallerThan28OrLargerThan1024PixelsAreRefused() {
        assertRefused(
                request(List.of(Boxes.dataUrl(Boxes.white(27, 100)))), "box 1 is 27×100 pixels", "between 28 and 1024");
        assertRefused(request(List.of(Boxes.dataUrl(Boxes.white(2000, 64)))), "2000×64");
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeDecoding() {
        // A PNG header claiming 100000×100000 pixels, followed by nothing: decoding would need 40 GB.
        byte[] png = Boxes.png(Boxes.white(28, 28));
        byte[] header = Arrays.copyOf(png, 33);
        java.nio.ByteBuffer.wrap(header, 16, 8).putInt(100_000).putInt(100_000);
        String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(header);
        assertRefused(request(List.of(url)), "100000×100000 pixels");
    }
}
