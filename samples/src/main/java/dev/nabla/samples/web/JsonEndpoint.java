package dev.nabla.samples.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.nabla.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POST endpoint that takes and gives JSON. Turns every client mistake into a 4xx with a
 * message (wrong method 405, not JSON 415, body too large 413, malformed JSON 400, and whatever
 * {@code respond} rejects) and every unexpected failure into a 500 that says only "internal
 * error" (the details go to the server's log, never to the client).
 */
final class JsonEndpoint implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonEndpoint.class);
    /** Deepest JSON nesting accepted; requests need 2, this guards the recursive parser's stack. */
    static final int MAX_DEPTH = 16;

    private final int maxBodyBytes;
    private final Function<Object, Object> respond;

    /** {@code respond} maps the parsed request to the response body, throwing {@link HttpError} for bad input. */
    JsonEndpoint(int maxBodyBytes, Function<Object, Object> respond) {
        this.maxBodyBytes = maxBodyBytes;
        this.respond = respond;
    }

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                throw new HttpError(
                        405, exchange.getRequestMethod() + " is not allowed here; expected POST with " + "a JSON body");
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new HttpError(
                        415,
                        "Content-Type is " + (type == null ? "missing" : "'" + type + "'")
                                + "; expected application/json");
            }
            Object request = parse(Exchanges.readBody(exchange, maxBodyBytes));
            Exchanges.sendJson(exchange, 200, respond.apply(request));
        } catch (HttpError e) {
            Exchanges.sendError(exchange, e.status(), e.getMessage());
        } catch (IOException e) {
            // Rethrown so that the JDK server closes the connection and forgets it; closing the
            // exchange here would close the socket but leave the connection in the server's sets.
            LOG.debug("connection failed while answering {}", exchange.getRequestURI(), e);
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            try {
                Exchanges.sendError(exchange, 500, "internal error; the server's log has the details");
            } catch (IOException | RuntimeException ignored) {
                exchange.close(); // headers may already have gone out
            }
        }
    }

    /** UTF-8 JSON text to a tree, refusing bad encodings and deep nesting before parsing. */
    static Object parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "the body is not UTF-8 text; expected a JSON object");
        }
        if (text.isBlank()) {
            throw new HttpError(400, "the body is empty; expected a JSON object {\"boxes\": […]}");
        }
        int depth = maxDepth(text);
        if (depth > MAX_DEPTH) {
            throw new HttpError(400, "the JSON is nested " + depth + " levels deep; expected at most " + MAX_DEPTH);
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed JSON: " + e.getMessage());
        }
    }

    /** Deepest nesting of arrays and objects, ignoring brackets inside strings. */
    static int maxDepth(String text) {
        int depth = 0, max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }
}
