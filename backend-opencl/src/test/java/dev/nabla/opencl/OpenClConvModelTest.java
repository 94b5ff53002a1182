package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.backend.Backend;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.AveragePooling2D;
import dev.nabla.nn.Conv2D;
import dev.nabla.nn.Dense;
import dev.nabla.nn.DepthwiseConv2D;
import dev.nabla.nn.Flatten;
import dev.nabla.nn.GlobalAveragePooling2D;
import dev.nabla.nn.MaxPooling2D;
import dev.nabla.nn.Model;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Reshape;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.ZeroPadding2D;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with convolutional layers saved on the CPU backend loads onto OpenCL and predicts the
 * same (within float tolerance). It lives here because integration-tests runs on the CPU backend
 * only: OpenCL is built after it.
 */
class OpenClConvModelTest {

    @Test
    void aCnnSavedOnCpuPredictsTheSameOnOpenCl(@TempDir Path dir) {
        Backend gpu = OpenClTestSupport.backend();
        Backend cpu = CpuBackendProvider.createIsolated();
        Path file = dir.resolve("cnn.nabla");
        float[] x = OpenClTestSupport.values(4 * 12 * 12 * 3, 5, 0, 1);
        float[] expected;
        RandomSeed.set(17);
        try (Sequential model = new Sequential(
                new Conv2D(6, 3, "relu").padding("same").inputShape(12, 12, 3),
                new DepthwiseConv2D(3).depthMultiplier(2).activation("tanh"),
                new ZeroPadding2D(1),
                new MaxPooling2D(2),
                new AveragePooling2D(2).padding("same"),
                new Conv2D(8, 2).strides(1).dilationRate(1).useBias(true),
                new Reshape(-1, 8),
                new Reshape(2, 2, 8),
                new GlobalAveragePooling2D().keepdims(true),
                new Flatten(),
                new Dense(3, "softmax"))) {
            model.backend(cpu);
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            try (Tensor input = Tensor.on(cpu).of(x, 4, 12, 12, 3);
                    Tensor y = model.predict(input)) {
                expected = y.toFloatArray();
            }
            model.save(file);
        }
        try (Model loaded = Model.load(file, gpu);
                Tensor input = Tensor.on(gpu).of(x, 4, 12, 12, 3);
                Tensor y = loaded.predict(input)) {
            assertEquals(gpu, loaded.backend());
            assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
        }
        cpu.close();
    }
}
