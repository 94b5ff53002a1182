package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.DeviceOutOfMemoryException;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/** The caching allocator: a repeated training step allocates nothing new; a buffer too large is a clear exception. */
class OpenClMemoryTest {

    @Test
    void aRepeatedTrainingStepAllocatesNothingFromTheDriverAfterTheFirst() {
        OpenClBackend backend = OpenClTestSupport.backend();
        TensorFactory on = Tensor.on(backend);
        Generator generator = new Generator(3);
        Tensor w = on.uniform(generator, -0.1, 0.1, 20, 10).requiresGrad(true);
        Tensor b = on.zeros(10).requiresGrad(true);
        Tensor mw = on.zeros(20, 10), vw = on.zeros(20, 10), mb = on.zeros(10), vb = on.zeros(10);
        float[] x = OpenClTestSupport.values(32 * 20, 4, -1, 1);
        int[] labels = new int[32];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10;
        }
        Runnable step = () -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor input = on.of(x, 32, 20);
                Tensor targets = on.of(labels, 32).oneHot(10);
                Tensor hidden = input.matmul(w).biasActivation(b, UnaryOp.TANH, 0);
                Tensor dropped = hidden.dropout(0.1, generator);
                Tensor loss = dropped.softmaxCrossEntropy(targets).mean();
                loss.backward();
                try (NoGrad off = NoGrad.enter()) {
                    backend.adamUpdate(w.view(), w.grad().view(), mw.view(), vw.view(), 0.01, 0.9, 0.999, 1e-7, 0);
                    backend.adamUpdate(b.view(), b.grad().view(), mb.view(), vb.view(), 0.01, 0.9, 0.999, 1e-7, 0);
                }
                w.zeroGrad();
                b.zeroGrad();
            }
        };
        step.run();
        MemoryStats afterFirst = backend.memoryStats();
        for (int i = 0; i < 5; i++) {
            step.run();
        }
        backend.synchronize();
        MemoryStats afterMore = backend.memoryStats();
        System.out.println("[opencl tests] after 1 step: " + afterFirst + "; after 6: " + afterMore);
        assertEquals(
                afterFirst.driverAllocations(),
                afterMore.driverAllocations(),
                "driver allocations after the first step");
        assertEquals(afterFirst.liveBuffers(), afterMore.liveBuffers(), "live buffers: nothing leaks per step");
        for (Tensor t : new Tensor[] {w, b, mw, vw, mb, vb}) {
            t.close();
        }
    }

    @Test
    void aBufferLargerThanTheDeviceAllowsIsAnOutOfMemoryErrorAndTheBackendStaysUsable() {
        OpenClBackend backend = OpenClTestSupport.backend();
        long tooMany = backend.info().maxAllocBytes() / Float.BYTES + (1L << 20);
        DeviceOutOfMemoryException e =
                assertThrows(DeviceOutOfMemoryException.class, () -> backend.allocate(DType.FLOAT32, tooMany));
        assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
        DeviceBuffer small = backend.allocate(DType.FLOAT32, 3);
        View v = View.contiguous(small, 3);
        backend.fill(v, 2);
        backend.unary(UnaryOp.SQUARE, v, v, 0, 0);
        float[] out = new float[3];
        backend.read(small, 0, out, 0, 3);
        assertArrayEquals(new float[] {4, 4, 4}, out);
        backend.release(small);
    }

    @Test
    void releasedBuffersAreReusedFromTheCacheAndEmptyCacheGivesThemBack() {
        OpenClBackend backend = OpenClTestSupport.backend();
        DeviceBuffer first = backend.allocate(DType.FLOAT32, 12345);
        backend.release(first);
        long allocations = backend.memoryStats().driverAllocations();
        DeviceBuffer again = backend.allocate(DType.FLOAT32, 12345);
        assertEquals(allocations, backend.memoryStats().driverAllocations());
        backend.release(again);
        long frees = backend.memoryStats().driverFrees();
        backend.emptyCache();
        assertTrue(backend.memoryStats().driverFrees() > frees);
        assertEquals(0, backend.memoryStats().cachedBytes());
    }
}
