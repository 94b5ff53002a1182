package dev.nabla.samples.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the page: a fixed set of class-path files under {@value #RESOURCE_DIR}, read once at
 * start. GET and HEAD only; "/" is the page itself; anything else is a 404.
 */
final class StaticResources implements HttpHandler {
    static final String RESOURCE_DIR = "/dev/nabla/samples/web/";
    /** The page may load only its own script, style and the data-URL images it draws. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private record Resource(String contentType, byte[] bytes) {}

    private final Map<String, Resource> resources = new HashMap<>();

    StaticResources() {
        add("/", "index.html", "text/html; charset=utf-8");
        add("/index.html", "index.html", "text/html; charset=utf-8");
        add("/recognizer.js", "recognizer.js", "text/javascript; charset=utf-8");
        add("/recognizer.css", "recognizer.css", "text/css; charset=utf-8");
        add("/favicon.svg", "favicon.svg", "image/svg+xml");
    }

    private void add(String path, String file, String contentType) {
        try (InputStream in = StaticResources.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + RESOURCE_DIR + file + " is missing; expected "
                        + "it in samples/src/main/resources" + RESOURCE_DIR);
            }
            resources.put(path, new Resource(contentType, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        Resource resource = resources.get(exchange.getRequestURI().getPath());
        if (resource == null) {
            Exchanges.send(
                    exchange,
                    404,
                    "text/plain; charset=utf-8",
                    ("no page at " + exchange.getRequestURI().getPath() + "; the recognizer is at /\n")
                            .getBytes(StandardCharsets.UTF_8));
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            Exchanges.send(
                    exchange,
                    405,
                    "text/plain; charset=utf-8",
                    (method + " is not allowed here; expected GET\n").getBytes(StandardCharsets.UTF_8));
        } else {
            exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            Exchanges.send(exchange, 200, resource.contentType(), resource.bytes());
        }
    }
}
