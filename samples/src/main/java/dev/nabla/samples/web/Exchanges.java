package dev.nabla.samples.web;

import com.sun.net.httpserver.HttpExchange;
import dev.nabla.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading bounded request bodies and writing JSON, text and error responses. */
final class Exchanges {
    private Exchanges() {
    }

    /**
     * The request body, at most {@code limit} bytes.
     *
     * @throws HttpError 413 when the declared or actual length is over the limit
     */
    static byte[] readBody(HttpExchange exchange, int limit) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length '" + declared + "' is not a number");
            }
            if (length > limit) {
                throw tooLarge(length, limit);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try (InputStream in = exchange.getRequestBody()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (body.size() + n > limit) {
                    throw tooLarge(body.size() + n, limit);
                }
                body.write(buffer, 0, n);
            }
        }
        return body.toByteArray();
    }

    private static HttpError tooLarge(long length, int limit) {
        return new HttpError(413, "the request body has " + (length >= limit + 1L ? "more than " + limit : length)
                + " bytes; expected at most " + limit + " bytes (five boxes of at most "
                + BoxImages.MAX_SIDE + "×" + BoxImages.MAX_SIDE + " pixels)");
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** An error as {@code {"error": message, "status": code}}. */
    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        sendJson(exchange, status, body);
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
