package dev.nabla.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** Collects a process's output on a thread of its own and counts down once a line starts with a prefix. */
final class ProcessLines {
    final CountDownLatch seen = new CountDownLatch(1);
    final Thread reader;
    private final StringBuilder output = new StringBuilder();

    ProcessLines(Process process, String prefix) {
        reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith(prefix)) {
                        seen.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
    }

    /** Everything read so far. */
    String text() {
        synchronized (output) {
            return output.toString();
        }
    }
}
