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
 * One of FIELD.md's three MNIST networks, trained with the tensor API alone (like
 * {@link MlpTrainer}, plus the MSE loss and plain SGD of the 784-512-10 experiments): dense
 * layers with fused bias + activation, a softmax output, categorical cross-entropy (fused) or
 * MSE on the probabilities, and the backend's fused SGD or Adam update.
 */
final class FieldNetwork implements AutoCloseable {

    /** A network of FIELD.md's table: widths, hidden activation, loss, optimizer and learning rate. */
    record Spec(String name, int[] sizes, UnaryOp hidden, boolean crossEntropy, boolean adam, double lr) {
        static final Spec DEEP_ADAM = new Spec("784-1024-512-512 relu-10, CE, Adam 1e-4",
                new int[] {784, 1024, 512, 512, 10}, UnaryOp.RELU, true, true, 1e-4);
        static final Spec SHALLOW_SGD = new Spec("784-512 tanh-10, MSE, SGD 0.01", new int[] {784, 512, 10}, UnaryOp.TANH,
                false, false, 0.01);
        static final Spec SHALLOW_ADAM = new Spec("784-512 tanh-10, MSE, Adam 1e-3", new int[] {784, 512, 10}, UnaryOp.TANH,
                false, true, 1e-3);

        /** Multiply-adds ×2 of one training step on a batch: forward, and the two backward products per layer (no input gradient). */
        long flopsPerStep(int batch) {
            long flops = 0;
            for (int i = 0; i + 1 < sizes.length; i++) {
                long layer = 2L * batch * sizes[i] * sizes[i + 1];
                flops += i == 0 ? 2 * layer : 3 * layer;
            }
            return flops;
        }
    }

    private final Backend backend;
    private final Spec spec;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final List<Tensor[]> adamState = new ArrayList<>();
    private long step;

    FieldNetwork(Backend backend, Spec spec, long seed) {
        this.backend = backend;
        this.spec = spec;
        TensorFactory tensors = Tensor.on(backend);
        Generator generator = new Generator(seed);
        int[] sizes = spec.sizes();
        for (int i = 0; i + 1 < sizes.length; i++) {
            double limit = Math.sqrt(6.0 / (sizes[i] + sizes[i + 1])); // Glorot uniform, Keras' default
            weights.add(tensors.uniform(generator, -limit, limit, sizes[i], sizes[i + 1]).requiresGrad(true));
            biases.add(tensors.zeros(sizes[i + 1]).requiresGrad(true));
        }
        if (spec.adam()) {
            for (Tensor p : parameters()) {
                adamState.add(new Tensor[] {tensors.zeros(p.shape()), tensors.zeros(p.shape())});
            }
        }
    }

    List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            all.add(weights.get(i));
            all.add(biases.get(i));
        }
        return all;
    }

    Tensor logits(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < weights.size(); i++) {
            boolean last = i == weights.size() - 1;
            h = h.matmul(weights.get(i)).biasActivation(biases.get(i), last ? null : spec.hidden(), 0);
        }
        return h;
    }

    /** One step on a batch; returns the mean loss as a device scalar that the caller closes. */
    Tensor trainStep(Tensor x, Tensor oneHot) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = logits(x);
            Tensor loss = spec.crossEntropy() ? z.softmaxCrossEntropy(oneHot).mean() : z.softmax(1).sub(oneHot).square().mean();
            loss.backward();
            step++;
            List<Tensor> params = parameters();
            double alpha = spec.lr() * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step));
            try (NoGrad off = NoGrad.enter()) {
                for (int i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    if (spec.adam()) {
                        Tensor[] mv = adamState.get(i);
                        backend.adamUpdate(p.view(), p.grad().view(), mv[0].view(), mv[1].view(), alpha, 0.9, 0.999, 1e-7, 0);
                    } else {
                        backend.sgdUpdate(p.view(), p.grad().view(), null, spec.lr(), 0, false);
                    }
                    p.zeroGrad();
                }
            }
            return scope.keep(loss.detach());
        }
    }

    int[] predict(Tensor x) {
        try (TensorScope scope = TensorScope.open(); NoGrad off = NoGrad.enter()) {
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
