package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.View;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The GEMM-bound limit of one training step of a {@link FieldNetwork}: the step's matrix products
 * alone, run on the backend's own GEMM with the shapes and transposes that training uses (per layer
 * the forward product x·W, the input gradient g·Wᵀ except for the first layer, and the weight
 * gradient xᵀ·g).
 *
 * <p>On a shared machine absolute times drift by 2× within minutes, so {@link #interleaved} also
 * times a whole epoch of real training steps and these products in alternation, a few steps of
 * each per round: drift then moves both sides of the epoch's ratio together.
 */
final class GemmBound implements AutoCloseable {
    private final Backend backend;
    private final List<Tensor> operands = new ArrayList<>();
    private final List<Runnable> products = new ArrayList<>();

    GemmBound(Backend backend, FieldNetwork spec, int batch) {
        this.backend = backend;
        TensorFactory t = Tensor.on(backend);
        int[] s = spec.sizes();
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
        }
    }

    private Tensor keep(Tensor t) {
        operands.add(t);
        return t;
    }

    /** Runs one step's products {@code times} times and waits for the device. */
    void run(int times) {
        for (int r = 0; r < times; r++) {
            products.forEach(Runnable::run);
        }
        backend.synchronize();
    }

    /** Seconds of one step's products: the median of 31 timings of 5 steps' worth, after a warm-up. */
    double secondsPerStep() {
        run(20);
        double[] times = new double[31];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            run(5);
            times[i] = (System.nanoTime() - start) / 5e9;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    /**
     * Training time over GEMM time, timed in alternation: the total seconds of the training steps
     * and of their products, their ratio, and the median and quartiles of the rounds' ratios.
     */
    record Ratio(
            double ofTotals,
            double median,
            double lowerQuartile,
            double upperQuartile,
            double stepSeconds,
            double gemmSeconds) {}

    /**
     * Times {@code totalSteps} calls of {@code trainStep} (one training step each; the caller warms
     * it up) in rounds of {@code perRound}, each round followed by the same number of runs of this
     * step's products alone: drift then moves both sides of a round's ratio together. Before each
     * timed run of the products one more runs untimed, so that they are timed with their operands
     * in cache, as on their own ({@link #secondsPerStep}), not after the training steps evicted them:
     * the limit at its fastest.
     */
    Ratio interleaved(Runnable trainStep, int totalSteps, int perRound) {
        run(perRound);
        int rounds = (totalSteps + perRound - 1) / perRound;
        double[] ratios = new double[rounds];
        double stepTotal = 0, gemmTotal = 0;
        for (int r = 0; r < rounds; r++) {
            int steps = Math.min(perRound, totalSteps - r * perRound);
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainStep.run();
            }
            backend.synchronize();
            long trained = System.nanoTime();
            run(1);
            long warm = System.nanoTime();
            run(steps);
            long multiplied = System.nanoTime();
            stepTotal += (trained - start) / 1e9;
            gemmTotal += (multiplied - warm) / 1e9;
            ratios[r] = (double) (trained - start) / (multiplied - warm);
        }
        Arrays.sort(ratios);
        return new Ratio(
                stepTotal / gemmTotal,
                ratios[rounds / 2],
                ratios[rounds / 4],
                ratios[3 * rounds / 4],
                stepTotal,
                gemmTotal);
    }

    @Override
    public void close() {
        operands.forEach(Tensor::close);
    }
}
