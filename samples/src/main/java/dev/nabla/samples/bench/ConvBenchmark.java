package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Compositions;
import dev.nabla.backend.View;
import dev.nabla.backend.Window2d;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Padding;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import dev.nabla.tensor.TensorScope;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The forward and the backward of a training step of two convolutional networks on 28×28×1 images, through
 * the public Tensor API on one backend ({@code --backend}): once with the window ops composed from the primitives
 * (what every backend runs by default, {@link Compositions}) and once with the backend's own window ops (the
 * fused kernels of cpu and opencl), in one process; the median over the timed steps of each.
 *
 * <ul>
 *   <li><b>conv-relu-pool×2</b>: conv 32@3×3 SAME + ReLU, max pool 2, conv 64@3×3 SAME + ReLU, max pool 2,
 *       dense 10, softmax cross-entropy.
 *   <li><b>LeNet-5</b>: conv 6@5×5 SAME + ReLU, max pool 2, conv 16@5×5 VALID + ReLU, max pool 2, dense 120,
 *       84, 10.
 * </ul>
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … dev.nabla.samples.bench.ConvBenchmark --backend cpu --steps 20
 * </pre>
 */
public final class ConvBenchmark {
    private ConvBenchmark() {}

    static final Options.Spec SPEC = Options.program(
                    "ConvBenchmark",
                    "Forward and backward of a conv-relu-pool×2 and a LeNet-5 training step on one backend, "
                            + "window ops composed vs fused (medians).")
            .without("epochs", "seed", "out")
            .batchSize(128)
            .intOption("steps", "N", 20, 3, 100_000, "steps timed per network and variant, after the warm-up")
            .intOption("warmup", "N", 5, 0, 100_000, "untimed steps first (the JIT compiles the step)");

    public static void main(String[] args) {
        int code = SampleRunner.run(
                SPEC,
                args,
                job -> run(
                        job.backend(),
                        job.options().batchSize(),
                        job.options().integer("steps"),
                        job.options().integer("warmup")));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** A network: its parameters and a forward pass to the loss. */
    private interface Network {
        Tensor loss(Tensor x, Tensor y);

        List<Tensor> parameters();
    }

    private static void run(Backend backend, int batch, int steps, int warmup) {
        System.out.printf(
                Locale.ROOT,
                "%s, Java %s, batch %d, median of %d steps after %d warm-up steps (ms)%n",
                backend.deviceName(),
                Runtime.version(),
                batch,
                steps,
                warmup);
        System.out.printf(Locale.ROOT, "%-20s %-9s %9s %9s%n", "network", "windows", "forward", "backward");
        for (String network : new String[] {"conv-relu-pool×2", "LeNet-5"}) {
            Variant composed = new Variant(composed(backend), network, batch);
            Variant fused = new Variant(backend, network, batch);
            try {
                for (int s = 0; s < warmup + steps; s++) { // alternating, so that both see the same machine load
                    composed.step(s >= warmup);
                    fused.step(s >= warmup);
                }
                composed.report("composed");
                fused.report("fused");
            } finally {
                composed.close();
                fused.close();
            }
        }
    }

    /** A network on one backend, its data, and the times of its timed steps. */
    private static final class Variant implements AutoCloseable {
        private final Backend backend;
        private final String name;
        private final Network net;
        private final Tensor x, y;
        private final List<Double> forward = new ArrayList<>(), backward = new ArrayList<>();

        Variant(Backend backend, String name, int batch) {
            this.backend = backend;
            this.name = name;
            TensorFactory t = Tensor.on(backend);
            Generator random = new Generator(42);
            net = name.equals("LeNet-5") ? lenet(t, random) : convReluPool(t, random);
            x = t.uniform(random, 0, 1, batch, 28, 28, 1);
            y = t.uniform(random, 0, 1, batch, 10).softmax(-1);
        }

        void step(boolean timed) {
            long start, middle, end;
            try (TensorScope scope = TensorScope.open()) { // releases the step's activations and gradients
                start = System.nanoTime();
                Tensor loss = net.loss(x, y);
                backend.synchronize(); // nothing to wait for on the cpu; a device backend's queue would drain
                middle = System.nanoTime();
                loss.backward();
                backend.synchronize();
                end = System.nanoTime();
                net.parameters().forEach(Tensor::zeroGrad);
            }
            if (timed) {
                forward.add((middle - start) / 1e6);
                backward.add((end - middle) / 1e6);
            }
        }

        void report(String variant) {
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %-9s %9.1f %9.1f%n",
                    name,
                    variant,
                    BenchStats.median(forward),
                    BenchStats.median(backward));
        }

        @Override
        public void close() {
            net.parameters().forEach(Tensor::close);
            x.close();
            y.close();
        }
    }

