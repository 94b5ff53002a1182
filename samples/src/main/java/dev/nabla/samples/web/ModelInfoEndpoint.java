package dev.nabla.samples.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** GET /api/model: the network the page talks to, for its footer. */
final class ModelInfoEndpoint implements HttpHandler {
    private final DigitRecognizer recognizer;
    private final DigitPreprocessor preprocessor;

    ModelInfoEndpoint(DigitRecognizer recognizer, DigitPreprocessor preprocessor) {
        this.recognizer = recognizer;
        this.preprocessor = preprocessor;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            Exchanges.sendError(exchange, 405, method + " is not allowed here; expected GET");
            return;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model", recognizer.name());
        info.put("architecture", recognizer.architecture());
        info.put("origin", recognizer.origin());
        info.put("backend", recognizer.backend().name());
        info.put("device", recognizer.backend().deviceName());
        info.put("testAccuracy", recognizer.testAccuracy());
        info.put("preprocessing", preprocessor.mode().name().toLowerCase(java.util.Locale.ROOT));
        info.put("maxBoxes", BoxImages.MAX_BOXES);
        Exchanges.sendJson(exchange, 200, info);
    }
}
