package dev.nabla.nn;

import static dev.nabla.nn.Fixtures.CPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.io.ModelFile;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.initializers.Constant;
import dev.nabla.nn.regularizers.L2;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Keras-like convolutional layers: output shapes as Keras computes them, values, parameter
 * counts and summary of a LeNet, saving and loading, training, and the bad-shape errors.
 */
class ConvLayersTest {
    private static final TensorFactory T = Tensor.on(CPU);

    /** The per-sample output shape of {@code layer} on per-sample input {@code shape}, by a real forward pass. */
    private static int[] shapeOf(Layer layer, int... shape) {
        int[] full = new int[shape.length + 1];
        full[0] = 2;
        System.arraycopy(shape, 0, full, 1, shape.length);
        try (layer;
                Tensor x = T.uniform(new Generator(1), -1, 1, full);
                Tensor y = layer.apply(x)) {
            int[] computed = layer.computeOutputShape(shape);
            int[] perSample = java.util.Arrays.copyOfRange(y.shape(), 1, y.rank());
            assertArrayEquals(computed, perSample, "computeOutputShape and the forward pass disagree for " + layer);
            assertEquals(2, y.shape(0));
            return perSample;
        }
    }

    @Test
    void conv2dOutputShapesAreKerasForEachPaddingStrideAndDilation() {
        // the numbers Keras gives (TensorFlow's rule: valid floor((in − eff)/s) + 1, same ceil(in/s))
        assertArrayEquals(new int[] {8, 8, 4}, shapeOf(new Conv2D(4, 3), 10, 10, 2));
        assertArrayEquals(new int[] {10, 10, 4}, shapeOf(new Conv2D(4, 3).padding("same"), 10, 10, 2));
        assertArrayEquals(new int[] {4, 4, 4}, shapeOf(new Conv2D(4, 3).strides(2), 10, 10, 2));
        assertArrayEquals(
                new int[] {5, 5, 4}, shapeOf(new Conv2D(4, 3).strides(2).padding("same"), 10, 10, 2));
        assertArrayEquals(new int[] {3, 3, 4}, shapeOf(new Conv2D(4, 3).strides(3), 10, 10, 2));
        assertArrayEquals(
                new int[] {4, 4, 4}, shapeOf(new Conv2D(4, 3).strides(3).padding("same"), 10, 10, 2));
        assertArrayEquals(new int[] {6, 6, 4}, shapeOf(new Conv2D(4, 3).dilationRate(2), 10, 10, 2));
        assertArrayEquals(
                new int[] {10, 10, 4}, shapeOf(new Conv2D(4, 3).dilationRate(2).padding("same"), 10, 10, 2));
        assertArrayEquals(new int[] {5, 3, 1}, shapeOf(new Conv2D(1, 3, 5).strides(1, 2), 7, 9, 1));
        assertArrayEquals(
                new int[] {7, 5, 1}, shapeOf(new Conv2D(1, 3, 5).strides(1, 2).padding("same"), 7, 9, 1));
        assertArrayEquals(new int[] {28, 28, 6}, shapeOf(new Conv2D(6, 5).padding("same"), 28, 28, 1));
        assertArrayEquals(new int[] {6, 6, 6}, shapeOf(new Conv2D(6, 3).groups(2), 8, 8, 4));
        // 'same' pads a kernel larger than the input; ZeroPadding2D makes room for a 'valid' one
        assertArrayEquals(new int[] {3, 3, 2}, shapeOf(new Conv2D(2, 5).padding("same"), 3, 3, 1));
        try (Sequential padded = new Sequential(new ZeroPadding2D(1).inputShape(3, 3, 1), new Conv2D(2, 5))) {
            padded.backend(CPU);
            assertArrayEquals(new int[] {1, 1, 2}, padded.outputShape());
        }
    }

