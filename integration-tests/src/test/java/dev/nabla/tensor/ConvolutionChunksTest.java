package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * conv2d cuts a large batch into chunks of images so that one im2col matrix stays bounded: the chunked
 * result and gradients are the unchunked ones (up to rounding: the kernel gradient sums the chunks' parts).
 */
class ConvolutionChunksTest {
    private TensorScope scope;

    @BeforeEach
    void open() {
        scope = TensorScope.open();
    }

    @AfterEach
    void close() {
        Convolutions.chunkElements = Convolutions.CHUNK_ELEMENTS;
        scope.close();
    }

    /** {output, input gradient, kernel gradient} of a grouped, strided, SAME conv2d of 5 images. */
    private static float[][] run() {
        TensorFactory t = Tensor.on(dev.nabla.backend.Backends.use("cpu"));
        Tensor x = t.uniform(new Generator(3), -1, 1, 5, 7, 6, 4).requiresGrad(true);
        Tensor k = t.uniform(new Generator(4), -1, 1, 3, 3, 2, 6).requiresGrad(true);
        Tensor y = x.conv2d(k, new int[] {2, 1}, Padding.SAME, null, 2);
        y.mul(y).sum().backward();
        return new float[][] {
            y.toFloatArray(), x.grad().toFloatArray(), k.grad().toFloatArray()
        };
    }

    @Test
    @DisplayName("two images per chunk (and a last chunk of one) give what one chunk gives")
    void chunkedEqualsWhole() {
        float[][] whole = run();
        // two images: 4·6 windows × 36 columns (2 groups × 9 taps × 2 channels) each; 5 images → 2, 2, 1
        Convolutions.chunkElements = 2L * 4 * 6 * 36;
        float[][] chunked = run();
        for (int i = 0; i < whole.length; i++) {
            assertArrayEquals(whole[i], chunked[i], 1e-4f, "result " + i);
        }
    }
}
