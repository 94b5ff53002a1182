package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Activation;
import dev.nabla.nn.Add;
import dev.nabla.nn.BatchNormalization;
import dev.nabla.nn.CountingBackend;
import dev.nabla.nn.Dense;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Fixtures;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.Input;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.SymbolicTensor;
import dev.nabla.nn.regularizers.L2;
import dev.nabla.optim.Adam;
import dev.nabla.optim.ExponentialDecay;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.LiveBuffers;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    private static final Backend CPU = Backends.get("cpu", 0);

    private static Sequential trainedMlp() {
        RandomSeed.set(17);
        Sequential model = new Sequential(
                new Input(2, 2),
                new Flatten(),
                new Dense(8, "relu").kernelRegularizer(new L2(1e-4)),
                new BatchNormalization(),
                new Dropout(0.1, 5L),
                new Dense(3),
                new Activation("softmax"));
        model.backend(CPU);
        model.compile(
                new Adam(new ExponentialDecay(0.01, 10, 0.9, true)).clipnorm(1.0),
                new SparseCategoricalCrossentropy(),
                "accuracy");
        model.fit(blobs(), new FitOptions().batchSize(16).epochs(2).seed(1).verbose(0));
        return model;
    }

    /** The file {@code model.save} writes, as bytes. */
    private static byte[] bytesOf(Model model) throws IOException {
        Path file = Files.createTempFile("model-file-test", ".nabla");
        try {
            model.save(file);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code Model.load} of a file holding {@code bytes}. */
    private static Model load(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("model-file-test", ".nabla");
        try {
            Files.write(file, bytes);
            return Model.load(file, CPU);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Dataset blobs() {
        return Fixtures.blobs(60, 3).reshapeFeatures(2, 2);
    }

    private static Tensor inputs() {
        Dataset data = blobs();
        return Tensor.on(CPU).of(data.features(), data.size(), 2, 2);
    }

    @Test
    void aLoadedModelPredictsExactlyLikeTheSavedOne(@TempDir Path dir) {
        Path file = dir.resolve("mlp.nabla");
        try (Sequential model = trainedMlp()) {
            float[] before = model.predict(inputs()).toFloatArray();
            model.save(file);
            try (Model loaded = Model.load(file, CPU)) {
                assertInstanceOf(Sequential.class, loaded);
                assertEquals(model.name(), loaded.name());
                assertArrayEquals(before, loaded.predict(inputs()).toFloatArray());
                assertEquals(model.countParams(), loaded.countParams());
                assertEquals("Adam", loaded.optimizer().name());
                assertEquals(model.optimizer().iterations(), loaded.optimizer().iterations());
                assertEquals(
                        model.optimizer().learningRate(), loaded.optimizer().learningRate());
                assertEquals(1.0, loaded.optimizer().clipnorm());
                assertInstanceOf(SparseCategoricalCrossentropy.class, loaded.loss());
                assertEquals(List.of("accuracy"), loaded.metrics());
            }
        }
    }

    @Test
    void aLoadedModelRunsOnAnotherBackendInstance(@TempDir Path dir) {
        Path file = dir.resolve("mlp.nabla");
        CountingBackend other = new CountingBackend(CPU);
        try (Sequential model = trainedMlp()) {
            model.save(file);
            float[] expected = model.predict(inputs()).toFloatArray();
            try (Model loaded = Model.load(file, other)) {
                assertEquals(other, loaded.backend());
                assertEquals(other, loaded.weights().get(0).value().backend());
                assertArrayEquals(expected, loaded.predict(inputs()).toFloatArray());
            }
        }
    }

    @Test
    void trainingResumesFromTheSavedOptimizerStateAsIfNeverInterrupted(@TempDir Path dir) {
        Path file = dir.resolve("resume.nabla");
        Dataset data = Fixtures.blobs(48, 4).toCategorical(3);
        RandomSeed.set(3);
        try (Sequential model = new Sequential(new Dense(6, "tanh").inputShape(4), new Dense(3, "softmax"))) {
            model.backend(CPU);
            model.compile(new Adam(0.01), new CategoricalCrossentropy(), "accuracy");
            model.fit(data, new FitOptions().batchSize(8).epochs(1).seed(9).verbose(0));
            model.save(file);
            History straight = model.fit(
                    data, new FitOptions().batchSize(8).epochs(2).seed(9).verbose(0));
            try (Model resumed = Model.load(file, CPU)) {
                History again = resumed.fit(
                        data, new FitOptions().batchSize(8).epochs(2).seed(9).verbose(0));
                assertEquals(straight.get("loss"), again.get("loss"));
                assertEquals(straight.get("accuracy"), again.get("accuracy"));
                for (int i = 0; i < model.weights().size(); i++) {
                    assertArrayEquals(
                            model.weights().get(i).get(),
                            resumed.weights().get(i).get());
                }
            }
        }
    }

    @Test
    void aFunctionalModelWithASkipConnectionRoundTrips(@TempDir Path dir) {
        RandomSeed.set(8);
        SymbolicTensor in = Input.of(4);
        SymbolicTensor h = new Dense(4, "relu").apply(in);
        SymbolicTensor out = new Dense(3, "softmax").apply(new Add().apply(h, in));
        Path file = dir.resolve("functional.nabla");
        Tensor x = Tensor.on(CPU).of(Fixtures.blobs(10, 1).features(), 10, 4);
        try (Model model = Model.of(in, out)) {
            model.backend(CPU);
            float[] expected = model.predict(x).toFloatArray();
            model.save(file);
            try (Model loaded = Model.load(file, CPU)) {
                assertEquals("Functional", loaded.typeName());
                assertEquals(4, loaded.layers().size());
                assertArrayEquals(expected, loaded.predict(x).toFloatArray());
                assertFalse(loaded.isCompiled());
                assertNull(loaded.optimizer());
            }
        }
    }

    @Test
    void anUnbuiltModelSavesItsArchitectureOnly(@TempDir Path dir) {
        Path file = dir.resolve("unbuilt.nabla");
        new Sequential(new Dense(3), new Dense(2, "sigmoid")).save(file);
        try (Model loaded = Model.load(file, CPU)) {
            assertFalse(loaded.isBuilt());
            loaded.build(5);
            assertArrayEquals(new int[] {2}, loaded.outputShape());
        }
    }

    @Test
    void aFileCutShortAnywhereIsRejectedAndLoadsNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("full.nabla");
        try (Sequential model = trainedMlp()) {
            model.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        long liveBefore = LiveBuffers.settled(CPU);
        Path cut = dir.resolve("cut.nabla");
        for (int length = 0; length < bytes.length; length += Math.max(1, bytes.length / 97)) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, length));
            ModelFormatException e =
                    assertThrows(ModelFormatException.class, () -> Model.load(cut, CPU), "cut at " + length);
            String m = e.getMessage();
            assertTrue(m.contains("truncated") || m.contains("not a Nabla model"), "cut at " + length + ": " + m);
        }
        for (int length : new int[] {bytes.length - 1, bytes.length - 32, 24, 7}) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, length));
            assertThrows(ModelFormatException.class, () -> Model.load(cut, CPU), "cut at " + length);
        }
        assertEquals(liveBefore, CPU.memoryStats().liveBuffers(), "nothing was allocated on the device");
    }

    @Test
    void aFlippedByteAnywhereIsCaughtByTheChecksum(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("full.nabla");
        try (Sequential model = trainedMlp()) {
            model.save(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Path bad = dir.resolve("bad.nabla");
        for (int position = 8; position < bytes.length; position += Math.max(1, bytes.length / 101)) {
            byte[] copy = bytes.clone();
            copy[position] ^= 0x10;
            Files.write(bad, copy);
            int at = position;
            ModelFormatException e =
                    assertThrows(ModelFormatException.class, () -> Model.load(bad, CPU), "flip at " + at);
            assertTrue(
                    e.getMessage().contains("corrupted")
                            || e.getMessage().contains("version")
                            || e.getMessage().contains("damaged")
                            || e.getMessage().contains("truncated"),
                    "flip at " + at + ": " + e.getMessage());
        }
        byte[] copy = bytes.clone();
        copy[0] = 'X';
        Files.write(bad, copy);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(bad, CPU));
        assertTrue(e.getMessage().contains("not a Nabla model file"), e.getMessage());
    }

    @Test
    void aFileFromANewerFormatVersionSaysSo() throws Exception {
        byte[] bytes = bytesOf(new Sequential(new Dense(1).inputShape(1)));
        ByteBuffer.wrap(bytes).putInt(8, 2);
        int end = bytes.length - 32;
        System.arraycopy(ModelFile.sha256(bytes, 0, end), 0, bytes, end, 32);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(bytes));
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void anUnknownLayerClassNamesTheRegistry() {
        String arch = "{\"format\":\"nabla-model\",\"format_version\":1,\"model\":{\"class_name\":\"Sequential\","
                + "\"config\":{\"name\":\"s\",\"layers\":[{\"class_name\":\"Conv3D\",\"config\":{}}]}}}";
        byte[] json = arch.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(12 + json.length + 12 + 4);
        payload.put("ARCH".getBytes())
                .putLong(json.length)
                .put(json)
                .put("WGHT".getBytes())
                .putLong(4)
                .putInt(0);
        ByteBuffer file = ByteBuffer.allocate(24 + payload.capacity() + 32);
        file.put(ModelFile.MAGIC)
                .putInt(1)
                .putInt(0)
                .putLong(payload.capacity())
                .put(payload.array());
        file.put(ModelFile.sha256(file.array(), 0, 24 + payload.capacity()));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(file.array()));
        assertTrue(e.getMessage().contains("Conv3D") && e.getMessage().contains("LayerRegistry"), e.getMessage());
    }

    @Test
    void savingIsAtomicAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.nabla");
        try (Sequential model = trainedMlp()) {
            model.save(file);
            byte[] first = Files.readAllBytes(file);
            model.save(file); // replaces the file in one rename
            assertArrayEquals(first, Files.readAllBytes(file));
            Path directory = dir.resolve("occupied");
            Files.createDirectories(directory.resolve("child"));
            assertThrows(java.io.UncheckedIOException.class, () -> model.save(directory));
        }
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("model.nabla", "occupied"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theArchitectureIsReadableJson() throws Exception {
        byte[] bytes = bytesOf(new Sequential(new Dense(2, "tanh").inputShape(3)));
        ModelFile.Contents contents = ModelFile.parse(bytes);
        Map<String, Object> arch = contents.architecture();
        assertEquals("nabla-model", arch.get("format"));
        assertNull(arch.get("build_input_shape"), "not built yet");
        assertEquals("Sequential", ((Map<?, ?>) arch.get("model")).get("class_name"));
        Object parsed = Json.parse("{\"a\":[1,2.5,\"x\\n\",true,null],\"b\":{}}");
        assertEquals("{\"a\":[1,2.5,\"x\\n\",true,null],\"b\":{}}", Json.write(parsed));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
        assertTrue(new SGD().config().containsKey("learning_rate"));
    }

    /**
     * The file is streamed through a 1 MiB buffer; its bytes are still exactly the format's
     * (docs/model-format.md), here built independently: header, ARCH, META, WGHT, OPTM, SHA-256. The
     * tensors are large and oddly named, so values straddle the buffer's boundaries at odd offsets.
     */
    @Test
    void aStreamedFileHoldsExactlyTheFormatsBytes(@TempDir Path dir) throws Exception {
        Random random = new Random(5);
        IntFunction<float[]> values = n -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) random.nextGaussian();
            }
            return v;
        };
        ModelFile.StoredTensor kernel =
                new ModelFile.StoredTensor("dense/kernël", new int[] {701, 523}, values.apply(701 * 523));
        ModelFile.StoredTensor bias = new ModelFile.StoredTensor("dense/bias", new int[] {523}, values.apply(523));
        ModelFile.StoredTensor m =
                new ModelFile.StoredTensor("m:dense/kernël", new int[] {701, 523}, values.apply(701 * 523));
        Map<String, ModelFile.StoredTensor> weights = new LinkedHashMap<>();
        weights.put(bias.name(), bias);
        weights.put(kernel.name(), kernel);
        Map<String, Object> architecture = new LinkedHashMap<>();
        architecture.put("format", "nabla-model");
        ModelFile.Contents contents = new ModelFile.Contents(
                architecture,
                weights,
                List.of(kernel.name(), bias.name()),
                7L,
                Map.of("adam", List.of(m)),
                Map.of("epoch", 3));

        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payload);
        section(out, "ARCH", Json.write(architecture).getBytes(StandardCharsets.UTF_8));
        section(out, "META", "{\"epoch\":3}".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream wght = new ByteArrayOutputStream();
        DataOutputStream w = new DataOutputStream(wght);
        w.writeInt(2);
        tensor(w, kernel);
        tensor(w, bias);
        section(out, "WGHT", wght.toByteArray());
        ByteArrayOutputStream optm = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(optm);
        o.writeLong(7);
        o.writeInt(1);
        o.writeShort(4);
        o.write("adam".getBytes(StandardCharsets.UTF_8));
        o.writeInt(1);
        tensor(o, m);
        section(out, "OPTM", optm.toByteArray());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream f = new DataOutputStream(file);
        f.write(new byte[] {(byte) 0x89, 'N', 'A', 'B', 'L', 'A', '\r', '\n'});
        f.writeInt(1);
        f.writeInt(0);
        f.writeLong(payload.size());
        f.write(payload.toByteArray());
        f.write(MessageDigest.getInstance("SHA-256").digest(file.toByteArray()));
        byte[] expected = file.toByteArray();

        Path path = dir.resolve("big.nabla");
        ModelFile.write(path, contents, "model 'big'");
        assertArrayEquals(expected, Files.readAllBytes(path));
        assertArrayEquals(expected, ModelFile.encode(contents));
        ModelFile.Contents read = ModelFile.read(path);
        assertArrayEquals(kernel.values(), read.weights().get(kernel.name()).values());
        assertArrayEquals(m.values(), read.optimizerSlots().get("adam").get(0).values());
    }

    private static void section(DataOutputStream out, String tag, byte[] body) throws IOException {
        out.write(tag.getBytes(StandardCharsets.US_ASCII));
        out.writeLong(body.length);
        out.write(body);
    }

    private static void tensor(DataOutputStream out, ModelFile.StoredTensor t) throws IOException {
        byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        out.writeByte(1); // FLOAT32
        out.writeByte(t.shape().length);
        for (int d : t.shape()) {
            out.writeInt(d);
        }
        for (float v : t.values()) {
            out.writeFloat(v);
        }
    }

    /** A checkpoint of a large model needs no second copy of it in memory: the file is streamed. */
    @Test
    void writingAModelAllocatesABufferNotACopyOfTheModel(@TempDir Path dir) {
        int n = 8 << 20; // 32 MB of weights
        ModelFile.StoredTensor kernel = new ModelFile.StoredTensor("kernel", new int[] {n}, new float[n]);
        ModelFile.Contents contents = new ModelFile.Contents(
                Map.of("format", "nabla-model"),
                Map.of("kernel", kernel),
                List.of("kernel"),
                1L,
                Map.of("adam", List.of(kernel)),
                Map.of());
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        ModelFile.write(dir.resolve("warm-up.nabla"), contents, "model");
        long before = threads.getCurrentThreadAllocatedBytes();
        ModelFile.write(dir.resolve("big.nabla"), contents, "model");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4L << 20, "writing 64 MB of tensors allocated " + allocated + " bytes");
    }

    @Test
    void aNameLongerThan65535BytesIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        ModelFile.StoredTensor t = new ModelFile.StoredTensor("x".repeat(70_000), new int[] {1}, new float[] {1});
        ModelFile.Contents contents = new ModelFile.Contents(
                Map.of("format", "nabla-model"), Map.of(t.name(), t), List.of(t.name()), null, Map.of(), Map.of());
        Path path = dir.resolve("long.nabla");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelFile.write(path, contents, "model 'long'"));
        assertTrue(e.getMessage().startsWith("name too long"), e.getMessage());
        assertFalse(Files.exists(path));
    }
}
