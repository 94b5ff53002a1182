package dev.nabla.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** What a sample printed and the exit code it returned, run in-process with standard output captured. */
public record Captured(int exitCode, String out, String err) {
    /** Runs {@code sample} with System.out and System.err captured (and still echoed, for the test log). */
    public static synchronized Captured run(IntSupplier sample) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(new Tee(out, oldOut), true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(new Tee(err, oldErr), true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = sample.getAsInt();
            o.flush();
            e.flush();
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
