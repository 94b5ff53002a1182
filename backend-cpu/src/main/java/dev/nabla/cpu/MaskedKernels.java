package dev.nabla.cpu;

/**
 * The ReLU-shaped kernels ({@code x > 0 ? v : 0}) over float ranges, one index for all arrays.
 * The JIT does not vectorize a conditional select in a plain loop, so when the Vector API is
 * present ({@code --add-modules jdk.incubator.vector}) these run as compare-and-blend on whole
 * vectors ({@link VectorMaskedKernels}); otherwise as the scalar loops here. Both give exactly
 * the reference results, NaN included (a NaN is not greater than 0, so it becomes 0).
 */
class MaskedKernels {
    /** The implementation of this JVM. */
    static final MaskedKernels SELECTED = load();

    private static MaskedKernels load() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (MaskedKernels) Class.forName("dev.nabla.cpu.VectorMaskedKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loops
            }
        }
        return new MaskedKernels();
    }

    /** o[i] = x[i] > 0 ? x[i] : 0. */
    void relu(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /** o[i] = x[i] > 0 ? y[i] : 0. */
    void reluBackward(float[] x, float[] y, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = x[i] > 0f ? y[i] : 0f;
        }
    }

    /** o[oo + j] = max0(x[oo + j] + b[bo + j]) for j in [0, n). */
    void biasRelu(float[] x, float[] b, int bo, float[] o, int oo, int n) {
        for (int j = 0; j < n; j++) {
            float v = x[oo + j] + b[bo + j];
            o[oo + j] = v > 0f ? v : 0f;
        }
    }
}
