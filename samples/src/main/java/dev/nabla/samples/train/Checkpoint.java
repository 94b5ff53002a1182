package dev.nabla.samples.train;

import dev.nabla.backend.Backend;
import dev.nabla.io.CheckpointWriter;
import dev.nabla.io.FileErrors;
import dev.nabla.io.Json;
import dev.nabla.io.ModelFile;
import dev.nabla.io.ModelFormatException;
import dev.nabla.nn.Model;
import dev.nabla.samples.cli.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code nabla-train} checkpoint: one file, {@value #MODEL_FILE}, in the output folder. It holds the model as
 * {@link Model#save} writes it (architecture, weights, optimizer and its state) and, in the same file under the
 * same checksum, where the run stands: epochs finished, samples of the next epoch already trained (after a stop),
 * the run's arguments and its history so far. It is replaced in one atomic, durable rename
 * ({@link dev.nabla.io.AtomicFiles}), so a job killed at any moment leaves either the previous checkpoint or the
 * new one, whole; the model and the position can never disagree.
 *
 * <pre>{"format":"nabla-train checkpoint","version":2,"epochs_done":3,"samples_done":0,"batches_done":0,
 * "batch_size":128,"train_samples":8000,"iterations":189,"arguments":["--model","mlp-adam"],"history":{…}}</pre>
 *
 * <p>Every field is checked when read back, so a damaged or hand-edited checkpoint is refused with the field's
 * name rather than trusted. Checkpoints of version 1 (two files, the position in {@value #LEGACY_STATE_FILE})
 * still resume.
 *
 * @param epochsDone   whole epochs finished
 * @param samplesDone  samples of epoch {@code epochsDone} (0-based) already trained, in that epoch's shuffled order
 * @param batchSize    the batch size those samples were trained with
 * @param trainSamples the size of the training set (0 when unknown: version 1)
 * @param iterations   optimizer updates so far
 * @param arguments    the run's command line (without {@code --resume})
 * @param history      loss and metrics of the finished epochs
 */
public record Checkpoint(
        int epochsDone,
        long samplesDone,
        int batchSize,
        int trainSamples,
        long iterations,
        List<String> arguments,
        Map<String, List<Double>> history) {
    public static final String MODEL_FILE = "checkpoint.nabla";
    /** Where version 1 kept the position, beside the model; read, never written. */
    public static final String LEGACY_STATE_FILE = "checkpoint.json";

    static final String FORMAT = "nabla-train checkpoint";
    static final int VERSION = 2;
    /** A bound on counts read back: more epochs or batches than any run makes, and far from overflow. */
    static final long MAX_COUNT = Integer.MAX_VALUE;

    /** Batches of the next epoch already trained (whole batches of {@link #batchSize}). */
    public long batchesDone() {
        return samplesDone / batchSize;
    }

    /** Saves the model with this position into {@code dir} as one file, atomically; returns its path. */
    public Path write(Path dir, Model model) {
        Path file = dir.resolve(MODEL_FILE);
        model.save(file, state());
        return file;
    }

    /**
     * Copies the model with this position to the host now and hands it to {@code writer}, which writes it into
     * {@code dir} on its background thread, atomically, while training goes on (after waiting for the write
     * before); returns the file's path. The file is complete once {@code writer.await()} returns.
     */
    public Path write(Path dir, Model model, CheckpointWriter writer) {
        Path file = dir.resolve(MODEL_FILE);
        writer.save(file, model.snapshot(state()), "model '" + model.name() + "'");
        return file;
    }

    /** The position as the file's metadata. */
    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("format", FORMAT);
        state.put("version", (long) VERSION);
        state.put("epochs_done", (long) epochsDone);
        state.put("samples_done", samplesDone);
        state.put("batches_done", batchesDone());
        state.put("batch_size", (long) batchSize);
        state.put("train_samples", (long) trainSamples);
        state.put("iterations", iterations);
        state.put("arguments", arguments);
        Map<String, Object> h = new LinkedHashMap<>();
        history.forEach((k, v) -> {
            List<Object> column = new ArrayList<>();
            v.forEach(x -> column.add(Double.isFinite(x) ? (Object) x : null));
            h.put(k, column);
        });
        state.put("history", h);
        return state;
    }

    /** Whether {@code dir} holds a checkpoint (of either version). */
    public static boolean existsIn(Path dir) {
        return Files.exists(dir.resolve(MODEL_FILE)) || Files.exists(dir.resolve(LEGACY_STATE_FILE));
    }

    /**
     * The folder of a checkpoint named by {@code --resume}: the folder itself, or a file in it.
     *
     * @throws DataException when there is no checkpoint there
     */
    public static Path folderOf(String resume) {
        Path path = Path.of(resume);
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir) && !Files.isExecutable(dir)) { // its files cannot even be looked at
            throw new DataException(
                    "--resume " + resume + ": permission denied on the folder " + dir + "; expected a "
                            + "folder written by nabla-train that this user can open",
                    null);
        }
        if (dir == null || !Files.isRegularFile(dir.resolve(MODEL_FILE))) {
            throw new DataException(
                    "--resume " + resume + ": no checkpoint there; expected a folder written by "
                            + "nabla-train holding " + MODEL_FILE,
                    null);
        }
        return dir;
    }

    /**
     * Reads and checks the position of the checkpoint in {@code dir}.
     *
     * @param legacyBatchSize the batch size of the run's recorded arguments, for a version 1 checkpoint
     * @throws DataException when it is unreadable, damaged, or holds a value out of range
     */
    public static Checkpoint read(Path dir, int legacyBatchSize) {
        Path file = dir.resolve(MODEL_FILE);
        Map<String, Object> state;
        try {
            state = ModelFile.metadata(file);
        } catch (ModelFormatException | UncheckedIOException e) {
            throw new DataException(e.getMessage(), e);
        }
        if (state.isEmpty() && Files.isRegularFile(dir.resolve(LEGACY_STATE_FILE))) {
            file = dir.resolve(LEGACY_STATE_FILE);
            state = legacyState(file);
        }
        return fromState(state, file, legacyBatchSize);
    }

    /** The arguments the checkpoint's run was started with (to rebuild its options before reading the rest). */
    public static List<String> argumentsOf(Path dir) {
        return read(dir, 1).arguments();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> legacyState(Path file) {
        try {
            Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new DataException(file + " is not a nabla-train checkpoint (not a JSON object)", null);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + FileErrors.reason(e), e);
        } catch (RuntimeException e) {
            if (e instanceof DataException) {
                throw e;
            }
            throw new DataException(file + " is not a readable checkpoint: " + e.getMessage(), e);
        }
    }

    /** The checkpoint a state map describes, every field checked; {@code file} names it in errors. */
    static Checkpoint fromState(Map<String, Object> state, Path file, int legacyBatchSize) {
        if (!FORMAT.equals(state.get("format"))) {
            throw new DataException(
                    file + " is not a nabla-train checkpoint (no \"format\": \"" + FORMAT + "\")", null);
        }
        long version = count(state, "version", 1, VERSION, file);
        int epochsDone = (int) count(state, "epochs_done", 0, MAX_COUNT, file);
        long iterations = count(state, "iterations", 0, Long.MAX_VALUE / 2, file);
        int batchSize;
        int trainSamples;
        long samplesDone;
        if (version == 1) {
            batchSize = legacyBatchSize;
            trainSamples = 0;
            samplesDone = count(state, "batches_done", 0, MAX_COUNT, file) * batchSize;
        } else {
            batchSize = (int) count(state, "batch_size", 1, MAX_COUNT, file);
            trainSamples = (int) count(state, "train_samples", 1, MAX_COUNT, file);
            samplesDone = count(state, "samples_done", 0, trainSamples - 1, file);
        }
        if (iterations < epochsDone) {
            throw damaged(
                    file,
                    "iterations is " + iterations + " but epochs_done is " + epochsDone + "; every epoch "
                            + "makes at least one update");
        }
        List<String> arguments = new ArrayList<>();
        if (!(state.get("arguments") instanceof List<?> list)) {
            throw damaged(file, "arguments is " + Json.write(state.get("arguments")) + "; expected a list of strings");
        }
        for (Object a : list) {
            if (!(a instanceof String s)) {
                throw damaged(file, "arguments holds " + Json.write(a) + "; expected strings");
            }
            arguments.add(s);
        }
        Map<String, List<Double>> history = new LinkedHashMap<>();
        if (!(state.get("history") instanceof Map<?, ?> columns)) {
            throw damaged(file, "history is " + Json.write(state.get("history")) + "; expected an object of lists");
        }
        for (Map.Entry<?, ?> e : columns.entrySet()) {
            if (!(e.getValue() instanceof List<?> values) || values.size() > epochsDone) {
                throw damaged(
                        file,
                        "history." + e.getKey() + " is not a list of at most epochs_done (" + epochsDone + ") values");
            }
            List<Double> column = new ArrayList<>();
            for (Object x : values) {
                if (x != null && !(x instanceof Number)) {
                    throw damaged(file, "history." + e.getKey() + " holds " + Json.write(x) + "; expected numbers");
                }
                column.add(x == null ? Double.NaN : ((Number) x).doubleValue());
            }
            history.put(String.valueOf(e.getKey()), column);
        }
        return new Checkpoint(epochsDone, samplesDone, batchSize, trainSamples, iterations, arguments, history);
    }

    /** A whole number from {@code min} to {@code max}, or the field named as damaged. */
    private static long count(Map<String, Object> state, String key, long min, long max, Path file) {
        Object value = state.get(key);
        if (value instanceof Number n) {
            double d = n.doubleValue();
            long l = n.longValue();
            if (d == Math.rint(d) && (double) l == d && l >= min && l <= max) {
                return l;
            }
        }
        throw damaged(
                file,
                key + " is " + (value == null ? "missing" : Json.write(value)) + "; expected a whole " + "number from "
                        + min + " to " + max);
    }

    private static DataException damaged(Path file, String what) {
        return new DataException(file + ": " + what + " (the checkpoint is damaged or was edited)", null);
    }

    /**
     * Loads the checkpoint's model onto {@code backend} and checks it against this position.
     *
     * @throws DataException when the model file is corrupt or does not match the position
     */
    public Model loadModel(Path dir, Backend backend) {
        Path file = dir.resolve(MODEL_FILE);
        Model model;
        try {
            model = Model.load(file, backend);
        } catch (ModelFormatException | UncheckedIOException e) {
            throw new DataException(e.getMessage(), e);
        }
        if (!model.isCompiled()) {
            model.close();
            throw new DataException(
                    file + " holds no optimizer (not compiled); expected a checkpoint written by " + "nabla-train",
                    null);
        }
        long saved = model.optimizer().iterations();
        if (saved != iterations) {
            model.close();
            throw new DataException(
                    file + " has made " + saved + " updates but its position records " + iterations
                            + "; the files are from different moments (a version 1 checkpoint cut between its two writes)",
                    null);
        }
        return model;
    }
}
