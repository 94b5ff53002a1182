package dev.nabla.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
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
 * The model file format (specified in docs/model-format.md): a header with magic number,
 * version and length, tagged sections (architecture and metadata as JSON, weights and optimizer
 * state as named float tensors), and a SHA-256 of it all. This class reads and writes the
 * sections as {@link Contents}; it knows nothing of layers. Turning a model into contents and
 * back is the model layer's part: {@code Model.save(path)} and {@code Model.load(path)}.
 *
 * <pre>{@code
 * model.save(Path.of("mlp.nabla"), Map.of("epoch", 3));            // a model, with metadata
 * Map<String, Object> metadata = ModelFile.metadata(Path.of("mlp.nabla"));
 * ModelFile.Contents contents = ModelFile.read(Path.of("mlp.nabla")); // every section, checked
 * }</pre>
 *
 * <p>Writing writes a temporary file in the target's directory, forces it to disk and renames it
 * over the target, so a crash never leaves a half-written model. Reading reads the whole file and
 * checks magic, version, length and SHA-256 before it parses anything; a bad file raises
 * {@link ModelFormatException}.
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

    private ModelFile() {}

    // ================================================================== writing

    /**
     * Writes {@code contents} to {@code path} atomically ({@link AtomicFiles}); {@code what} names
     * the model in the error message (e.g. "model 'mlp'").
     *
     * @throws UncheckedIOException when the file cannot be written, saying why
     */
    public static void write(Path path, Contents contents, String what) {
        try {
            AtomicFiles.write(path, channel -> ModelFileEncoder.write(contents, channel));
        } catch (IOException e) {
            String why = FileErrors.reason(e);
            throw new UncheckedIOException(
                    "cannot save " + what + " to " + path + ": " + why
                            + (why.equals("permission denied") || why.equals("read-only file system")
                                    ? "; expected a folder this user can write"
                                    : ""),
                    e);
        }
    }

    /**
     * The metadata saved with the model in {@code path} (empty when none), after checking the whole file.
     *
     * @throws ModelFormatException when the file is damaged or not a model file
     */
    public static Map<String, Object> metadata(Path path) {
        return read(path).metadata();
    }

    /**
     * The file's bytes for {@code contents}: ARCH, then META when there is metadata, WGHT, and
     * OPTM when {@link Contents#iterations()} is not null.
     */
    public static byte[] encode(Contents contents) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelFileEncoder.write(contents, Channels.newChannel(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    // ================================================================== reading

    /**
     * Reads and checks {@code path} and parses its sections; nothing is built.
     *
     * @throws UncheckedIOException when the file cannot be read, saying why
     * @throws ModelFormatException when the file is damaged or not a model file (the message starts with the path)
     */
    public static Contents read(Path path) {
        byte[] bytes = readBytes(path);
        try {
            return parse(bytes);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e.getCause());
        }
    }

    /**
     * The bytes of {@code path}, unchecked.
     *
     * @throws UncheckedIOException when the file cannot be read, saying why
     */
    public static byte[] readBytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            String why = FileErrors.reason(e);
            throw new UncheckedIOException(
                    "cannot read model file " + path + ": " + why
                            + "; expected a file written by Model.save"
                            + (why.equals("permission denied") ? " that this user can read" : ""),
                    e);
        }
    }

    /**
     * Everything in a file, on the host: the architecture and metadata JSON trees, the weights by
     * name (and in file order), and the optimizer's iteration count (null when the file has no
     * optimizer state) with its slots by weight name.
     */
    public record Contents(
            Map<String, Object> architecture,
            Map<String, StoredTensor> weights,
            List<String> weightOrder,
            Long iterations,
            Map<String, List<StoredTensor>> optimizerSlots,
            Map<String, Object> metadata) {}

    /** A named float tensor of a file, row-major. */
    public record StoredTensor(String name, int[] shape, float[] values) {}

    /**
     * The contents of a file's bytes, after checking magic, version, length and checksum.
     *
     * @throws ModelFormatException when the bytes are damaged or not a model file
     */
    @SuppressWarnings("unchecked")
    public static Contents parse(byte[] bytes) {
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
            throw new ModelFormatException(
                    "model file format version " + version + " is not supported; this Nabla reads " + "versions 1 to "
                            + VERSION + (version > VERSION ? " (the file was written by a newer Nabla)" : ""));
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
            ByteBuffer in =
                    ByteBuffer.wrap(bytes, HEADER_BYTES, (int) payloadLength).slice();
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
                    throw new ModelFormatException(
                            "section " + tag + " claims " + length + " bytes; " + in.remaining() + " remain");
                }
                ByteBuffer body = in.slice().limit((int) length);
                in.position(in.position() + (int) length);
                switch (tag) {
                    case "ARCH" -> {
                        Object tree =
                                Json.parse(StandardCharsets.UTF_8.decode(body).toString());
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
                        Object tree =
                                Json.parse(StandardCharsets.UTF_8.decode(body).toString());
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
            throw new ModelFormatException(
                    "section " + tag + " has " + body.remaining() + " unexpected trailing bytes");
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
            throw new ModelFormatException(
                    "tensor " + name + " has element type code " + dtype + "; expected 1 (FLOAT32)");
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
                throw new ModelFormatException("tensor " + name + " of shape "
                        + Arrays.toString(Arrays.copyOf(shape, i + 1))
                        + "… holds more values than a model file can; expected at most " + Integer.MAX_VALUE / 4);
            }
        }
        if (size * 4 > in.remaining()) {
            throw new ModelFormatException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs "
                    + size * 4 + " bytes; " + in.remaining() + " remain");
        }
        float[] values = new float[(int) size];
        in.asFloatBuffer().get(values);
        in.position(in.position() + values.length * 4);
        return new StoredTensor(name, shape, values);
    }

    static byte[] sha256(byte[] bytes, int from, int to) {
        MessageDigest digest = newSha256();
        digest.update(bytes, from, to - from);
        return digest.digest();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
