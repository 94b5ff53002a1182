package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What convolution and max pooling keep alive for their backward pass: while autograd records, the forward's im2col
 * matrix (conv2d) and argmax (maxPool2d), which go with the step's scope; without autograd, nothing beyond the output.
 */
class ConvolutionMemoryTest {
    private static final Backend CPU = Backends.use("cpu");
    private static final TensorFactory T = Tensor.on(CPU);

    private static long liveBytes() {
        return CPU.memoryStats().liveBytes();
    }

    @Test
    @DisplayName("without autograd, conv2d and maxPool2d leave only their outputs alive")
    void inferenceKeepsOnlyTheOutputs() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = T.uniform(new Generator(1), -1, 1, 2, 8, 8, 3);
            Tensor k = T.uniform(new Generator(2), -1, 1, 3, 3, 3, 4);
            long before = liveBytes();
            Tensor y = x.conv2d(k, null, Padding.SAME, null, 1);
            assertEquals(2 * 8 * 8 * 4 * 4, liveBytes() - before, "conv2d: the output's floats only");
            before = liveBytes();
            y.maxPool2d(new int[] {2, 2}, null, Padding.VALID);
            assertEquals(2 * 4 * 4 * 4 * 4, liveBytes() - before, "maxPool2d: the output's floats only");
        }
    }

    @Test
    @DisplayName("while autograd records, the im2col matrix and the argmax stay until the step's scope closes")
    void trainingKeepsColumnsAndArgmaxForTheBackwardPass() {
        Tensor k = T.uniform(new Generator(2), -1, 1, 3, 3, 3, 4).requiresGrad(true);
        long start = CPU.memoryStats().liveBuffers();
        try (TensorScope step = TensorScope.open()) {
            Tensor x = T.uniform(new Generator(1), -1, 1, 2, 8, 8, 3);
            long before = liveBytes();
            Tensor y = x.conv2d(k, null, Padding.SAME, null, 1);
            long columns = 2L * 8 * 8 * (3 * 3 * 3) * 4;
            assertEquals(2 * 8 * 8 * 4 * 4 + columns, liveBytes() - before, "conv2d: output and im2col matrix");
            before = liveBytes();
            Tensor pooled = y.maxPool2d(new int[] {2, 2}, null, Padding.VALID);
            assertEquals(2 * (2 * 4 * 4 * 4 * 4), liveBytes() - before, "maxPool2d: output and INT32 argmax");
            pooled.sum().backward();
        }
        assertEquals(start + 1, CPU.memoryStats().liveBuffers(), "after the step only the kernel's gradient is left");
        k.close();
    }
}
