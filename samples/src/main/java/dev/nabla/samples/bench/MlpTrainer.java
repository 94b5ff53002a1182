package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.UnaryOp;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * A multilayer perceptron trained with the tensor API alone: fused bias + activation per layer,
 * fused softmax cross-entropy (or the MSE of the softmax probabilities), and the backend's fused
 * Adam (or SGD) update. It is the engine-level twin
 * of the model layer's {@code Sequential.fit}, used by the benchmarks to measure the engine
 * without the model layer's bookkeeping, and to profile where a step's time goes.
 */
public final class MlpTrainer implements AutoCloseable {
    private final Backend backend;
    private final TensorFactory tensors;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final List<Tensor[]> adamState = new ArrayList<>(); // {m, v} per parameter
    private final UnaryOp hidden;
    private final boolean crossEntropy;
    private final boolean adam;
    private final double learningRate;
    private long step;

    /**
     * @param sizes        layer widths, input first: {784, 1024, 512, 512, 10}
     * @param hidden       activation of the hidden layers (RELU, TANH, …)
     * @param learningRate Adam's learning rate (β₁ 0.9, β₂ 0.999, ε 1e-7 as Keras)
     */
    public MlpTrainer(Backend backend, int[] sizes, UnaryOp hidden, double learningRate, long seed) {
        this(backend, sizes, hidden, true, true, learningRate, seed);
    }

    /**
     * @param crossEntropy softmax cross-entropy (fused) if true, else the mean squared error of the
     *                     softmax probabilities (the course notes' MSE experiments)
     * @param adam         Adam if true, else plain SGD
     */
    public MlpTrainer(
            Backend backend,
            int[] sizes,
            UnaryOp hidden,
            boolean crossEntropy,
            boolean adam,
            double learningRate,
            long seed) {
        this.backend = backend;
        this.tensors = Tensor.on(backend);
        this.hidden = hidden;
        this.crossEntropy = crossEntropy;
        this.adam = adam;
        this.learningRate = learningRate;
        Generator generator = new Generator(seed);
        for (int i = 0; i + 1 < sizes.length; i++) {
            double limit = Math.sqrt(6.0 / (sizes[i] + sizes[i + 1])); // Glorot uniform, Keras' default
            weights.add(tensors.uniform(generator, -limit, limit, sizes[i], sizes[i + 1])
                    .requiresGrad(true));
            biases.add(tensors.zeros(sizes[i + 1]).requiresGrad(true));
        }
        if (adam) {
            for (Tensor p : parameters()) {
                adamState.add(new Tensor[] {tensors.zeros(p.shape()), tensors.zeros(p.shape())});
            }
        }
    }

    public List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            all.add(weights.get(i));
            all.add(biases.get(i));
        }
        return all;
    }

    /** Logits of a batch x [n, inputs]. */
    public Tensor logits(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < weights.size(); i++) {
            boolean last = i == weights.size() - 1;
            h = h.matmul(weights.get(i)).biasActivation(biases.get(i), last ? null : hidden, 0);
        }
        return h;
    }

    /**
     * One training step on a batch; returns the batch's mean loss as a device scalar, kept out
     * of the step's scope (the caller owns it). Nothing is read back to the host.
     */
    public Tensor trainStep(Tensor x, Tensor oneHotTargets) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = logits(x);
            Tensor loss = crossEntropy
                    ? z.softmaxCrossEntropy(oneHotTargets).mean()
                    : z.softmax(1).sub(oneHotTargets).square().mean();
            loss.backward();
            step++;
            double alpha = learningRate * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step));
            List<Tensor> params = parameters();
            try (NoGrad off = NoGrad.enter()) {
                for (int i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    if (adam) {
                        Tensor[] mv = adamState.get(i);
                        backend.adamUpdate(
                                p.view(), p.grad().view(), mv[0].view(), mv[1].view(), alpha, 0.9, 0.999, 1e-7, 0);
                    } else {
                        backend.sgdUpdate(p.view(), p.grad().view(), null, learningRate, 0, false);
                    }
                    p.zeroGrad();
                }
            }
            return scope.keep(loss.detach());
        }
    }

    /** Predicted classes of x. */
    public int[] predict(Tensor x) {
        try (TensorScope scope = TensorScope.open();
                NoGrad off = NoGrad.enter()) {
            return logits(x).argmax(1).toIntArray();
        }
    }

    @Override
    public void close() {
        parameters().forEach(Tensor::close);
        adamState.forEach(mv -> {
            mv[0].close();
            mv[1].close();
        });
    }
}
