package dev.nabla.conformance;

import dev.nabla.backend.MemoryStats;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import dev.nabla.testing.LiveBuffers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Lifetime: a TensorScope releases what it made, so a long scoped loop holds no more buffers at
 * the end than at the start, and the Cleaner backstop never has to step in for the suite's own
 * code. (Every other test of the suite also checks its live-buffer count, see {@link Spec}.)
 */
abstract class MemorySpec extends Spec {

    protected MemorySpec(Kit kit) {
        super(kit);
    }

    @Test
    @DisplayName(
            "10,000 scoped training steps leave the live-buffer count where it started, and allocate nothing new after warm-up")
    void tenThousandScopedSteps() {
        Tensor x = t.uniform(new dev.nabla.tensor.Generator(1), -1, 1, 8, 4);
        Tensor y = t.uniform(new dev.nabla.tensor.Generator(2), 0, 1, 8, 1).gt(0.5);
        Tensor w = t.zeros(4, 1).requiresGrad(true);
        Tensor b = t.zeros(1).requiresGrad(true);
        long start = backend.memoryStats().liveBuffers();
        long allocationsAfterWarmUp = 0;
        for (int step = 0; step < 10_000; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor loss = x.matmul(w).add(b).sigmoid().sub(y).square().mean();
                loss.backward();
                try (NoGrad off = NoGrad.enter()) {
                    w.assign(w.sub(w.grad().mul(0.5)));
                    b.assign(b.sub(b.grad().mul(0.5)));
                }
            }
            w.zeroGrad();
            b.zeroGrad();
            if (step == 9) {
                allocationsAfterWarmUp = backend.memoryStats().driverAllocations();
            }
        }
        MemoryStats end = backend.memoryStats();
        kit.assertEquals("live buffers after 10,000 scoped steps", start, end.liveBuffers());
        kit.assertEquals(
                "driver allocations between step 10 and step 10,000 (the cache serves every step)",
                allocationsAfterWarmUp,
                end.driverAllocations());
        kit.assertTrue("the loop learned something (w moved)", w.abs().sum().item() > 0.01);
        w.close();
        b.close();
    }

    @Test
    @DisplayName(
            "a kept tensor survives its scope and moves to the enclosing one; closing the last view frees the buffer")
    void scopesKeepAndRelease() {
        long start = backend.memoryStats().liveBuffers();
        Tensor kept;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                Tensor temporary = t.ones(3);
                kept = inner.keep(temporary.mul(2));
            }
            kit.assertTrue("a kept tensor is open after its scope", !kept.isClosed());
            kit.assertValues("a kept tensor keeps its values", new double[] {2, 2, 2}, kept, 0);
            kit.assertEquals(
                    "the inner scope released its temporaries",
                    start + 1,
                    backend.memoryStats().liveBuffers());
        }
        kit.assertTrue("the enclosing scope released the kept tensor", kept.isClosed());
        Tensor base = t.ones(2, 2);
        Tensor view = base.t();
        base.close();
        kit.assertValues("a view outlives its closed base", new double[] {1, 1, 1, 1}, view, 0);
        view.close();
        kit.assertEquals(
                "closing the last view gives the buffer back",
                start,
                backend.memoryStats().liveBuffers());
    }

    @Test
    @DisplayName("the Cleaner backstop released nothing during the suite (every tensor was closed by its owner)")
    void cleanerWasNotNeeded() {
        LiveBuffers.settle();
        kit.assertEquals(
                "Tensor.cleanerReleases() since the suite started",
                kit.cleanerReleasesAtStart,
                Tensor.cleanerReleases());
    }
}
