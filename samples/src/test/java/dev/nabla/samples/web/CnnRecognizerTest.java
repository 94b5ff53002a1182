package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recognizer serves the LeNet that {@code nabla-train --model lenet} saves, and says so in its answers. */
class CnnRecognizerTest {
    static final String ARCHITECTURE = "784-28×28×1-conv 6@5×5 same relu-pool 2×2-conv 16@5×5 relu-pool 2×2-flatten"
            + "-120 relu-84 relu-10 softmax";

    @Test
    void aLenetFromNablaTrainIsNamedAndDescribedWithItsConvLayers() {
        try (DigitRecognizer lenet = TestModels.lenet()) {
            assertEquals("lenet (conv)", lenet.name());
            assertEquals(ARCHITECTURE, lenet.architecture());
            assertTrue(lenet.testAccuracy() > 0.9, "3 epochs of LeNet: " + lenet.testAccuracy());
        }
    }

    @Test
    void mlpsAreNamedByTheirPresetOrAsMlp() {
        try (DigitRecognizer untrained = TestModels.untrained()) {
            assertEquals("mlp", untrained.name());
        }
    }

    @Test
    void theModelInfoAndEveryAnswerNameTheLenet() throws Exception {
        try (DigitRecognizer lenet = TestModels.lenet();
                RecognizerServer server = RecognizerServer.start(lenet, "127.0.0.1", 0)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create(server.url());
            Map<String, Object> info = RecognizerServerTest.json(client.send(
                    HttpRequest.newBuilder(base.resolve("/api/model")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals("lenet (conv)", info.get("model"));
            assertEquals(ARCHITECTURE, info.get("architecture"));

            String one = Boxes.dataUrl(Boxes.one());
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(base.resolve("/api/recognize"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    RecognizerServerTest.boxes(List.of(one, one, one, one, one))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            Map<String, Object> answer = RecognizerServerTest.json(response);
            assertEquals("lenet (conv)", answer.get("model"));
            assertEquals(5, ((String) answer.get("digits")).length());
        }
    }
}
