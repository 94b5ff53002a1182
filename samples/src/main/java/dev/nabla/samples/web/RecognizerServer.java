package dev.nabla.samples.web;

import com.sun.net.httpserver.HttpServer;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * FIELD.md's zip-code recognizer as a web page: five boxes to draw digits in, "show" to see the
 * five 28×28 inputs as the network sees them, "recognize" to read the digits. Serves:
 * <ul>
 *   <li>{@code GET /} the page (with {@code /recognizer.js}, {@code /recognizer.css});</li>
 *   <li>{@code POST /api/recognize} {@code {"boxes": ["data:image/png;base64,…", …]}} (1 to 5
 *       boxes): each box preprocessed ({@link DigitPreprocessor}), all predicted in one batch;
 *       answers {@code {"digits": "90210", "boxes": [{"empty", "digit", "probability",
 *       "probabilities", "input"}, …]}};</li>
 *   <li>{@code POST /api/show}, the same request: only the 784 inputs per box;</li>
 *   <li>{@code GET /api/model}: architecture, origin, backend and test accuracy of the model.</li>
 * </ul>
 * Bad requests get a 4xx and {@code {"error": "…", "status": …}}.
 *
 * <pre>{@code
 * try (RecognizerServer server = RecognizerServer.start(recognizer, "127.0.0.1", 0)) {
 *     System.out.println(server.url());    // http://127.0.0.1:41234/
 * }
 * }</pre>
 *
 * Run it with {@code samples/bin/nabla-recognizer} ({@code --help} lists the options).
 */
public final class RecognizerServer implements AutoCloseable {
    /** Largest request body: five boxes of 1024×1024 pixels as PNG line drawings fit many times over. */
    public static final int MAX_BODY_BYTES = 4 << 20;

    private final HttpServer server;
    private final ExecutorService executor;

    private RecognizerServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving {@code recognizer} on {@code host:port} (port 0 picks a free one) with the
     * centering preprocessor. The recognizer stays the caller's to close.
     */
    public static RecognizerServer start(DigitRecognizer recognizer, String host, int port) throws IOException {
        return start(recognizer, new DigitPreprocessor(), host, port);
    }

    public static RecognizerServer start(DigitRecognizer recognizer, DigitPreprocessor preprocessor, String host,
                                         int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        Recognition recognition = new Recognition(preprocessor, recognizer);
        server.createContext("/", new StaticResources());
        server.createContext("/api/recognize",
                new JsonEndpoint(MAX_BODY_BYTES, request -> recognition.recognize(BoxImages.decode(request))));
        server.createContext("/api/show",
                new JsonEndpoint(MAX_BODY_BYTES, request -> recognition.show(BoxImages.decode(request))));
        server.createContext("/api/model", new ModelInfoEndpoint(recognizer, preprocessor));
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "recognizer-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new RecognizerServer(server, executor);
    }

    /** The port it listens on (the one picked when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host.replaceFirst("%.*", "") + "]";
        }
        return "http://" + host + ":" + address.getPort() + "/";
    }

    /** Stops accepting requests, lets running ones finish (at most a second), and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code nabla-recognizer [--backend cpu|opencl|cuda] [--model PATH] [--host H] [--port P] …}. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        RecognizerOptions options;
        try {
            options = RecognizerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nabla-recognizer: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.println(RecognizerOptions.USAGE);
            return;
        }
        try {
            Backend backend = options.backend() == null ? Backends.current() : Backends.use(options.backend());
            DigitRecognizer recognizer = RecognizerModels.loadOrTrain(options.model(), backend,
                    options.network().hidden(), options.epochs(), options.seed(), out);
            RecognizerServer server;
            try {
                server = start(recognizer, new DigitPreprocessor(options.preprocessing()), options.host(),
                        options.port());
            } catch (BindException e) {
                throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + " ("
                        + e.getMessage() + "); pick another port with --port, or --port 0 for a free one", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                recognizer.close();
            }, "recognizer-shutdown"));
            out.println("the zip-code recognizer is at " + server.url() + " (Ctrl-C stops it)");
        } catch (IOException | RuntimeException e) {
            System.err.println("nabla-recognizer: " + e.getMessage());
            System.exit(1);
        }
    }
}
