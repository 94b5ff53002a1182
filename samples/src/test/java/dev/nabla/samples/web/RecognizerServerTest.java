package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's endpoints over real HTTP on 127.0.0.1 (an untrained model: only the plumbing matters). */
class RecognizerServerTest {
    static DigitRecognizer recognizer;
    static RecognizerServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        recognizer = TestModels.untrained();
        server = RecognizerServer.start(recognizer, "127.0.0.1", 0);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        recognizer.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(server.url()).resolve(path));
    }

    static HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(
                at(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String boxes(List<String> dataUrls) {
        return Json.write(Collections.singletonMap("boxes", new ArrayList<Object>(dataUrls)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        return (Map<String, Object>) Json.parse(response.body());
    }

    static void assertError(HttpResponse<String> response, int status, String words) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String error = (String) json(response).get("error");
        assertTrue(error.contains(words), "'" + error + "' mentions '" + words + "'");
    }

    @Test
    void listensOnLocalhostOnThePortItPicked() {
        assertTrue(server.port() > 0);
        assertEquals("http://127.0.0.1:" + server.port() + "/", server.url());
    }

    @Test
    void servesThePageWithItsScriptAndStyle() throws Exception {
        HttpResponse<String> page = send(at("/").GET());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(
                page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertTrue(page.body().contains("Zip-code recognizer"));
        assertEquals(200, send(at("/recognizer.js").GET()).statusCode());
        assertEquals(200, send(at("/recognizer.css").GET()).statusCode());
        assertEquals(404, send(at("/secret.txt").GET()).statusCode());
        assertEquals(
                405, send(at("/").POST(HttpRequest.BodyPublishers.noBody())).statusCode());
    }

    @Test
    void recognizePredictsEveryBoxAndReturnsWhatTheNetworkSaw() throws Exception {
        String one = Boxes.dataUrl(Boxes.one());
        String blank = Boxes.dataUrl(Boxes.white(280, 280));
        HttpResponse<String> response = postJson("/api/recognize", boxes(List.of(one, blank, one, one, one)));
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> answer = json(response);
        assertEquals("mlp", answer.get("model"), "the answer names the model that gave it");
        List<?> results = (List<?>) answer.get("boxes");
        assertEquals(5, results.size());
        String digits = (String) answer.get("digits");
        assertEquals(5, digits.length());
        assertEquals('?', digits.charAt(1), "an empty box reads as ?");
        for (int i = 0; i < 5; i++) {
            Map<?, ?> box = (Map<?, ?>) results.get(i);
            assertEquals(i == 1, box.get("empty"));
            assertEquals(784, ((List<?>) box.get("input")).size());
            List<?> probabilities = (List<?>) box.get("probabilities");
            assertEquals(10, probabilities.size());
            double sum = probabilities.stream()
                    .mapToDouble(p -> ((Number) p).doubleValue())
                    .sum();
            assertEquals(1, sum, 2e-3);
            if (i != 1) {
                int digit = ((Number) box.get("digit")).intValue();
                assertEquals(Character.forDigit(digit, 10), digits.charAt(i));
                assertEquals(
                        ((Number) probabilities.get(digit)).doubleValue(),
                        ((Number) box.get("probability")).doubleValue(),
                        1e-9);
            } else {
                assertEquals(null, box.get("digit"));
            }
        }
    }

    @Test
    void showReturnsOnlyTheInputs() throws Exception {
        HttpResponse<String> response = postJson("/api/show", boxes(List.of(Boxes.dataUrl(Boxes.one()))));
        assertEquals(200, response.statusCode(), response.body());
        Map<?, ?> box = (Map<?, ?>) ((List<?>) json(response).get("boxes")).get(0);
        assertEquals(false, box.get("empty"));
        assertFalse(box.containsKey("digit"));
        List<?> input = (List<?>) box.get("input");
        assertEquals(784, input.size());
        assertTrue(((Number) input.get(14 * 28 + 14)).doubleValue() > 0.5, "the stroke is white at the center");
        assertEquals(0.0, ((Number) input.get(0)).doubleValue(), 1e-9, "the paper is black");
    }

    @Test
    void modelDescribesTheNetwork() throws Exception {
        HttpResponse<String> response = send(at("/api/model").GET());
        assertEquals(200, response.statusCode());
        assertEquals("mlp", json(response).get("model"));
        assertEquals("784-10 softmax", json(response).get("architecture"));
        assertEquals("centered", json(response).get("preprocessing"));
        assertError(send(at("/api/model").DELETE()), 405, "expected GET");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = send(at("/api/recognize").GET());
        assertError(response, 405, "GET is not allowed here; expected POST");
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void aBodyThatIsNotJsonIs415Or400() throws Exception {
        assertError(
                send(at("/api/recognize")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                415,
                "expected application/json");
        assertError(postJson("/api/recognize", "{\"boxes\": [1, 2"), 400, "malformed JSON");
        assertError(postJson("/api/recognize", ""), 400, "the body is empty");
        assertError(postJson("/api/recognize", "[".repeat(100_000)), 400, "nested 100000 levels deep");
        assertError(
                send(at("/api/recognize")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, (byte) 0xfe}))),
                400,
                "not UTF-8");
    }

    @Test
    void badBoxesAre400WithWhatWasWrong() throws Exception {
        assertError(
                postJson("/api/recognize", boxes(List.of(Boxes.dataUrl(Boxes.white(10, 10))))),
                400,
                "box 1 is 10×10 pixels; expected each side between 28 and 1024");
        assertError(
                postJson(
                        "/api/show",
                        boxes(List.of(
                                Boxes.dataUrl("image/png", "not a picture".getBytes(StandardCharsets.US_ASCII))))),
                400,
                "box 1 is not a PNG or JPEG image");
        assertError(
                postJson("/api/recognize", boxes(Collections.nCopies(6, Boxes.dataUrl(Boxes.one())))),
                400,
                "expected 1 to 5");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String big = "{\"boxes\": [\"" + "A".repeat(RecognizerServer.MAX_BODY_BYTES) + "\"]}";
        assertError(postJson("/api/recognize", big), 413, "expected at most 4194304 bytes");
    }

    @Test
    void aHugeDeclaredLengthIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", answer);
        }
    }

    @Test
    void anUnexpectedFailureIs500WithoutDetails() throws Exception {
        DigitRecognizer closed = TestModels.untrained();
        closed.close(); // predicting now fails inside the model
        try (RecognizerServer broken = RecognizerServer.start(closed, "127.0.0.1", 0)) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(broken.url() + "api/recognize"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(boxes(List.of(Boxes.dataUrl(Boxes.one())))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(response, 500, "internal error");
            assertFalse(response.body().contains("Exception"), response.body());
            assertFalse(response.body().contains("dev.nabla"), response.body());
        }
    }
}
