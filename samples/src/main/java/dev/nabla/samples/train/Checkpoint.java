package dev.nabla.samples.train;

import dev.nabla.backend.Backend;
import dev.nabla.io.Json;
import dev.nabla.io.ModelFormatException;
import dev.nabla.nn.Model;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.HistoryFiles;
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
 * A {@code nabla-train} checkpoint: two files in the output folder. {@value #MODEL_FILE} is the model as
 * {@link Model#save} writes it (architecture, weights, optimizer and its state); {@value #STATE_FILE} says where
 * the run stands: epochs finished, batches finished of the next epoch (after Ctrl-C), the arguments of the run
 * and its history so far. Both are replaced atomically, the model first; the optimizer's update count in the
 * state must match the model's, so a crash between the two writes is detected rather than resumed wrongly.
 *
 * <pre>{"format":"nabla-train checkpoint","version":1,"epochs_done":3,"batches_done":0,"iterations":189,
 * "arguments":["--model","mlp-adam","--epochs","10"],"history":{"loss":[…],…}}</pre>
 *
 * @param epochsDone  whole epochs finished
 * @param batchesDone batches of epoch {@code epochsDone} (0-based) already trained, after an interruption
 * @param iterations  optimizer updates so far (the check between the two files)
 * @param arguments   the run's command line (without {@code --resume})
 * @param history     loss and metrics of the finished epochs
 */
public record Checkpoint(int epochsDone, int batchesDone, long iterations, List<String> arguments,
        Map<String, List<Double>> history) {
    public static final String MODEL_FILE = "checkpoint.nabla";
    public static final String STATE_FILE = "checkpoint.json";
    static final String FORMAT = "nabla-train checkpoint";
    static final int VERSION = 1;

    /** Saves the model, then the state, into {@code dir}; returns the two paths. */
    public List<Path> write(Path dir, Model model) {
        Path modelFile = dir.resolve(MODEL_FILE);
        model.save(modelFile);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("format", FORMAT);
        state.put("version", (long) VERSION);
        state.put("epochs_done", (long) epochsDone);
        state.put("batches_done", (long) batchesDone);
        state.put("iterations", iterations);
        state.put("model_file", MODEL_FILE);
        state.put("arguments", arguments);
        Map<String, Object> h = new LinkedHashMap<>();
        history.forEach((k, v) -> {
            List<Object> column = new ArrayList<>();
            v.forEach(x -> column.add(Double.isFinite(x) ? (Object) x : null));
            h.put(k, column);
        });
        state.put("history", h);
        Path stateFile = HistoryFiles.writeAtomically(dir.resolve(STATE_FILE), Json.write(state) + "\n");
        return List.of(modelFile, stateFile);
    }

    /**
     * The folder of a checkpoint named by {@code --resume}: the folder itself, or either of its two files.
     *
     * @throws DataException when there is no checkpoint there
     */
    public static Path folderOf(String resume) {
        Path path = Path.of(resume);
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve(STATE_FILE)) || !Files.isRegularFile(dir.resolve(MODEL_FILE))) {
            throw new DataException("--resume " + resume + ": no checkpoint there; expected a folder written by "
                    + "nabla-train holding " + STATE_FILE + " and " + MODEL_FILE, null);
        }
        return dir;
    }

    /**
     * Reads the state of the checkpoint in {@code dir}.
     *
     * @throws DataException when it is unreadable or not a checkpoint
     */
    @SuppressWarnings("unchecked")
    public static Checkpoint read(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        try {
            Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
                throw new DataException(file + " is not a nabla-train checkpoint (no \"format\": \"" + FORMAT + "\")",
                        null);
            }
            long version = ((Number) map.get("version")).longValue();
            if (version > VERSION) {
                throw new DataException(file + " is checkpoint version " + version + "; this nabla-train reads up to "
                        + VERSION, null);
            }
            List<String> arguments = new ArrayList<>();
            ((List<Object>) map.get("arguments")).forEach(a -> arguments.add((String) a));
            Map<String, List<Double>> history = new LinkedHashMap<>();
            ((Map<String, Object>) map.get("history")).forEach((k, v) -> {
                List<Double> column = new ArrayList<>();
                ((List<Object>) v).forEach(x -> column.add(x == null ? Double.NaN : ((Number) x).doubleValue()));
                history.put(k, column);
            });
            return new Checkpoint(((Number) map.get("epochs_done")).intValue(),
                    ((Number) map.get("batches_done")).intValue(), ((Number) map.get("iterations")).longValue(),
                    arguments, history);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof DataException) {
                throw e;
            }
            throw new DataException(file + " is not a readable checkpoint: " + e, e);
        }
    }

    /**
     * Loads the checkpoint's model onto {@code backend} and checks it against this state.
     *
     * @throws DataException when the model file is corrupt or does not match the state
     */
    public Model loadModel(Path dir, Backend backend) {
        Path file = dir.resolve(MODEL_FILE);
        Model model;
        try {
            model = Model.load(file, backend);
        } catch (ModelFormatException | UncheckedIOException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
        if (!model.isCompiled()) {
            model.close();
            throw new DataException(file + " holds no optimizer (not compiled); expected a checkpoint written by "
                    + "nabla-train", null);
        }
        long saved = model.optimizer().iterations();
        if (saved != iterations) {
            model.close();
            throw new DataException(file + " has made " + saved + " updates but " + dir.resolve(STATE_FILE) + " records "
                    + iterations + "; the two files are from different moments (a crash between the writes?)", null);
        }
        return model;
    }
}
