package dev.nabla.spark;

import dev.nabla.backend.Backend;
import dev.nabla.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The models an executor JVM keeps between rounds, so that a round costs a copy of the weights and
 * not a rebuild: one idle model per task slot that used one, for the current {@code fit} only (a
 * model of an earlier fit is closed when a task of a later one arrives). A task takes a model, sets
 * every weight and the optimizer state from the round's broadcast, trains and gives it back; a task
 * that fails closes its model instead, since a failure may leave it half-updated.
 */
final class ExecutorModels {
    private static final Map<String, Deque<Model>> IDLE = new HashMap<>();

    private ExecutorModels() {}

    /** An idle model of {@code key}, or one loaded from {@code modelFile} onto {@code backend}. */
    static Model take(String key, byte[] modelFile, Backend backend) {
        synchronized (IDLE) {
            for (Iterator<Map.Entry<String, Deque<Model>>> it = IDLE.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Deque<Model>> e = it.next();
                if (!e.getKey().equals(key)) {
                    e.getValue().forEach(Model::close);
                    it.remove();
                }
            }
            Deque<Model> idle = IDLE.get(key);
            if (idle != null && !idle.isEmpty()) {
                return idle.pop();
            }
        }
        return load(modelFile, backend);
    }

    /** Returns a model after a successful task. */
    static void give(String key, Model model) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(model);
        }
    }

    /**
     * Closes the idle models of the fit {@code runId} (the driver calls it when a fit ends: in local mode
     * the executors are its own JVM; a cluster's executors close them when the next fit's tasks arrive).
     */
    static void release(String runId) {
        synchronized (IDLE) {
            for (Iterator<Map.Entry<String, Deque<Model>>> it = IDLE.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Deque<Model>> e = it.next();
                if (e.getKey().startsWith(runId + "@")) {
                    e.getValue().forEach(Model::close);
                    it.remove();
                }
            }
        }
    }

    /** Closes every idle model (tests; an executor's models otherwise live until its JVM ends). */
    static void clear() {
        synchronized (IDLE) {
            IDLE.values().forEach(d -> d.forEach(Model::close));
            IDLE.clear();
        }
    }

    private static Model load(byte[] modelFile, Backend backend) {
        try {
            Path file = Files.createTempFile("nabla-spark-", ".nabla");
            try {
                Files.write(file, modelFile);
                return Model.load(file, backend);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model's file to the executor's temporary folder: " + e, e);
        }
    }
}
