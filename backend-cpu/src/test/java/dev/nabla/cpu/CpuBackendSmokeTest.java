package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/** A quick end-to-end pass over the CPU backend; the conformance suite is the thorough check. */
class CpuBackendSmokeTest {
    private final Backend cpu = Backends.get("cpu", 0);
    private final TensorFactory t = Tensor.on(cpu);

    @Test
    void broadcastingAddsARowToEveryRowOfAMatrix() {
        Tensor m = t.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = t.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, m.add(row).toFloatArray());
    }

    @Test
    void matmulOfTransposedViewsNeedsNoCopy() {
        Tensor a = t.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = t.of(new float[] {1, 0, 0, 1, 1, 1}, 2, 3);
        // b = [[1, 0, 0], [1, 1, 1]]: a · bᵀ = [[1, 6], [4, 15]]
        assertArrayEquals(new float[] {1, 6, 4, 15}, a.matmul(b.t()).toFloatArray());
        // aᵀ · b: [3, 3]
        assertArrayEquals(
                new float[] {5, 4, 4, 7, 5, 5, 9, 6, 6}, a.t().matmul(b).toFloatArray());
    }

    @Test
    void autogradFollowsTheComputationGraphOfField() {
        // J = 3(a + b·c) with a = 5, b = 3, c = 2
        Tensor a = t.scalar(5).requiresGrad(true);
        Tensor b = t.scalar(3).requiresGrad(true);
        Tensor c = t.scalar(2).requiresGrad(true);
        Tensor j = a.add(b.mul(c)).mul(3);
        j.backward();
        assertEquals(33, j.item(), 1e-6);
        assertEquals(3, a.grad().item(), 1e-6);
        assertEquals(6, b.grad().item(), 1e-6);
        assertEquals(9, c.grad().item(), 1e-6);
    }

    @Test
    void softmaxMatchesTheWorkedExample() {
        float[] p = t.of(new float[] {5, 2, -1, 3}).softmax(0).toFloatArray();
        assertArrayEquals(new float[] {0.842f, 0.042f, 0.002f, 0.114f}, p, 0.0006f);
        float[] big = t.of(new float[] {1000, 1001}).softmax(0).toFloatArray();
        assertArrayEquals(new float[] {0.269f, 0.731f}, big, 0.0006f);
    }

    @Test
    void gradientsOfReductionsAndBroadcastsSumBack() {
        Tensor x = t.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor bias = t.of(new float[] {1, 1, 1}, 3).requiresGrad(true);
        x.add(bias).square().mean().backward();
        // d/dx mean((x+1)²) = 2(x+1)/6
        assertArrayEquals(
                new float[] {4 / 6f, 6 / 6f, 8 / 6f, 10 / 6f, 12 / 6f, 14 / 6f},
                x.grad().toFloatArray(),
                1e-6f);
        assertArrayEquals(new float[] {14 / 6f, 18 / 6f, 22 / 6f}, bias.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void printsLikeNumpy() {
        assertEquals(
                "[[1.  2.5]\n [3.  4. ]]",
                t.of(new float[] {1, 2.5f, 3, 4}, 2, 2).toString());
        assertEquals("[1 2 3]", t.of(new int[] {1, 2, 3}).toString());
    }

    @Test
    void scopesReleaseWhatTheyMade() {
        // its own backend: tensors that other tests left to the Cleaner do not move its counters
        Backend cpu = CpuBackendProvider.createIsolated();
        TensorFactory t = Tensor.on(cpu);
        long before = cpu.memoryStats().liveBuffers();
        Tensor w = t.ones(4, 4).requiresGrad(true);
        for (int i = 0; i < 100; i++) {
            try (TensorScope scope = TensorScope.open()) {
                w.matmul(w).relu().sum().backward();
                w.zeroGrad();
            }
        }
        w.close();
        assertEquals(before, cpu.memoryStats().liveBuffers());
    }

    @Test
    void mismatchedShapesNameBothShapes() {
        Tensor a = t.zeros(2, 3);
        Tensor b = t.zeros(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }
}
