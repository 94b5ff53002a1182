package dev.nabla.samples.web;

import com.sun.net.httpserver.HttpServer;
import dev.nabla.io.ModelFormatException;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.ExitCode;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.StoppedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The zip-code recognizer of the course examples (its "vision agent") as a web page: five boxes to draw digits in,
 * "show" to see the five 28×28 inputs as the network sees them, "recognize" to read the digits. Serves:
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
    /**
     * Requests handled at once. Each holds a thread only from its first byte to its answer, so 64
     * leaves room for dozens of slow or stalled clients (until their deadline) beside the real
     * ones, and bounds the threads a flood can start; more wait in a queue.
     */
    public static final int THREADS = 64;
    /**
     * Connections the kernel holds until the server accepts them (capped by
     * {@code net.core.somaxconn}). The JDK accepts on one thread; a burst of hundreds of parallel
     * connections overflowed the former 16 and some were reset.
     */
    public static final int BACKLOG = 1024;
    /**
     * How long a request may take from its first byte to the last byte of its body: a
     * real one (five small PNGs, at most {@link #MAX_BODY_BYTES}) arrives in well under a second,
     * a client that stalls is cut off after this, its thread freed.
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpServer server;
    private final RequestDeadlines threads;

    private RecognizerServer(HttpServer server, RequestDeadlines threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts serving {@code recognizer} on {@code host:port} (port 0 picks a free one) with the
     * centering preprocessor. The recognizer stays the caller's to close.
     */
    public static RecognizerServer start(DigitRecognizer recognizer, String host, int port) throws IOException {
        return start(recognizer, new DigitPreprocessor(), host, port);
    }

    /** Starts serving with {@code preprocessor} and the {@linkplain #DEFAULT_REQUEST_TIMEOUT default timeout}. */
    public static RecognizerServer start(
            DigitRecognizer recognizer, DigitPreprocessor preprocessor, String host, int port) throws IOException {
        return start(recognizer, preprocessor, host, port, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Starts serving; a request that has not fully arrived {@code requestTimeout} after its first
     * byte has its connection closed without an answer (the client has stopped sending, and a
     * 408 written into a connection with unread input would likely be lost to a reset anyway).
     *
     * @throws IllegalArgumentException when {@code requestTimeout} is not positive
     */
    public static RecognizerServer start(
            DigitRecognizer recognizer, DigitPreprocessor preprocessor, String host, int port, Duration requestTimeout)
            throws IOException {
        RequestDeadlines threads = new RequestDeadlines(THREADS, requestTimeout);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), BACKLOG);
        } catch (IOException | RuntimeException e) {
            threads.close(0);
            throw e;
        }
        Recognition recognition = new Recognition(preprocessor, recognizer);
        server.createContext("/", new StaticResources());
        server.createContext(
                "/api/recognize",
                new JsonEndpoint(MAX_BODY_BYTES, request -> recognition.recognize(BoxImages.decode(request))));
        server.createContext(
                "/api/show", new JsonEndpoint(MAX_BODY_BYTES, request -> recognition.show(BoxImages.decode(request))));
        server.createContext("/api/model", new ModelInfoEndpoint(recognizer, preprocessor));
        server.setExecutor(threads);
        server.start();
        return new RecognizerServer(server, threads);
    }

    /** Threads handling a request now (for tests: a stalled client must not keep one). */
    int busyThreads() {
        return threads.busyThreads();
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
        threads.close(5);
    }

    /** {@code nabla-recognizer [--backend cpu|opencl|cuda] [--model PATH] [--host H] [--port P] …}. */
    public static void main(String[] args) {
        Launch launch = launch(args, System.out, System.err);
        if (launch.exitCode() != ExitCode.OK) {
            System.exit(launch.exitCode());
        }
        if (launch.server() != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(launch::close, "recognizer-shutdown"));
        }
    }

    /**
     * What {@code main} does, without exiting: the exit code ({@link ExitCode}: 2 bad arguments,
     * 3 the model file is unreadable or not a digit classifier, 4 backend unavailable, 1 anything
     * else) and, when it started, the running server and its recognizer.
     */
    record Launch(int exitCode, RecognizerServer server, DigitRecognizer recognizer) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
            if (recognizer != null) {
                recognizer.close();
            }
        }
    }

    static Launch launch(String[] args, PrintStream out, PrintStream err) {
        Launch[] started = new Launch[1];
        int exitCode = SampleRunner.run(RecognizerOptions.SPEC, args, out, err, job -> {
            RecognizerOptions options = RecognizerOptions.from(job.options());
            // Without --model, the deep MLP that nabla-deep-mlp saved in its default output folder, if any.
            Path model = options.model();
            if (model == null && Files.isRegularFile(RecognizerOptions.DEEP_MLP_SAMPLE_MODEL)) {
                model = RecognizerOptions.DEEP_MLP_SAMPLE_MODEL;
            }
            boolean loading = model != null && Files.exists(model);
            DigitRecognizer recognizer;
            try {
                recognizer = RecognizerModels.loadOrTrain(
                        model, job.backend(), options.network().hidden(), options.epochs(), options.seed(), out);
            } catch (ModelFormatException | IllegalArgumentException | UncheckedIOException e) {
                if (!loading) {
                    throw e;
                }
                throw new DataException("cannot use the model " + model + ": " + e.getMessage(), e);
            }
            try {
                RecognizerServer server = start(
                        recognizer,
                        new DigitPreprocessor(options.preprocessing()),
                        options.host(),
                        options.port(),
                        Duration.ofSeconds(options.requestTimeout()));
                out.println("the zip-code recognizer is at " + server.url() + " (Ctrl-C stops it)");
                started[0] = new Launch(ExitCode.OK, server, recognizer);
            } catch (IOException e) {
                recognizer.close();
                throw new StoppedException(
                        ExitCode.FAILED,
                        "cannot listen on " + options.host() + ":"
                                + options.port() + " (" + e.getMessage() + ")"
                                + (e instanceof BindException
                                        ? "; pick another port with --port, or --port 0 for a free one"
                                        : ""));
            }
        });
        return started[0] != null ? started[0] : new Launch(exitCode, null, null);
    }
}
