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
    private Exchanges() {}

    /**
     * Over-limit bodies up to this size are read and dropped before the 413, so that a client still
     * sending sees the answer rather than a reset connection; larger ones are refused at once.
     */
    static final long DRAIN_LIMIT = 16L << 20;

    /**
     * The request body, at most {@code limit} bytes. Reading it ends the request's deadline
     * ({@link RequestDeadlines#received()}); a client that stalls before the end is cut off.
     *
     * @throws HttpError 413 when the declared or actual length is over the limit
     */
    static byte[] readBody(HttpExchange exchange, int limit) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length '" + declared + "' is not a number");
            }
        }
        // Not closed here: closing drains what is left, which would hold the 413 back; exchange.close() does it.
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[16384];
        if (length > limit) {
            if (length <= DRAIN_LIMIT) {
                drain(in, buffer);
            }
            throw tooLarge(length + " bytes", limit);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (body.size() + n > limit) {
                drain(in, buffer);
                throw tooLarge("more than " + limit + " bytes", limit);
            }
            body.write(buffer, 0, n);
        }
        RequestDeadlines.received();
        return body.toByteArray();
    }

    /** Reads and drops the rest of a body, up to {@link #DRAIN_LIMIT} bytes. */
    private static void drain(InputStream in, byte[] buffer) throws IOException {
        long dropped = 0;
        for (int n; dropped < DRAIN_LIMIT && (n = in.read(buffer)) > 0; ) {
            dropped += n;
        }
    }

    private static HttpError tooLarge(String size, int limit) {
        return new HttpError(413, "the request body has " + size + "; expected at most " + limit + " bytes");
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(
                exchange,
                status,
                "application/json; charset=utf-8",
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** An error as {@code {"error": message, "status": code}}. */
    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        sendJson(exchange, status, body);
    }

    /** Answers and closes the exchange; the request is over, so its receiving deadline is too. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        RequestDeadlines.received();
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
