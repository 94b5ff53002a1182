package dev.nabla.cpu;

import dev.nabla.backend.DType;
import dev.nabla.backend.View;
import java.util.SplittableRandom;

/** Operands for the CPU benchmarks: FLOAT32 vectors of values uniform in [−1, 1), repeatable by seed. */
final class BenchViews {
    private BenchViews() {
    }

    static View vector(CpuBackend cpu, int n, long seed) {
        float[] data = new float[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            data[i] = (float) random.nextDouble(-1, 1);
        }
        return View.contiguous(new CpuBuffer(cpu, DType.FLOAT32, data, n * 4L), n);
    }
}