    private static Tensor param(TensorFactory t, Generator random, double scale, int... shape) {
        return t.uniform(random, -scale, scale, shape).requiresGrad(true);
    }

    private static Network convReluPool(TensorFactory t, Generator random) {
        Tensor k1 = param(t, random, 0.3, 3, 3, 1, 32), b1 = param(t, random, 0.1, 32);
        Tensor k2 = param(t, random, 0.06, 3, 3, 32, 64), b2 = param(t, random, 0.1, 64);
        Tensor w = param(t, random, 0.03, 7 * 7 * 64, 10), b = param(t, random, 0.1, 10);
        return new Network() {
            @Override
            public Tensor loss(Tensor x, Tensor y) {
                Tensor h = pool(conv(x, k1, b1, Padding.SAME));
                h = pool(conv(h, k2, b2, Padding.SAME));
                return h.reshape(x.shape()[0], 7 * 7 * 64)
                        .matmul(w)
                        .add(b)
                        .softmaxCrossEntropy(y)
                        .mean();
            }

            @Override
            public List<Tensor> parameters() {
                return List.of(k1, b1, k2, b2, w, b);
            }
        };
    }

    private static Network lenet(TensorFactory t, Generator random) {
        Tensor k1 = param(t, random, 0.2, 5, 5, 1, 6), b1 = param(t, random, 0.1, 6);
        Tensor k2 = param(t, random, 0.08, 5, 5, 6, 16), b2 = param(t, random, 0.1, 16);
        Tensor w1 = param(t, random, 0.05, 5 * 5 * 16, 120), c1 = param(t, random, 0.1, 120);
        Tensor w2 = param(t, random, 0.1, 120, 84), c2 = param(t, random, 0.1, 84);
        Tensor w3 = param(t, random, 0.1, 84, 10), c3 = param(t, random, 0.1, 10);
        return new Network() {
            @Override
            public Tensor loss(Tensor x, Tensor y) {
                Tensor h = pool(conv(x, k1, b1, Padding.SAME));
                h = pool(conv(h, k2, b2, Padding.VALID));
                h = h.reshape(x.shape()[0], 5 * 5 * 16).matmul(w1).add(c1).relu();
                h = h.matmul(w2).add(c2).relu();
                return h.matmul(w3).add(c3).softmaxCrossEntropy(y).mean();
            }

            @Override
            public List<Tensor> parameters() {
                return List.of(k1, b1, k2, b2, w1, c1, w2, c2, w3, c3);
            }
        };
    }

    private static Tensor conv(Tensor x, Tensor kernel, Tensor bias, Padding padding) {
        return x.conv2d(kernel, null, padding, null, 1).add(bias).relu();
    }

    private static Tensor pool(Tensor x) {
        return x.maxPool2d(new int[] {2, 2}, null, Padding.VALID);
    }

    /** The backend with its window ops replaced by their compositions: what a backend without kernels runs. */
    private static Backend composed(Backend backend) {
        return (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    Backend self = (Backend) proxy;
                    switch (method.getName()) {
                        case "im2col" ->
                            Compositions.im2col(
                                    self, (View) args[0], (Window2d) args[1], (int) args[2], (double) args[3], (View)
                                            args[4]);
                        case "col2im" ->
                            Compositions.col2im(
                                    self, (View) args[0], (Window2d) args[1], (int) args[2], (View) args[3]);
                        case "maxPool2d" ->
                            Compositions.maxPool2d(
                                    self, (View) args[0], (Window2d) args[1], (View) args[2], (View) args[3]);
                        case "maxPool2dBackward" ->
                            Compositions.maxPool2dBackward(
                                    self, (View) args[0], (View) args[1], (Window2d) args[2], (View) args[3]);
                        default -> {
                            return invoke(backend, method, args);
                        }
                    }
                    return null;
                });
    }

    private static Object invoke(Backend backend, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(backend, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
