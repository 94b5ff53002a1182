package dev.nabla.nn;

import static dev.nabla.nn.Fixtures.CPU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.initializers.Zeros;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionalModelTest {

    @Test
    void aSkipConnectionAddsTheInputToTheBlocksOutput() {
        SymbolicTensor in = Input.of(4);
        Dense block = new Dense(4, "relu").kernelInitializer(new Zeros());
        SymbolicTensor sum = new Add().apply(block.apply(in), in);
        try (Model model = Model.of(in, sum)) {
            model.backend(CPU);
            // the block outputs relu(0·x + 0) = 0, so the model is the identity
            Tensor x = Tensor.on(CPU).of(new float[] {1, -2, 3, 4}, 1, 4);
            assertArrayEquals(x.toFloatArray(), model.predict(x).toFloatArray());
            assertEquals(List.of(in.layer(), block, sum.layer()), model.layers());
        }
    }

    @Test
    void aResidualNetworkTrainsWithFitLikeASequentialOne() {
        RandomSeed.set(21);
        SymbolicTensor in = Input.of(4);
        SymbolicTensor h = new Dense(16, "relu").apply(in);
        SymbolicTensor r = new Dense(16, "relu").apply(h);
        SymbolicTensor merged = new Add().apply(h, r);
        SymbolicTensor joined = new Concatenate().apply(merged, in);
        SymbolicTensor out = new Dense(3, "softmax").apply(joined);
        try (Model model = Model.of(in, out, "resnet")) {
            model.backend(CPU);
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            Dataset data = Fixtures.blobs(150, 9);
            History history =
                    model.fit(data, new FitOptions().batchSize(16).epochs(6).verbose(0));
            assertTrue(history.last("accuracy") > 0.95, history.toString());
            assertArrayEquals(new int[] {3}, model.outputShape());
            List<String> lines = new ArrayList<>();
            model.summary(lines::add);
            assertEquals("Model: \"resnet\"", lines.get(0));
            assertTrue(lines.get(2).contains("Connected to"), lines.get(2));
            assertTrue(lines.stream().anyMatch(l -> l.contains("(Add)") && l.contains("(None, 16)")), lines.toString());
            assertTrue(
                    lines.stream().anyMatch(l -> l.contains("(Concatenate)") && l.contains("(None, 20)")),
                    lines.toString());
        }
    }

    @Test
    void aLayerAppliedTwiceSharesItsWeights() {
        SymbolicTensor in = Input.of(3);
        Dense shared = new Dense(3);
        SymbolicTensor out = shared.apply(shared.apply(in));
        try (Model model = Model.of(in, out)) {
            model.backend(CPU);
            model.build(3);
            assertEquals(2, model.weights().size());
            assertEquals(12, model.countParams());
        }
    }

    @Test
    void graphsThatAreNotOneInputToOneOutputAreRejected() {
        SymbolicTensor a = Input.of(2);
        SymbolicTensor b = Input.of(2);
        SymbolicTensor sum = new Add().apply(a, b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.of(a, sum));
        assertTrue(e.getMessage().contains("several inputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Model.of(new Dense(2).apply(a), sum));
        assertThrows(IllegalArgumentException.class, () -> new Add().apply(a, Input.of(3)));
    }
}