    @Test
    void depthwiseConv2dOutputShapesMultiplyTheChannels() {
        assertArrayEquals(new int[] {8, 8, 3}, shapeOf(new DepthwiseConv2D(3), 10, 10, 3));
        assertArrayEquals(
                new int[] {10, 10, 6},
                shapeOf(new DepthwiseConv2D(3).depthMultiplier(2).padding("same"), 10, 10, 3));
        assertArrayEquals(
                new int[] {5, 5, 3}, shapeOf(new DepthwiseConv2D(3).strides(2).padding("same"), 10, 10, 3));
        assertArrayEquals(new int[] {4, 4, 3}, shapeOf(new DepthwiseConv2D(3).strides(2), 10, 10, 3));
        assertArrayEquals(new int[] {6, 6, 3}, shapeOf(new DepthwiseConv2D(3).dilationRate(2), 10, 10, 3));
    }

    @Test
    void poolingOutputShapesUseThePoolSizeAsDefaultStrides() {
        for (Supplier<Layer> pool :
                List.<Supplier<Layer>>of(() -> new MaxPooling2D(2), () -> new AveragePooling2D(2))) {
            assertArrayEquals(new int[] {3, 3, 2}, shapeOf(pool.get(), 7, 7, 2));
        }
        assertArrayEquals(new int[] {14, 14, 6}, shapeOf(new MaxPooling2D(), 28, 28, 6));
        assertArrayEquals(new int[] {4, 4, 2}, shapeOf(new MaxPooling2D(2).padding("same"), 7, 7, 2));
        assertArrayEquals(new int[] {4, 4, 2}, shapeOf(new AveragePooling2D(2).padding("same"), 7, 7, 2));
        assertArrayEquals(new int[] {3, 3, 2}, shapeOf(new MaxPooling2D(3).strides(2), 7, 7, 2));
        assertArrayEquals(
                new int[] {4, 4, 2}, shapeOf(new AveragePooling2D(3).strides(2).padding("same"), 7, 7, 2));
        assertArrayEquals(new int[] {6, 6, 2}, shapeOf(new MaxPooling2D(2).strides(1), 7, 7, 2));
        assertArrayEquals(new int[] {2, 7, 2}, shapeOf(new AveragePooling2D(3, 1), 7, 7, 2));
        assertArrayEquals(new int[] {3}, shapeOf(new GlobalAveragePooling2D(), 5, 6, 3));
        assertArrayEquals(new int[] {3}, shapeOf(new GlobalMaxPooling2D(), 5, 6, 3));
        assertArrayEquals(new int[] {1, 1, 3}, shapeOf(new GlobalAveragePooling2D().keepdims(true), 5, 6, 3));
        assertArrayEquals(new int[] {1, 1, 3}, shapeOf(new GlobalMaxPooling2D().keepdims(true), 5, 6, 3));
    }

    @Test
    void reshapeAndZeroPaddingShapes() {
        assertArrayEquals(new int[] {28, 28, 1}, shapeOf(new Reshape(28, 28, 1), 784));
        assertArrayEquals(new int[] {8, 3}, shapeOf(new Reshape(-1, 3), 4, 3, 2));
        assertArrayEquals(new int[] {24}, shapeOf(new Reshape(-1), 4, 3, 2));
        assertArrayEquals(new int[] {7, 8, 3}, shapeOf(new ZeroPadding2D(), 5, 6, 3));
        assertArrayEquals(new int[] {9, 10, 3}, shapeOf(new ZeroPadding2D(2), 5, 6, 3));
        assertArrayEquals(new int[] {7, 10, 3}, shapeOf(new ZeroPadding2D(1, 2), 5, 6, 3));
        assertArrayEquals(new int[] {6, 11, 3}, shapeOf(new ZeroPadding2D(new int[][] {{1, 0}, {2, 3}}), 5, 6, 3));
    }

    @Test
    void layerNamesAreKerasSnakeCase() {
        assertTrue(new Conv2D(1, 1).name().startsWith("conv2d"));
        assertTrue(new DepthwiseConv2D(1).name().startsWith("depthwise_conv2d"));
        assertTrue(new MaxPooling2D().name().startsWith("max_pooling2d"));
        assertTrue(new GlobalAveragePooling2D().name().startsWith("global_average_pooling2d"));
        assertTrue(new ZeroPadding2D().name().startsWith("zero_padding2d"));
        assertTrue(new BatchNormalization().name().startsWith("batch_normalization"));
    }

    // ------------------------------------------------------------------ values

