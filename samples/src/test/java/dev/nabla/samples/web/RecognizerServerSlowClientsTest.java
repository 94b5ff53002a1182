package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server under slow and hostile clients, over real sockets on 127.0.0.1: stalled requests
 * neither starve the others nor keep their thread past the request timeout, and a burst of
 * parallel connections is served in full.
 */
class RecognizerServerSlowClientsTest {
    /** The test server's request timeout: short, so that the cut-offs are seen in about a second. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Slack for a busy 2-core machine on top of the timeout: the timer, the close, the client's read. */
    static final long MARGIN_MS = 2_000;

    static DigitRecognizer recognizer;
    /** With the default 30 s timeout: stalled clients hold their threads throughout a test. */
    static RecognizerServer patient;
    /** With a 1 s timeout. */
    static RecognizerServer strict;

    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        recognizer = TestModels.untrained();
        patient = RecognizerServer.start(recognizer, "127.0.0.1", 0);
        strict = RecognizerServer.start(recognizer, new DigitPreprocessor(), "127.0.0.1", 0, TIMEOUT);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertEquals(200, recognize(patient).statusCode(), "warm-up");
    }

    @AfterAll
    static void stop() {
        patient.close();
        strict.close();
        recognizer.close();
    }

    static HttpResponse<String> recognize(RecognizerServer server) throws IOException, InterruptedException {
        String body = RecognizerServerTest.boxes(List.of(Boxes.dataUrl(Boxes.one())));
        return client.send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/recognize"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Connects and sends {@code text}, then goes silent; reads give up after 10 s. */
    static Socket stall(RecognizerServer server, String text) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Headers promising 1,000 bytes of body, and the first 9 of them. */
    static final String STALLED_BODY = "POST /api/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"boxes\":";

    /** Half a header block: the server is still reading headers. */
    static final String STALLED_HEADERS = "GET /api/model HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: app";

    static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail(what + " within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }

    /** Milliseconds until the server closes (or resets) the connection; fails if it stays open 10 s. */
    static long millisUntilClosed(Socket socket, long since) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // whatever the server says before closing does not matter here
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept the connection open for 10 s");
        } catch (IOException e) {
            // reset: closed too
        }
        return (System.nanoTime() - since) / 1_000_000;
    }

    /** One response read off a raw connection: its status line and body. */
    static String[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed after " + head.size() + " bytes of headers");
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new String[] {headers.substring(0, headers.indexOf("\r\n")), new String(body, StandardCharsets.UTF_8)};
    }

    static final String GET_MODEL = "GET /api/model HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @Test
    void answersANormalRequestWithin1sWhile50SlowClientsHoldConnections() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                slow.add(stall(patient, STALLED_BODY));
            }
            await(
                    "the 50 slow clients each holding a thread (" + patient.busyThreads() + ")",
                    5_000,
                    () -> patient.busyThreads() >= 50);
            long start = System.nanoTime();
            HttpResponse<String> response = recognize(patient);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(millis < 1_000, "answered in " + millis + " ms; expected under 1 s");
            assertTrue(patient.busyThreads() >= 50, "the slow clients still hold their threads");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aStalledBodyOrHeaderIsCutOffAtTheTimeoutAndFreesItsThread() throws Exception {
        long start = System.nanoTime();
        try (Socket body = stall(strict, STALLED_BODY);
                Socket headers = stall(strict, STALLED_HEADERS)) {
            for (Socket socket : List.of(body, headers)) {
                long millis = millisUntilClosed(socket, start);
                assertTrue(millis >= TIMEOUT.toMillis() - 100, "cut off after " + millis + " ms, before the timeout");
                assertTrue(millis < TIMEOUT.toMillis() + MARGIN_MS, "cut off after " + millis + " ms");
            }
        }
        await(
                "no thread busy after the cut-off (" + strict.busyThreads() + ")",
                MARGIN_MS,
                () -> strict.busyThreads() == 0);
        assertEquals(200, recognize(strict).statusCode());
    }

    @Test
    void aTlsClientHelloIsClosedAtTheTimeoutAndFreesItsThread() throws Exception {
        SSLContext tls = SSLContext.getDefault();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", strict.port())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            try {
                socket.startHandshake();
                fail("a plain HTTP port completed a TLS handshake");
            } catch (SocketTimeoutException e) {
                fail("the server held the ClientHello for 10 s");
            } catch (IOException e) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < TIMEOUT.toMillis() + MARGIN_MS, "closed after " + millis + " ms");
            }
        }
        await(
                "no thread busy after the ClientHello (" + strict.busyThreads() + ")",
                MARGIN_MS,
                () -> strict.busyThreads() == 0);
    }

    @Test
    void aRequestArrivingInPiecesWithinTheTimeoutIsAnswered() throws Exception {
        String body = RecognizerServerTest.boxes(List.of(Boxes.dataUrl(Boxes.one())));
        String request = "POST /api/show HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", strict.port())) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            int pieces = 5, step = request.length() / pieces + 1;
            for (int i = 0; i < request.length(); i += step) {
                out.write(request.substring(i, Math.min(request.length(), i + step))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(TIMEOUT.toMillis() / 2 / pieces); // half the timeout in all
            }
            String[] response = readResponse(socket.getInputStream());
            assertEquals("HTTP/1.1 200 OK", response[0], response[1]);
        }
    }

    @Test
    void anIdleKeepAliveConnectionOutlivesTheTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", strict.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(GET_MODEL.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", readResponse(in)[0]);
            Thread.sleep(TIMEOUT.toMillis() + 500); // idle: the timeout runs from a request's first byte
            out.write(GET_MODEL.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", readResponse(in)[0]);
        }
    }

    @Test
    void servesTwoHundredParallelConnectionsWithoutAReset() throws Exception {
        int connections = 200;
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                done.add(clients.submit(() -> {
                    try {
                        go.await();
                        try (Socket socket = new Socket("127.0.0.1", patient.port())) {
                            socket.setSoTimeout(10_000);
                            socket.getOutputStream()
                                    .write(("GET /api/model HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                    + "Connection: close\r\n\r\n")
                                            .getBytes(StandardCharsets.US_ASCII));
                            String status = readResponse(socket.getInputStream())[0];
                            if (!status.equals("HTTP/1.1 200 OK")) {
                                failures.merge(status, 1, Integer::sum);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertEquals(Map.of(), failures, "failed connections of " + connections);
        } finally {
            clients.shutdownNow();
        }
    }
}
