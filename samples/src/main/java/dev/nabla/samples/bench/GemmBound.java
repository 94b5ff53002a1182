package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.View;
import dev.nabla.samples.train.NetworkSpec;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The GEMM-bound limit of one training step of an MLP: the step's matrix products alone, run on the
 * backend's own GEMM with the shapes and transposes that training uses (per layer the forward product
 * x·W, the input gradient g·Wᵀ except for the first layer, and the weight gradient xᵀ·g), timed with
 * their operands in cache: the fastest a step of this network could be.
 *
 * <p>Beside it, the same products followed by the optimizer's update of every weight and bias, as its own
 * pass the way {@code fit} runs it (every gradient is complete before the first variable changes, so a
 * failed step changes nothing): the update streams the parameters, gradients and optimizer state through
 * memory and evicts the products' operands, so this is the fastest a step could be with that contract.
 */
final class GemmBound implements AutoCloseable {
    /** The optimizer whose update follows the products, with the backend's fused kernel. */
    enum Update {
        SGD,
        ADAM
    }

    private final Backend backend;
    private final List<Tensor> operands = new ArrayList<>();
    private final List<Runnable> products = new ArrayList<>();
    private final List<Runnable> updates = new ArrayList<>();

    /**
     * The products of a step of the MLP whose layer widths are {@code widths} (inputs first), at {@code batch},
     * and {@code update}'s pass over its weights and biases.
     */
    GemmBound(Backend backend, int[] widths, int batch, Update update) {
        this.backend = backend;
        TensorFactory t = Tensor.on(backend);
        int[] s = widths;
        for (int i = 0; i + 1 < s.length; i++) {
            int in = s[i], out = s[i + 1];
            Tensor x = keep(t.ones(1, batch, in)), w = keep(t.ones(1, in, out)), g = keep(t.ones(1, batch, out));
            Tensor y = keep(t.zeros(1, batch, out)), dx = keep(t.zeros(1, batch, in)), dw = keep(t.zeros(1, in, out));
            View wT = new View(w.view().buffer(), w.dtype(), 0, new int[] {1, in, out}, new long[] {0, out, 1});
            products.add(() -> backend.matmul(x.view(), false, w.view(), false, y.view()));
            if (i > 0) {
                products.add(() -> backend.matmul(g.view(), false, wT, true, dx.view()));
            }
            products.add(() -> backend.matmul(x.view(), true, g.view(), false, dw.view()));
            updates.add(update(t, update, in, out));
            updates.add(update(t, update, out));
        }
    }

    /** The update of one variable of shape {@code shape}: parameter, gradient and the optimizer's state. */
    private Runnable update(TensorFactory t, Update update, int... shape) {
        Tensor p = keep(t.ones(shape)), g = keep(t.ones(shape));
        if (update == Update.SGD) {
            return () -> backend.sgdUpdate(p.view(), g.view(), null, 1e-4, 0, false);
        }
        Tensor m = keep(t.zeros(shape)), v = keep(t.zeros(shape));
        return () -> backend.adamUpdate(p.view(), g.view(), m.view(), v.view(), 1e-4, 0.9, 0.999, 1e-7, 0);
    }

    private Tensor keep(Tensor t) {
        operands.add(t);
        return t;
    }

    /** Runs one step's products (and the update, if {@code withUpdate}) {@code times} times and waits for the device. */
    void run(int times, boolean withUpdate) {
        for (int r = 0; r < times; r++) {
            products.forEach(Runnable::run);
            if (withUpdate) {
                updates.forEach(Runnable::run);
            }
        }
        backend.synchronize();
    }

    /** Seconds of one step's products: the median of 31 timings of 5 steps' worth, after a warm-up. */
    double secondsPerStep() {
        return secondsPerStep(false);
    }

    /** Seconds of one step's products followed by the update of its variables, timed as {@link #secondsPerStep()}. */
    double secondsPerStepWithUpdate() {
        return secondsPerStep(true);
    }

    private double secondsPerStep(boolean withUpdate) {
        return BenchStats.medianSecondsPerRun(times -> run(times, withUpdate), 5);
    }

    /** Multiply-adds ×2 of one training step on a batch: forward, and the two backward products per layer (no input gradient for the first). */
    static long flopsPerStep(int[] widths, int batch) {
        long flops = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            long layer = 2L * batch * widths[i] * widths[i + 1];
            flops += i == 0 ? 2 * layer : 3 * layer;
        }
        return flops;
    }

    /** The widths of an MLP's layers, inputs first; a network with other layers than Dense and Dropout has none. */
    static int[] widths(NetworkSpec network) {
        List<Integer> widths = new ArrayList<>(List.of(network.inputs()));
        for (NetworkSpec.LayerSpec layer : network.layers()) {
            switch (layer.kind()) {
                case DENSE -> widths.add(layer.sizes().get(0));
                case DROPOUT -> {}
                default ->
                    throw new IllegalArgumentException(network + " has a " + layer.kind()
                            + " layer; expected an MLP (Dense and Dropout layers only)");
            }
        }
        return widths.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        operands.forEach(Tensor::close);
    }
}