    @Test
    void conv2dSumsTheWindowAndAddsTheBiasThenTheActivation() {
        try (Conv2D valid = new Conv2D(1, 3).kernelInitializer(new Constant(1)).biasInitializer(new Constant(0.5));
                Conv2D same = new Conv2D(2, 3, "relu")
                        .padding("same")
                        .kernelInitializer(new Constant(-1))
                        .biasInitializer(new Constant(6));
                Tensor x = T.ones(1, 4, 4, 1)) {
            assertArrayEquals(
                    new float[] {9.5f, 9.5f, 9.5f, 9.5f}, valid.apply(x).toFloatArray());
            // same: corners see 4 cells, edges 6, the middle 9; 6 − count, then relu
            float[] y = same.apply(x).toFloatArray();
            float[] expected = {2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 2};
            for (int i = 0; i < 16; i++) {
                assertEquals(expected[i], y[2 * i], 1e-6, "cell " + i);
                assertEquals(expected[i], y[2 * i + 1], 1e-6, "cell " + i);
            }
            assertArrayEquals(new int[] {3, 3, 1, 2}, same.kernel().shape());
            assertEquals(20, same.countParams());
        }
    }

    @Test
    void depthwiseConv2dConvolvesEachChannelWithItsOwnKernels() {
        int h = 5, w = 6, c = 3, m = 2, k = 3;
        try (DepthwiseConv2D layer = new DepthwiseConv2D(k).depthMultiplier(m).biasInitializer(new Constant(0.25));
                Tensor x = T.uniform(new Generator(4), -1, 1, 2, h, w, c)) {
            Tensor y = layer.apply(x);
            float[] in = x.toFloatArray();
            float[] kernel = layer.kernel().get();
            assertArrayEquals(new int[] {k, k, c, m}, layer.kernel().shape());
            assertEquals(k * k * c * m + c * m, layer.countParams());
            int oh = h - k + 1, ow = w - k + 1;
            float[] reference = new float[2 * oh * ow * c * m];
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        for (int ch = 0; ch < c; ch++) {
                            for (int q = 0; q < m; q++) {
                                double sum = 0.25;
                                for (int a = 0; a < k; a++) {
                                    for (int b = 0; b < k; b++) {
                                        sum += in[((n * h + i + a) * w + j + b) * c + ch]
                                                * kernel[((a * k + b) * c + ch) * m + q];
                                    }
                                }
                                reference[((n * oh + i) * ow + j) * c * m + ch * m + q] = (float) sum;
                            }
                        }
                    }
                }
            }
            assertArrayEquals(reference, y.toFloatArray(), 1e-5f);
            y.close();
        }
    }

    @Test
    void poolingLayersTakeTheMaximumOrMeanOfEachWindow() {
        float[] values = new float[16];
        for (int i = 0; i < 16; i++) {
            values[i] = i;
        }
        try (Tensor x = T.of(values, 1, 4, 4, 1)) {
            assertArrayEquals(
                    new float[] {5, 7, 13, 15}, new MaxPooling2D(2).apply(x).toFloatArray());
            assertArrayEquals(
                    new float[] {2.5f, 4.5f, 10.5f, 12.5f},
                    new AveragePooling2D(2).apply(x).toFloatArray());
            // same with 3×3 pools, stride 2: windows rows 0-2 and 2-3 (the last cut by the border)
            assertArrayEquals(
                    new float[] {10, 11, 14, 15},
                    new MaxPooling2D(3).strides(2).padding("same").apply(x).toFloatArray());
            assertArrayEquals(
                    new float[] {5, 6.5f, 11, 12.5f},
                    new AveragePooling2D(3).strides(2).padding("same").apply(x).toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {7.5f}, new GlobalAveragePooling2D().apply(x).toFloatArray());
            assertArrayEquals(
                    new float[] {15}, new GlobalMaxPooling2D().apply(x).toFloatArray());
        }
    }

    @Test
    void zeroPaddingAddsZerosAroundEachImage() {
        try (Tensor x = T.ones(1, 1, 2, 1)) {
            Tensor y = new ZeroPadding2D(new int[][] {{1, 0}, {0, 1}}).apply(x);
            assertArrayEquals(new int[] {1, 2, 3, 1}, y.shape());
            assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0}, y.toFloatArray());
        }
    }

    // ------------------------------------------------------------------ models

    /** LeNet-5 as in the Keras examples, with a 'same' first convolution on 28×28×1. */
    private static Sequential leNet() {
        return new Sequential(
                new Input(28, 28, 1),
                new Conv2D(6, 5).padding("same").activation("relu"),
                new MaxPooling2D(2),
                new Conv2D(16, 5, "relu"),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(120, "relu"),
                new Dense(84, "relu"),
                new Dense(10, "softmax"));
    }

    @Test
    void leNetHasKerasOutputShapesParameterCountsAndSummary() {
        try (Sequential model = leNet()) {
            model.backend(CPU);
            List<String> lines = new ArrayList<>();
            model.summary(lines::add);
            String text = String.join("\n", lines);
            long[] params = {156, 0, 2416, 0, 0, 48120, 10164, 850};
            String[] shapes = {
                "(None, 28, 28, 6)",
                "(None, 14, 14, 6)",
                "(None, 10, 10, 16)",
                "(None, 5, 5, 16)",
                "(None, 400)",
                "(None, 120)",
                "(None, 84)",
                "(None, 10)"
            };
            List<Layer> layers = model.layers().subList(1, model.layers().size());
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                assertEquals(params[i], layer.countParams(), layer.name());
                assertEquals(shapes[i], Summary.shape(layer.outputShape()), layer.name());
                String row = lines.stream()
                        .filter(l -> l.startsWith(" " + layer.name() + " ("))
                        .findFirst()
                        .orElseThrow();
                assertTrue(row.contains(" (" + layer.typeName() + ")"), row);
                assertTrue(row.contains(shapes[i]) && row.trim().endsWith(" " + params[i]), row);
            }
            assertTrue(lines.contains("Total params: 61,706 (241.04 KB)"), text);
            assertTrue(lines.contains("Trainable params: 61,706 (241.04 KB)"), text);
            assertTrue(lines.contains("Non-trainable params: 0 (0.00 B)"), text);
            assertTrue(text.contains("(Conv2D)") && text.contains("(MaxPooling2D)"), text);
        }
    }

    /** Every new layer in one Sequential model on [12, 12, 3] images. */
    private static Sequential everyLayer() {
        return new Sequential(
                new Conv2D(4, 3, "relu")
                        .padding("same")
                        .kernelRegularizer(new L2(1e-4))
                        .inputShape(12, 12, 3),
                new DepthwiseConv2D(3).depthMultiplier(2).activation("tanh"),
                new ZeroPadding2D(1),
                new MaxPooling2D(2),
                new AveragePooling2D(3).strides(2).padding("same"),
                new Conv2D(6, 2).dilationRate(2).padding("same").useBias(false),
                new Reshape(-1),
                new Reshape(3, 3, 6),
                new GlobalMaxPooling2D(),
                new Dense(3, "softmax"));
    }

    @Test
    void savedAndLoadedModelsWithEveryConvLayerPredictTheSame(@TempDir Path dir) {
        RandomSeed.set(21);
        Path file = dir.resolve("cnn.nabla");
        try (Sequential model = everyLayer();
                Tensor x = T.uniform(new Generator(8), 0, 1, 5, 12, 12, 3)) {
            model.backend(CPU);
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            assertArrayEquals(new int[] {3}, model.outputShape());
            float[] before = model.predict(x).toFloatArray();
            model.save(file);
            try (Model loaded = Model.load(file, CPU)) {
                assertEquals(model.config(), loaded.config());
                assertEquals(model.countParams(), loaded.countParams());
                assertArrayEquals(before, loaded.predict(x).toFloatArray());
                List<String> a = new ArrayList<>();
                List<String> b = new ArrayList<>();
                model.summary(a::add);
                loaded.summary(b::add);
                assertEquals(a, b);
            }
        }
    }

    @Test
    void aFunctionalModelWithConvAndGlobalPoolingBranchesSavesAndLoads(@TempDir Path dir) {
        RandomSeed.set(22);
        SymbolicTensor in = Input.of(8, 8, 2);
        SymbolicTensor features =
                new Conv2D(4, 3).padding("same").activation("swish").apply(in);
        SymbolicTensor mean = new GlobalAveragePooling2D().apply(features);
        SymbolicTensor max = new GlobalMaxPooling2D().apply(features);
        SymbolicTensor out = new Dense(2, "softmax").apply(new Concatenate().apply(mean, max));
        Path file = dir.resolve("functional.nabla");
        try (Model model = Model.of(in, out);
                Tensor x = T.uniform(new Generator(9), -1, 1, 3, 8, 8, 2)) {
            model.backend(CPU);
            assertArrayEquals(new int[] {2}, model.outputShape());
            List<String> lines = new ArrayList<>();
            model.summary(lines::add);
            assertTrue(lines.contains("Total params: 94 (376.00 B)"), String.join("\n", lines));
            float[] before = model.predict(x).toFloatArray();
            model.save(file);
            try (Model loaded = Model.load(file, CPU)) {
                assertArrayEquals(before, loaded.predict(x).toFloatArray());
            }
        }
    }

    @Test
    void aModelFileWrittenBeforeTheConvLayersStillLoads(@TempDir Path dir) {
        // the architecture as Nabla wrote it before these layers: format version 1, Flatten and Dense
        Map<String, Object> flatten = new LinkedHashMap<>();
        flatten.put("name", "flatten_old");
        flatten.put("trainable", true);
        flatten.put("input_shape", List.of(2, 2));
        Map<String, Object> dense = new LinkedHashMap<>();
        dense.put("name", "dense_old");
        dense.put("trainable", true);
        dense.put("units", 1);
        dense.put("activation", "linear");
        dense.put("use_bias", true);
        dense.put("kernel_initializer", Map.of("class_name", "GlorotUniform", "config", Map.of()));
        dense.put("bias_initializer", Map.of("class_name", "Zeros", "config", Map.of()));
        dense.put("kernel_regularizer", null);
        dense.put("bias_regularizer", null);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "old");
        config.put(
                "layers",
                List.of(
                        Map.of("class_name", "Flatten", "config", flatten),
                        Map.of("class_name", "Dense", "config", dense)));
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("format", "nabla-model");
        arch.put("format_version", 1);
        arch.put("model", Map.of("class_name", "Sequential", "config", config));
        arch.put("build_input_shape", List.of(2, 2));
        arch.put("saved_on_backend", "cpu");
        Map<String, ModelFile.StoredTensor> weights = new LinkedHashMap<>();
        weights.put(
                "dense_old/kernel",
                new ModelFile.StoredTensor("dense_old/kernel", new int[] {4, 1}, new float[] {1, 2, 3, 4}));
        weights.put("dense_old/bias", new ModelFile.StoredTensor("dense_old/bias", new int[] {1}, new float[] {0.5f}));
        Path file = dir.resolve("old.nabla");
        ModelFile.write(
                file,
                new ModelFile.Contents(arch, weights, List.copyOf(weights.keySet()), null, Map.of(), Map.of()),
                "old model");
        try (Model loaded = Model.load(file, CPU);
                Tensor x = T.ones(1, 2, 2)) {
            assertArrayEquals(new float[] {10.5f}, loaded.predict(x).toFloatArray());
            assertEquals("flatten_old", loaded.layers().get(0).name());
        }
    }

    /** 8×8 images: a bright horizontal bar (class 0) or vertical bar (class 1) at a random place, with noise. */
    private static Dataset bars(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        float[] y = new float[n];
        for (int s = 0; s < n; s++) {
            int label = s % 2;
            int at = random.nextInt(8);
            y[s] = label;
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    boolean bar = label == 0 ? i == at : j == at;
                    x[s * 64 + i * 8 + j] = (bar ? 1f : 0f) + (float) random.nextGaussian() * 0.1f;
                }
            }
        }
        return Dataset.of(x, new int[] {8, 8, 1}, y, new int[] {});
    }

    @Test
    void aTinyCnnLearnsToTellBarsApart() {
        RandomSeed.set(5);
        try (Sequential model = new Sequential(
                new Conv2D(4, 3, "relu").inputShape(8, 8, 1),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(2, "softmax"))) {
            model.backend(CPU);
            model.compile(new Adam(0.02), new SparseCategoricalCrossentropy(), "accuracy");
            History history = model.fit(
                    bars(32, 3),
                    new FitOptions().batchSize(8).epochs(15).seed(1).verbose(0));
            List<Double> losses = history.history().get("loss");
            assertTrue(losses.get(losses.size() - 1) < 0.5 * losses.get(0), losses.toString());
        }
    }

    // ------------------------------------------------------------------ configs and errors

    @Test
    void configsRoundTripThroughTheRegistry() {
        List<Layer> layers = List.of(
                new Conv2D(8, 3, 5)
                        .strides(2, 1)
                        .padding("same")
                        .dilationRate(1, 2)
                        .groups(2)
                        .useBias(false),
                new DepthwiseConv2D(5).depthMultiplier(3).strides(2).activation("relu"),
                new MaxPooling2D(3, 2).strides(1).padding("same"),
                new AveragePooling2D(2),
                new GlobalAveragePooling2D().keepdims(true),
                new GlobalMaxPooling2D(),
                new Reshape(4, -1),
                new ZeroPadding2D(new int[][] {{1, 2}, {3, 4}}));
        for (Layer layer : layers) {
            Map<String, Object> config = new LinkedHashMap<>(layer.config());
            config.put("name", layer.name() + "_copy");
            Layer copy = LayerRegistry.create(layer.typeName(), config);
            assertEquals(layer.typeName(), copy.typeName());
            config.remove("name");
            Map<String, Object> copied = new LinkedHashMap<>(copy.config());
            copied.remove("name");
            assertEquals(config, copied, layer.typeName());
        }
        assertEquals("same", layers.get(0).config().get("padding"));
        assertEquals(List.of(2, 1), layers.get(0).config().get("strides"));
        // Keras writes padding of ZeroPadding2D as pairs, and may write a single number
        ZeroPadding2D keras = ZeroPadding2D.fromConfig(Map.of("padding", 2));
        assertArrayEquals(new int[][] {{2, 2}, {2, 2}}, keras.padding());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Conv2D.fromConfig(
                        Map.of("filters", 2, "kernel_size", List.of(3, 3), "data_format", "channels_first")));
        assertTrue(e.getMessage().contains("channels_first"), e.getMessage());
    }

    @Test
    void badShapesGiveOneLineErrorsNamingTheLayerAndTheShapes() {
        try (Conv2D conv = new Conv2D(4, 3).name("conv_a");
                Tensor flat = T.ones(2, 784)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.apply(flat));
            assertEquals(
                    "conv_a (Conv2D): expected a rank-4 input [batch, height, width, channels], got [batch, 784]",
                    e.getMessage());
        }
        try (Conv2D conv = new Conv2D(4, 5).name("conv_b");
                Tensor small = T.ones(2, 3, 3, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.apply(small));
            assertTrue(
                    e.getMessage().startsWith("conv_b (Conv2D): the kernel [5, 5] is larger than the input [3, 3]"),
                    e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
        try (Conv2D conv = new Conv2D(4, 3).dilationRate(3).name("conv_c");
                Tensor small = T.ones(2, 6, 9, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.apply(small));
            assertTrue(e.getMessage().contains("[3, 3] ([7, 7] with dilation [3, 3])"), e.getMessage());
        }
        try (Conv2D conv = new Conv2D(4, 3).name("conv_d");
                Tensor rgb = T.ones(2, 8, 8, 3);
                Tensor gray = T.ones(2, 8, 8, 1)) {
            conv.apply(rgb).close();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.apply(gray));
            assertTrue(
                    e.getMessage().contains("conv_d (Conv2D)")
                            && e.getMessage().contains("[8, 8, 3]")
                            && e.getMessage().contains("[8, 8, 1]"),
                    e.getMessage());
        }
        try (Sequential model = new Sequential(new Dense(4).inputShape(10), new MaxPooling2D(2).name("pool"))) {
            model.backend(CPU);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.summary(s -> {}));
            assertTrue(e.getMessage().contains("pool (MaxPooling2D): expected a rank-4 input"), e.getMessage());
        }
        IllegalArgumentException reshape = assertThrows(
                IllegalArgumentException.class,
                () -> new Reshape(5, -1).name("r").computeOutputShape(new int[] {4, 3}));
        assertTrue(
                reshape.getMessage()
                        .contains("r (Reshape): cannot reshape per-sample shape [4, 3] (12 values) to [5, -1]"),
                reshape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).padding("full"));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(0));
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2D(-1));
    }
}
