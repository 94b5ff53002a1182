package dev.nabla.io;

import dev.nabla.backend.Backend;
import dev.nabla.losses.Loss;
import dev.nabla.losses.Losses;
import dev.nabla.metrics.Metric;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Model;
import dev.nabla.nn.Parameter;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.Optimizers;
import dev.nabla.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads whole models: architecture, weights, compile settings and optimizer state, in
 * one versioned, checksummed file (the format is specified in docs/model-format.md).
 *
 * <pre>{@code
 * model.save(Path.of("mlp.nabla"));                  // same as ModelFile.save(model, path)
 * Model again = Model.load(Path.of("mlp.nabla"), Backends.get("cuda", 0));
 * }</pre>
 *
 * <p>Saving writes a temporary file in the target's directory, forces it to disk and renames it
 * over the target, so a crash never leaves a half-written model. Loading reads the whole file and
 * checks magic, version, length and SHA-256 before anything is built; a bad file raises
 * {@link ModelFormatException} and loads nothing.
 */
public final class ModelFile {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFile.class);

    /** The first 8 bytes of every model file. */
    static final byte[] MAGIC = {(byte) 0x89, 'N', 'A', 'B', 'L', 'A', '\r', '\n'};
    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 24;
    static final int CHECKSUM_BYTES = 32;
    static final byte DTYPE_FLOAT32 = 1;

    private ModelFile() {
    }

    // ================================================================== saving

    /** Writes {@code model} to {@code path} atomically ({@link AtomicFiles}). */
    public static void save(Model model, Path path) {
        save(model, path, Map.of());
    }

    /**
     * Writes {@code model} to {@code path} atomically, with {@code metadata} (JSON values: maps, lists,
     * strings, numbers, booleans, null) in the same file and under the same checksum, so that what a
     * caller records about the model (a training job's position, say) can never disagree with it.
     * {@link #metadata} reads it back; loading the model ignores it.
     */
    public static void save(Model model, Path path, Map<String, Object> metadata) {
        byte[] bytes = encode(model, metadata);
        try {
            AtomicFiles.write(path, bytes);
        } catch (IOException e) {
            String why = FileErrors.reason(e);
            throw new UncheckedIOException("cannot save model '" + model.name() + "' to " + path + ": " + why
                    + (why.equals("permission denied") || why.equals("read-only file system")
                            ? "; expected a folder this user can write" : ""), e);
        }
    }

    /**
     * The metadata saved with the model in {@code path} (empty when none), after checking the whole file.
     *
     * @throws ModelFormatException when the file is damaged or not a model file
     */
    public static Map<String, Object> metadata(Path path) {
        try {
            return parse(read(path)).metadata();
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e.getCause());
        }
    }

    /** The file's bytes for {@code model}. */
    static byte[] encode(Model model) {
        return encode(model, Map.of());
    }

    private static byte[] encode(Model model, Map<String, Object> metadata) {
        try {
            ByteArrayOutputStream sections = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(sections);
            section(out, "ARCH", Json.write(architecture(model)).getBytes(StandardCharsets.UTF_8));
            if (!metadata.isEmpty()) {
                section(out, "META", Json.write(metadata).getBytes(StandardCharsets.UTF_8));
            }
            section(out, "WGHT", weights(model));
            if (model.isCompiled() && model.isBuilt()) {
                section(out, "OPTM", optimizerState(model));
            }
            out.flush();
            byte[] payload = sections.toByteArray();

            ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + payload.length + CHECKSUM_BYTES);
            file.put(MAGIC).putInt(VERSION).putInt(0).putLong(payload.length).put(payload);
            file.put(sha256(file.array(), 0, HEADER_BYTES + payload.length));
            return file.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void section(DataOutputStream out, String tag, byte[] body) throws IOException {
        out.write(tag.getBytes(StandardCharsets.US_ASCII));
        out.writeLong(body.length);
        out.write(body);
    }

    private static Map<String, Object> architecture(Model model) {
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("format", "nabla-model");
        arch.put("format_version", VERSION);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", model.typeName());
        m.put("config", model.config());
        arch.put("model", m);
        arch.put("build_input_shape", model.isBuilt() ? Layer.toList(model.layers().get(0).inputShapes().get(0)) : null);
        arch.put("saved_on_backend", model.isBuilt() ? model.backend().name() : null);
        if (model.isCompiled()) {
            Map<String, Object> compile = new LinkedHashMap<>();
            Map<String, Object> optimizer = new LinkedHashMap<>();
            optimizer.put("class_name", model.optimizer().name());
            optimizer.put("config", model.optimizer().config());
            compile.put("optimizer", optimizer);
            Map<String, Object> loss = new LinkedHashMap<>();
            loss.put("class_name", model.loss().name());
            loss.put("config", model.loss().config());
            compile.put("loss", loss);
            List<Object> metrics = new ArrayList<>();
            for (Object metric : model.metrics()) {
                metrics.add(metric instanceof Metric mo ? mo.name() : metric);
            }
            compile.put("metrics", metrics);
            arch.put("compile", compile);
        }
        return arch;
    }

    private static byte[] weights(Model model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        List<Parameter> weights = model.isBuilt() ? model.weights() : List.of();
        out.writeInt(weights.size());
        for (Parameter p : weights) {
            tensor(out, p.name(), p.shape(), p.get());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] optimizerState(Model model) throws IOException {
        Optimizer optimizer = model.optimizer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(optimizer.iterations());
        List<String> slotNames = optimizer.slotNames();
        List<Parameter> withState = new ArrayList<>();
        for (Parameter p : model.trainableWeights()) {
            if (optimizer.slots(p.value()) != null) {
                withState.add(p);
            }
        }
        out.writeInt(withState.size());
        for (Parameter p : withState) {
            byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
            out.writeShort(name.length);
            out.write(name);
            List<Tensor> slots = optimizer.slots(p.value());
            out.writeInt(slots.size());
            for (int i = 0; i < slots.size(); i++) {
                tensor(out, slotNames.get(i), slots.get(i).shape(), slots.get(i).toFloatArray());
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void tensor(DataOutputStream out, String name, int[] shape, float[] values) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 0xFFFF) {
            throw new IllegalArgumentException("name too long: " + name);
        }
        out.writeShort(n.length);
        out.write(n);
        out.writeByte(DTYPE_FLOAT32);
        out.writeByte(shape.length);
        for (int d : shape) {
            out.writeInt(d);
        }
        ByteBuffer data = ByteBuffer.allocate(values.length * 4);
        data.asFloatBuffer().put(values);
        out.write(data.array());
    }

    // ================================================================== loading

    /** Reads, checks and builds the model of {@code path} on {@code backend}. */
    public static Model load(Path path, Backend backend) {
        byte[] bytes = read(path);
        try {
            return decode(bytes, backend);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e.getCause());
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            String why = FileErrors.reason(e);
            throw new UncheckedIOException("cannot read model file " + path + ": " + why
                    + "; expected a file written by Model.save" + (why.equals("permission denied")
                            ? " that this user can read" : ""), e);
        }
    }

    /** The model of a file's bytes (checks everything before building anything). */
    static Model decode(byte[] bytes, Backend backend) {
        Contents contents = parse(bytes);
        return build(contents, backend);
    }

    /** Everything in a file, on the host. */
    record Contents(Map<String, Object> architecture, Map<String, StoredTensor> weights, List<String> weightOrder,
            Long iterations, Map<String, List<StoredTensor>> optimizerSlots, Map<String, Object> metadata) {
    }

    record StoredTensor(String name, int[] shape, float[] values) {
    }

    @SuppressWarnings("unchecked")
    static Contents parse(byte[] bytes) {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFormatException("not a Nabla model file (the first bytes are not the Nabla magic number)");
        }
        if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES) {
            throw new ModelFormatException("truncated model file: " + bytes.length + " bytes, shorter than the "
                    + (HEADER_BYTES + CHECKSUM_BYTES) + "-byte header and checksum");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, MAGIC.length, HEADER_BYTES - MAGIC.length);
        int version = header.getInt();
        header.getInt(); // flags, reserved
        long payloadLength = header.getLong();
        if (version < 1 || version > VERSION) {
            throw new ModelFormatException("model file format version " + version + " is not supported; this Nabla reads "
                    + "versions 1 to " + VERSION + (version > VERSION ? " (the file was written by a newer Nabla)" : ""));
        }
        long expected = HEADER_BYTES + payloadLength + CHECKSUM_BYTES;
        if (payloadLength < 0 || expected != bytes.length) {
            throw new ModelFormatException((payloadLength >= 0 && bytes.length < expected ? "truncated" : "damaged")
                    + " model file: the header announces " + expected + " bytes but the file has " + bytes.length);
        }
        int payloadEnd = (int) (HEADER_BYTES + payloadLength);
        byte[] actual = sha256(bytes, 0, payloadEnd);
        byte[] stored = Arrays.copyOfRange(bytes, payloadEnd, bytes.length);
        if (!MessageDigest.isEqual(actual, stored)) {
            throw new ModelFormatException("corrupted model file: the SHA-256 checksum does not match its contents");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, HEADER_BYTES, (int) payloadLength).slice();
            Map<String, Object> arch = null;
            Map<String, StoredTensor> weights = new LinkedHashMap<>();
            List<String> order = new ArrayList<>();
            Long iterations = null;
            Map<String, List<StoredTensor>> slots = new LinkedHashMap<>();
            Map<String, Object> metadata = Map.of();
            while (in.hasRemaining()) {
                byte[] tagBytes = new byte[4];
                in.get(tagBytes);
                String tag = new String(tagBytes, StandardCharsets.US_ASCII);
                long length = in.getLong();
                if (length < 0 || length > in.remaining()) {
                    throw new ModelFormatException("section " + tag + " claims " + length + " bytes; " + in.remaining() + " remain");
                }
                ByteBuffer body = in.slice().limit((int) length);
                in.position(in.position() + (int) length);
                switch (tag) {
                    case "ARCH" -> {
                        Object tree = Json.parse(StandardCharsets.UTF_8.decode(body).toString());
                        if (!(tree instanceof Map<?, ?> map) || !"nabla-model".equals(map.get("format"))) {
                            throw new ModelFormatException("the architecture section is not a Nabla model description");
                        }
                        arch = (Map<String, Object>) tree;
                    }
                    case "WGHT" -> {
                        int count = body.getInt();
                        for (int i = 0; i < count; i++) {
                            StoredTensor t = tensor(body);
                            if (weights.put(t.name(), t) != null) {
                                throw new ModelFormatException("weight " + t.name() + " appears twice");
                            }
                            order.add(t.name());
                        }
                        end(body, tag);
                    }
                    case "OPTM" -> {
                        iterations = body.getLong();
                        int count = body.getInt();
                        for (int i = 0; i < count; i++) {
                            String name = string(body);
                            int n = body.getInt();
                            List<StoredTensor> list = new ArrayList<>();
                            for (int k = 0; k < n; k++) {
                                list.add(tensor(body));
                            }
                            slots.put(name, list);
                        }
                        end(body, tag);
                    }
                    case "META" -> {
                        Object tree = Json.parse(StandardCharsets.UTF_8.decode(body).toString());
                        if (!(tree instanceof Map<?, ?> map)) {
                            throw new ModelFormatException("the metadata section is not a JSON object");
                        }
                        metadata = (Map<String, Object>) map;
                    }
                    default -> LOG.debug("skipping unknown model file section {}", tag);
                }
            }
            if (arch == null) {
                throw new ModelFormatException("the file has no architecture section");
            }
            return new Contents(arch, weights, order, iterations, slots, metadata);
        } catch (ModelFormatException e) {
            throw e;
        } catch (BufferUnderflowException e) {
            throw new ModelFormatException("inconsistent model file: a section ends in the middle of a value", e);
        } catch (RuntimeException e) {
            // parsing is pure host work on checked bytes: whatever else fails means the contents are inconsistent
            throw new ModelFormatException("inconsistent model file: " + e, e);
        }
    }

    private static void end(ByteBuffer body, String tag) {
        if (body.hasRemaining()) {
            throw new ModelFormatException("section " + tag + " has " + body.remaining() + " unexpected trailing bytes");
        }
    }

    private static String string(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static StoredTensor tensor(ByteBuffer in) {
        String name = string(in);
        byte dtype = in.get();
        if (dtype != DTYPE_FLOAT32) {
            throw new ModelFormatException("tensor " + name + " has element type code " + dtype + "; expected 1 (FLOAT32)");
        }
        int rank = in.get() & 0xFF;
        int[] shape = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.getInt();
            if (shape[i] < 0) {
                throw new ModelFormatException("tensor " + name + " has a negative extent");
            }
            size *= shape[i];
            if (size > Integer.MAX_VALUE / 4) { // found by fuzzing: the product overflowed into a negative array size
                throw new ModelFormatException("tensor " + name + " of shape " + Arrays.toString(Arrays.copyOf(shape, i + 1))
                        + "… holds more values than a model file can; expected at most " + Integer.MAX_VALUE / 4);
            }
        }
        if (size * 4 > in.remaining()) {
            throw new ModelFormatException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs " + size * 4
                    + " bytes; " + in.remaining() + " remain");
        }
        float[] values = new float[(int) size];
        in.asFloatBuffer().get(values);
        in.position(in.position() + values.length * 4);
        return new StoredTensor(name, shape, values);
    }

    @SuppressWarnings("unchecked")
    private static Model build(Contents contents, Backend backend) {
        Map<String, Object> arch = contents.architecture();
        List<Layer> layers = new ArrayList<>();
        Model model = null;
        try { // found by fuzzing: a missing or mistyped entry must be a ModelFormatException too
            Map<String, Object> modelEntry = (Map<String, Object>) arch.get("model");
            String className = (String) modelEntry.get("class_name");
            Map<String, Object> config = (Map<String, Object>) modelEntry.get("config");
            for (Object o : (List<Object>) config.get("layers")) {
                Map<String, Object> entry = (Map<String, Object>) o;
                layers.add(LayerRegistry.create((String) entry.get("class_name"), (Map<String, Object>) entry.get("config")));
            }
            model = switch (className) {
                case "Sequential" -> {
                    Sequential s = new Sequential((String) config.get("name"));
                    layers.forEach(s::add);
                    yield s;
                }
                case "Functional" -> Functional.fromConfig(config, layers);
                default -> throw new ModelFormatException("unknown model class '" + className + "'; expected Sequential or Functional");
            };
            model.backend(backend);
            Object shape = arch.get("build_input_shape");
            if (shape instanceof List<?> list) {
                model.build(Layer.toInts(list));
            }
            restoreWeights(model, contents);
            restoreCompile(model, arch, contents);
            return model;
        } catch (ModelFormatException e) {
            closeAll(model, layers);
            throw e;
        } catch (RuntimeException e) {
            closeAll(model, layers);
            throw new ModelFormatException("the file describes a model that cannot be built: " + e.getMessage(), e);
        }
    }

    private static void closeAll(Model model, List<Layer> layers) {
        if (model != null) {
            model.close();
        } else {
            layers.forEach(Layer::close);
        }
    }

    private static void restoreWeights(Model model, Contents contents) {
        List<Parameter> weights = model.isBuilt() ? model.weights() : List.of();
        Map<String, StoredTensor> stored = contents.weights();
        if (weights.size() != stored.size()) {
            throw new ModelFormatException("the architecture has " + weights.size() + " weights but the file stores "
                    + stored.size());
        }
        for (Parameter p : weights) {
            StoredTensor t = stored.get(p.name());
            if (t == null) {
                throw new ModelFormatException("the file stores no values for weight " + p.name() + "; it has "
                        + stored.keySet());
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new ModelFormatException("weight " + p.name() + " is stored with shape " + Arrays.toString(t.shape())
                        + " but the architecture gives it " + Arrays.toString(p.shape()));
            }
        }
        for (Parameter p : weights) {
            p.set(stored.get(p.name()).values());
        }
    }

    @SuppressWarnings("unchecked")
    private static void restoreCompile(Model model, Map<String, Object> arch, Contents contents) {
        if (!(arch.get("compile") instanceof Map<?, ?> compile)) {
            return;
        }
        Map<String, Object> opt = (Map<String, Object>) compile.get("optimizer");
        Map<String, Object> lossEntry = (Map<String, Object>) compile.get("loss");
        Optimizer optimizer = Optimizers.fromConfig((String) opt.get("class_name"), (Map<String, Object>) opt.get("config"));
        Loss loss;
        try {
            loss = Losses.fromConfig((String) lossEntry.get("class_name"), (Map<String, Object>) lossEntry.get("config"));
        } catch (IllegalArgumentException e) {
            LOG.warn("The model was compiled with loss '{}', which this Nabla does not know; it is loaded uncompiled",
                    lossEntry.get("class_name"));
            optimizer.close();
            return;
        }
        List<String> metrics = new ArrayList<>();
        for (Object m : (List<Object>) compile.get("metrics")) {
            try {
                dev.nabla.metrics.Metrics.get((String) m, new int[] {2}, new int[] {2}).close();
                metrics.add((String) m);
            } catch (IllegalArgumentException e) {
                LOG.warn("Dropping metric '{}' of the saved model: not a built-in metric", m);
            }
        }
        model.compile(optimizer, loss, metrics.toArray(new String[0]));
        if (contents.iterations() != null) {
            optimizer.iterations(contents.iterations());
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : model.trainableWeights()) {
            byName.put(p.name(), p);
        }
        for (Map.Entry<String, List<StoredTensor>> e : contents.optimizerSlots().entrySet()) {
            Parameter p = byName.get(e.getKey());
            if (p == null) {
                throw new ModelFormatException("the optimizer state names weight " + e.getKey() + ", which is not a trainable weight");
            }
            List<float[]> values = new ArrayList<>();
            for (StoredTensor t : e.getValue()) {
                if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new ModelFormatException("optimizer state '" + t.name() + "' of " + p.name() + " has shape "
                            + Arrays.toString(t.shape()) + "; expected " + Arrays.toString(p.shape()));
                }
                values.add(t.values());
            }
            optimizer.setSlots(p.value(), values);
        }
    }

    static byte[] sha256(byte[] bytes, int from, int to) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, from, to - from);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
