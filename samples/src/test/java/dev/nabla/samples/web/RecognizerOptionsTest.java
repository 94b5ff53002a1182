package dev.nabla.samples.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.samples.cli.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RecognizerOptionsTest {
    @Test
    void defaultsListenOnLocalhost8080AndTrainTheDeepMlp() {
        RecognizerOptions o = RecognizerOptions.parse(new String[0]);
        assertFalse(o.help());
        assertEquals("127.0.0.1", o.host());
        assertEquals(8080, o.port());
        assertNull(o.model());
        assertNull(o.backend());
        assertArrayEquals(new int[] {1024, 512, 512}, o.network().hidden());
        assertEquals(3, o.epochs());
        assertEquals(DigitPreprocessor.Mode.CENTERED, o.preprocessing());
        assertEquals(30, o.requestTimeout());
    }

    @Test
    void everyOptionIsRead() {
        RecognizerOptions o = RecognizerOptions.parse(new String[] {
            "--backend",
            "opencl",
            "--model",
            "m.nabla",
            "--network",
            "small",
            "--epochs",
            "2",
            "--seed",
            "7",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--preprocessing",
            "resize",
            "--request-timeout",
            "5"
        });
        assertEquals("opencl", o.backend());
        assertEquals(Path.of("m.nabla"), o.model());
        assertArrayEquals(new int[] {256}, o.network().hidden());
        assertEquals(2, o.epochs());
        assertEquals(7, o.seed());
        assertEquals("0.0.0.0", o.host());
        assertEquals(0, o.port());
        assertEquals(DigitPreprocessor.Mode.RESIZE, o.preprocessing());
        assertEquals(5, o.requestTimeout());
        assertTrue(RecognizerOptions.parse(new String[] {"--help"}).help());
    }

    @Test
    void mistakesAreNamed() {
        assertMessage(
                "unknown option --colour; nabla-recognizer takes --backend, --epochs, --seed, --debug, --model, "
                        + "--network, --host, --port, --preprocessing, --request-timeout, --help",
                "--colour",
                "red");
        assertMessage("--port needs a value (N)", "--port");
        assertMessage("--model needs a value (PATH), found --port", "--model", "--port", "1");
        assertMessage("--port must be from 0 to 65535, got 70000", "--port", "70000");
        assertMessage("--epochs expects a whole number from 1 to 1000, got 'many'", "--epochs", "many");
        assertMessage("--network is 'huge'; expected one of deep, small", "--network", "huge");
        assertMessage("--request-timeout must be from 1 to 3600, got 0", "--request-timeout", "0");
    }

    private static void assertMessage(String message, String... args) {
        assertEquals(
                message,
                assertThrows(UsageException.class, () -> RecognizerOptions.parse(args))
                        .getMessage());
    }
}
