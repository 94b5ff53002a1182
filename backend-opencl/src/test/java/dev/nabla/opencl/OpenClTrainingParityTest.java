package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.UnaryOp;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/** A short training run gives the same losses on OpenCL as on the CPU backend (same Philox init, same data). */
class OpenClTrainingParityTest {

    /** Losses of 30 Adam steps of a 12-16-3 tanh MLP with dropout on a fixed toy problem. */
    private static double[] train(Backend backend) {
        TensorFactory on = Tensor.on(backend);
        Generator generator = new Generator(42);
        Tensor w1 = on.uniform(generator, -0.5, 0.5, 12, 16).requiresGrad(true);
        Tensor b1 = on.zeros(16).requiresGrad(true);
        Tensor w2 = on.normal(generator, 0, 0.3, 16, 3).requiresGrad(true);
        Tensor b2 = on.zeros(3).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};
        Tensor[][] state = new Tensor[params.length][];
        for (int i = 0; i < params.length; i++) {
            state[i] = new Tensor[] {on.zeros(params[i].shape()), on.zeros(params[i].shape())};
        }
        float[] x = OpenClTestSupport.values(24 * 12, 9, -1, 1);
        int[] labels = new int[24];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (x[i * 12] + x[i * 12 + 1] > 0 ? 1 : 0) + (x[i * 12 + 2] > 0.5 ? 1 : 0);
        }
        double[] losses = new double[30];
        for (int step = 0; step < losses.length; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor input = on.of(x, 24, 12);
                Tensor targets = on.of(labels, 24).oneHot(3);
                Tensor hidden =
                        input.matmul(w1).biasActivation(b1, UnaryOp.TANH, 0).dropout(0.2, generator);
                Tensor loss =
                        hidden.matmul(w2).add(b2).softmaxCrossEntropy(targets).mean();
                loss.backward();
                losses[step] = loss.item();
                int t = step + 1;
                double alpha = 0.05 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                try (NoGrad off = NoGrad.enter()) {
                    for (int i = 0; i < params.length; i++) {
                        backend.adamUpdate(
                                params[i].view(),
                                params[i].grad().view(),
                                state[i][0].view(),
                                state[i][1].view(),
                                alpha,
                                0.9,
                                0.999,
                                1e-7,
                                0);
                        params[i].zeroGrad();
                    }
                }
            }
        }
        for (int i = 0; i < params.length; i++) {
            params[i].close();
            state[i][0].close();
            state[i][1].close();
        }
        return losses;
    }

    @Test
    void aShortTrainingRunReachesTheSameLossAsTheCpuBackend() {
        OpenClBackend opencl = OpenClTestSupport.backend();
        double[] cpu;
        try (Backend reference = new CpuBackendProvider().create(0)) {
            cpu = train(reference);
        }
        double[] cl = train(opencl);
        System.out.printf(
                "[opencl tests] training loss: cpu %.6f → %.6f, opencl %.6f → %.6f%n",
                cpu[0], cpu[cpu.length - 1], cl[0], cl[cl.length - 1]);
        assertTrue(cpu[cpu.length - 1] < 0.7 * cpu[0], "the run learns something");
        for (int i = 0; i < cpu.length; i++) {
            assertEquals(cpu[i], cl[i], 1e-4 * Math.max(1, Math.abs(cpu[i])), "loss of step " + i);
        }
    }
}
