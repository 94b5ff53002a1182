package dev.nabla.samples;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.backend.UnaryOp;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.samples.bench.MlpTrainer;
import dev.nabla.samples.data.EmbeddedDigits;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.Locale;

/**
 * The main job: trains FIELD.md's 784-512 tanh-10 softmax network with Adam on the 10,000 MNIST
 * digits embedded in this jar (8,000 to train, 2,000 to test) and prints its progress and the
 * final test accuracy. The backend is the one {@code NABLA_BACKEND} or {@code --backend} names,
 * else the best available.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        int epochs = 10, batchSize = 128;
        long seed = 42;
        String backendName = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--batch-size" -> batchSize = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--backend" -> backendName = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: nabla-main [--backend cpu|opencl|cuda] [--epochs 10] [--batch-size 128] [--seed 42]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Backend backend = backendName == null ? Backends.current() : Backends.use(backendName);
        TrainTest digits = EmbeddedDigits.load();
        Dataset train = digits.train(), test = digits.test();
        System.out.printf(Locale.ROOT, "Training 784-512 tanh-10 softmax (Adam 0.001) on %d embedded MNIST digits, "
                + "testing on %d, backend %s (%s)%n", train.size(), test.size(), backend.name(), backend.deviceName());
        TensorFactory tensors = Tensor.on(backend);
        try (MlpTrainer net = new MlpTrainer(backend, new int[] {784, 512, 10}, UnaryOp.TANH, 1e-3, seed)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                Dataset shuffled = train.shuffled(seed + epoch);
                Tensor total = tensors.scalar(0);
                int steps = 0;
                for (int from = 0; from < shuffled.size(); from += batchSize) {
                    Dataset batch = shuffled.slice(from, Math.min(from + batchSize, shuffled.size()));
                    try (Tensor x = tensors.of(batch.features(), batch.size(), 784);
                            Tensor y = tensors.of(oneHot(batch.targets(), 10), batch.size(), 10);
                            Tensor loss = net.trainStep(x, y)) {
                        Tensor sum = total.add(loss);
                        total.close();
                        total = sum;
                    }
                    steps++;
                }
                double loss = total.item() / steps;
                total.close();
                double accuracy = accuracy(net, tensors, test);
                System.out.printf(Locale.ROOT, "epoch %2d/%d  loss %.4f  test accuracy %.2f%%  (%.1f s)%n", epoch, epochs,
                        loss, 100 * accuracy, (System.nanoTime() - start) / 1e9);
            }
            System.out.printf(Locale.ROOT, "final test accuracy: %.2f%%%n", 100 * accuracy(net, tensors, test));
        }
    }

    static float[] oneHot(float[] labels, int classes) {
        float[] out = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            out[i * classes + (int) labels[i]] = 1;
        }
        return out;
    }

    static double accuracy(MlpTrainer net, TensorFactory tensors, Dataset test) {
        try (Tensor x = tensors.of(test.features(), test.size(), 784)) {
            int[] predicted = net.predict(x);
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == (int) test.targets()[i] ? 1 : 0;
            }
            return (double) correct / predicted.length;
        }
    }

    private Main() {
    }
}
