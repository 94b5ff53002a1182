package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.backend.View;
import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.data.TrainTest;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains FIELD.md's three MNIST networks on the full Fashion-MNIST set (60,000 samples, batch
 * 128) and prints, for each, the median time per epoch (the first epoch, JIT warm-up, left
 * out), test accuracy, and the machine's GEMM-bound limit: the time of the epoch's matrix
 * products alone, measured here with the backend's own GEMM at the network's shapes.
 *
 * <pre>
 * apt-get install -y dataset-fashion-mnist libopenblas0
 * samples/bin/nabla-cpu-bench --epochs 5          # or: java … dev.nabla.samples.bench.CpuTrainingBenchmark
 * </pre>
 */
public final class CpuTrainingBenchmark {
    private static final int BATCH = 128;

    public static void main(String[] args) throws IOException {
        int epochs = 5;
        String which = "all";
        Path json = null;
        int samples = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--networks" -> which = args[++i];
                case "--json" -> json = Path.of(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println("usage: CpuTrainingBenchmark [--epochs N (≥ 2)] [--networks all|deep|sgd|adam] [--samples N] [--json FILE]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (!FashionMnist.isInstalled()) {
            throw new IllegalStateException("Fashion-MNIST is not installed; apt-get install -y dataset-fashion-mnist");
        }
        Backend cpu = Backends.use("cpu");
        TrainTest data = FashionMnist.load();
        Dataset train = data.train();
        if (samples > 0) {
            train = train.subset(Arrays.copyOf(BenchStats.permutation(train.size(), 1), Math.min(samples, train.size())));
        }
        List<FieldNetwork> specs = switch (which) {
            case "deep" -> List.of(FieldNetwork.DEEP_ADAM);
            case "sgd" -> List.of(FieldNetwork.SHALLOW_SGD);
            case "adam" -> List.of(FieldNetwork.SHALLOW_ADAM);
            default -> List.of(FieldNetwork.DEEP_ADAM, FieldNetwork.SHALLOW_SGD, FieldNetwork.SHALLOW_ADAM);
        };
        System.out.printf(Locale.ROOT, "Fashion-MNIST, %d training samples, batch %d, %d epochs (first left out) on %s, Java %s%n",
                train.size(), BATCH, epochs, cpu.deviceName(), Runtime.version());
        List<String> results = new ArrayList<>();
        for (FieldNetwork spec : specs) {
            results.add(run(cpu, spec, train, data.test(), epochs));
        }
        String all = "[" + String.join(",\n ", results) + "]";
        System.out.println(all);
        if (json != null) {
            Files.writeString(json, all + "\n");
        }
    }

    private static String run(Backend cpu, FieldNetwork spec, Dataset train, Dataset test, int epochs) {
        TensorFactory tensors = Tensor.on(cpu);
        int features = spec.sizes()[0], classes = spec.sizes()[spec.sizes().length - 1];
        int steps = (train.size() + BATCH - 1) / BATCH;
        List<Double> times = new ArrayList<>();
        double loss = Double.NaN;
        int correct = 0;
        long allocated = 0;
        try (MlpTrainer net = spec.trainer(cpu, 42)) {
            float[] x = new float[BATCH * features];
            float[] y = new float[BATCH * classes];
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] order = BenchStats.permutation(train.size(), 100 + epoch);
                long start = System.nanoTime();
                long allocatedBefore = allocatedBytes();
                Tensor total = tensors.scalar(0);
                for (int from = 0; from < train.size(); from += BATCH) {
                    int n = Math.min(BATCH, train.size() - from);
                    Arrays.fill(y, 0, n * classes, 0f);
                    for (int i = 0; i < n; i++) {
                        int s = order[from + i];
                        System.arraycopy(train.features(), s * features, x, i * features, features);
                        y[i * classes + (int) train.targets()[s]] = 1;
                    }
                    try (Tensor xb = tensors.of(n == BATCH ? x : Arrays.copyOf(x, n * features), n, features);
                            Tensor yb = tensors.of(n == BATCH ? y : Arrays.copyOf(y, n * classes), n, classes);
                            Tensor l = net.trainStep(xb, yb)) {
                        Tensor sum = total.add(l);
                        total.close();
                        total = sum;
                    }
                }
                loss = total.item() / steps;
                total.close();
                double seconds = (System.nanoTime() - start) / 1e9;
                allocated = allocatedBytes() - allocatedBefore; // the last epoch's, on this thread
                times.add(seconds);
                System.out.printf(Locale.ROOT, "  %s: epoch %d/%d %.3f s, loss %.4f%n", spec.name(), epoch + 1, epochs, seconds, loss);
            }
            for (int from = 0; from < test.size(); from += 1000) {
                int n = Math.min(1000, test.size() - from);
                try (Tensor xb = tensors.of(Arrays.copyOfRange(test.features(), from * features, (from + n) * features), n, features)) {
                    int[] predicted = net.predict(xb);
                    for (int i = 0; i < n; i++) {
                        correct += predicted[i] == (int) test.targets()[from + i] ? 1 : 0;
                    }
                }
            }
        }
        double median = BenchStats.medianAfterWarmup(times);
        double gemmStep = gemmSecondsPerStep(cpu, spec);
        double flops = (double) spec.flopsPerStep(BATCH) * steps;
        double limit = gemmStep * steps;
        System.out.printf(Locale.ROOT, "%s: median epoch %.3f s; GEMM-bound limit %.3f s (%.1f GFLOP per epoch at %.1f GFLOP/s); ratio %.2f; "
                        + "test accuracy %.4f; %d bytes allocated per step%n", spec.name(), median, limit, flops / 1e9,
                flops / limit / 1e9, median / limit, (double) correct / test.size(), allocated / steps);
        return String.format(Locale.ROOT,
                "{\"network\": \"%s\", \"samples\": %d, \"batch\": %d, \"epoch_seconds\": %s, \"median_epoch_seconds\": %.4f, "
                        + "\"gemm_bound_seconds\": %.4f, \"gemm_gflops_per_second\": %.1f, \"flops_per_epoch\": %.4e, "
                        + "\"ratio_to_gemm_bound\": %.3f, \"final_loss\": %.5f, \"test_accuracy\": %.4f, \"allocated_bytes_per_step\": %d, \"resident_mib\": %.0f}",
                spec.name(), train.size(), BATCH, times, median, limit, flops / limit / 1e9, flops, median / limit, loss,
                (double) correct / test.size(), allocated / steps, residentBytes() / 1048576.0);
    }

    /** The process's resident memory (Linux), or 0. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /**
     * The time of one step's matrix products alone: per layer the forward product and the two
     * backward ones (the first layer has no input gradient), each the median of repeated calls
     * of the backend's GEMM on [128, in]·[in, out], [128, out]·[in, out]ᵀ and [128, in]ᵀ·[128, out].
     */
    static double gemmSecondsPerStep(Backend cpu, FieldNetwork spec) {
        TensorFactory t = Tensor.on(cpu);
        int[] s = spec.sizes();
        double total = 0;
        for (int i = 0; i + 1 < s.length; i++) {
            int in = s[i], out = s[i + 1];
            try (Tensor x = t.ones(1, BATCH, in); Tensor w = t.ones(1, in, out); Tensor g = t.ones(1, BATCH, out);
                    Tensor y = t.zeros(1, BATCH, out); Tensor dx = t.zeros(1, BATCH, in); Tensor dw = t.zeros(1, in, out)) {
                View wT = new View(w.view().buffer(), w.dtype(), 0, new int[] {1, in, out}, new long[] {0, out, 1});
                total += secondsPerProduct(cpu, () -> cpu.matmul(x.view(), false, w.view(), false, y.view()));
                if (i > 0) {
                    total += secondsPerProduct(cpu, () -> cpu.matmul(g.view(), false, wT, true, dx.view()));
                }
                total += secondsPerProduct(cpu, () -> cpu.matmul(x.view(), true, g.view(), false, dw.view()));
            }
        }
        return total;
    }

    private static double secondsPerProduct(Backend cpu, Runnable product) {
        for (int i = 0; i < 20; i++) {
            product.run();
        }
        double[] times = new double[31];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            for (int r = 0; r < 5; r++) {
                product.run();
            }
            cpu.synchronize();
            times[i] = (System.nanoTime() - start) / 5e9;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    /** Bytes this thread has allocated on the Java heap so far (HotSpot's counter), or 0 where unsupported. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean hotspot) {
            return hotspot.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
