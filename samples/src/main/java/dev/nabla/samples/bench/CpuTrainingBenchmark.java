package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.data.TrainTest;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains the three MNIST networks of the course examples (nabla-train's presets) on the full Fashion-MNIST set
 * (60,000 samples, batch 128) and prints, for each, the median time per epoch (the first two epochs left out: on
 * two cores the JIT's compiler threads still take turns with training through the second), test accuracy, and the
 * machine's GEMM-bound limit: the time of the epoch's matrix products alone, measured here with the backend's own
 * GEMM at the network's shapes. Because a shared machine's speed drifts between an epoch and that measurement, it
 * then trains further epochs with their steps and their products alone timed in alternation, and reports each such
 * epoch's ratio to its limit ({@link GemmBound#interleaved}).
 *
 * <pre>
 * apt-get install -y dataset-fashion-mnist libopenblas0
 * samples/bin/nabla-cpu-bench --epochs 5          # or: java … dev.nabla.samples.bench.CpuTrainingBenchmark
 * </pre>
 */
public final class CpuTrainingBenchmark {
    private static final int BATCH = 128;

    static final Options.Spec SPEC = Options.program(
                    "nabla-cpu-bench",
                    "Trains the three MNIST networks (784-1024-512-512-10 Adam, 784-512-10 SGD and Adam) on the "
                            + "full Fashion-MNIST set on the CPU backend and prints each one's median epoch time "
                            + "beside its GEMM-bound limit.")
            .without("backend", "batch-size", "seed", "out")
            .epochs(6, "epochs timed per network, the warm-up epochs included")
            .choiceOption("networks", "all", "which networks", "all", "deep", "sgd", "adam")
            .intOption("samples", "N", 0, 0, Integer.MAX_VALUE, "train on at most N samples (0: all 60,000)")
            .intOption("warmup", "EPOCHS", 2, 0, 1000, "epochs left out of the median (the JIT still compiles)")
            .intOption(
                    "interleaved",
                    "EPOCHS",
                    3,
                    0,
                    1000,
                    "further epochs timed in alternation with their products (0: off)")
            .stringOption("json", "FILE", null, "also write the results as JSON to FILE")
            .example("nabla-cpu-bench --epochs 6 --networks deep");

    public static void main(String[] args) {
        int code = SampleRunner.run(SPEC, args, job -> run(job.options()));
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(Options options) throws IOException {
        int epochs = options.epochs();
        String which = options.string("networks");
        Path json = options.string("json") == null ? null : Path.of(options.string("json"));
        int samples = options.integer("samples");
        int interleavedEpochs = options.integer("interleaved");
        int warmup = options.integer("warmup");
        if (epochs <= warmup) {
            throw new UsageException("--epochs " + epochs + " leaves nothing after the " + warmup
                    + " warm-up epochs; expected more epochs than --warmup");
        }
        if (!FashionMnist.isInstalled()) {
            throw new DataException(
                    "Fashion-MNIST is not installed; expected it in /usr/share/datasets/fashion-mnist "
                            + "(apt-get install -y dataset-fashion-mnist)",
                    null);
        }
        Backend cpu = Backends.use("cpu");
        TrainTest data = FashionMnist.load();
        Dataset train = data.train();
        if (samples > 0) {
            train = train.subset(
                    Arrays.copyOf(BenchStats.permutation(train.size(), 1), Math.min(samples, train.size())));
        }
        List<FieldNetwork> specs = switch (which) {
            case "deep" -> List.of(FieldNetwork.DEEP_ADAM);
            case "sgd" -> List.of(FieldNetwork.SHALLOW_SGD);
            case "adam" -> List.of(FieldNetwork.SHALLOW_ADAM);
            default -> List.of(FieldNetwork.DEEP_ADAM, FieldNetwork.SHALLOW_SGD, FieldNetwork.SHALLOW_ADAM);
        };
        System.out.printf(
                Locale.ROOT,
                "Fashion-MNIST, %d training samples, batch %d, %d epochs (the first %d left out) on %s, Java %s%n",
                train.size(),
                BATCH,
                epochs,
                warmup,
                cpu.deviceName(),
                Runtime.version());
        List<String> results = new ArrayList<>();
        for (FieldNetwork spec : specs) {
            results.add(run(cpu, spec, train, data.test(), epochs, warmup, interleavedEpochs));
        }
        String all = "[" + String.join(",\n ", results) + "]";
        System.out.println(all);
        if (json != null) {
            Files.writeString(json, all + "\n");
        }
    }

    private static String run(
            Backend cpu,
            FieldNetwork spec,
            Dataset train,
            Dataset test,
            int epochs,
            int warmup,
            int interleavedEpochs) {
        TensorFactory tensors = Tensor.on(cpu);
        int features = spec.sizes()[0], classes = spec.sizes()[spec.sizes().length - 1];
        int steps = (train.size() + BATCH - 1) / BATCH;
        List<Double> times = new ArrayList<>();
        double loss = Double.NaN;
        int correct = 0;
        long allocated = 0;
        List<Double> limits = new ArrayList<>();
        List<GemmBound.Ratio> interleaved = new ArrayList<>();
        try (MlpTrainer net = spec.trainer(cpu, 42);
                ShuffledBatches batches = new ShuffledBatches(tensors, train, classes, 100);
                GemmBound gemms = new GemmBound(cpu, spec, BATCH)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long start = System.nanoTime();
                long allocatedBefore = allocatedBytes();
                for (int step = 0; step < steps; step++) {
                    batches.trainNext(net);
                }
                loss = batches.takeMeanLoss();
                double seconds = (System.nanoTime() - start) / 1e9;
                allocated = allocatedBytes() - allocatedBefore; // the last epoch's, on this thread
                times.add(seconds);
                // the limit right after each epoch, so that both sides of its ratio saw the machine at about the same
                // speed
                double limit = gemms.secondsPerStep() * steps;
                limits.add(limit);
                System.out.printf(
                        Locale.ROOT,
                        "  %s: epoch %d/%d %.3f s, loss %.4f; its products alone %.3f s (ratio %.2f)%n",
                        spec.name(),
                        epoch + 1,
                        epochs,
                        seconds,
                        loss,
                        limit,
                        seconds / limit);
            }
            for (int from = 0; from < test.size(); from += 1000) {
                int n = Math.min(1000, test.size() - from);
                try (Tensor xb = tensors.of(
                        Arrays.copyOfRange(test.features(), from * features, (from + n) * features), n, features)) {
                    int[] predicted = net.predict(xb);
                    for (int i = 0; i < n; i++) {
                        correct += predicted[i] == (int) test.targets()[from + i] ? 1 : 0;
                    }
                }
            }
            for (int e = 0;
                    e < interleavedEpochs;
                    e++) { // the same network trains on, its epochs now timed in alternation
                GemmBound.Ratio epoch = gemms.interleaved(() -> batches.trainNext(net), steps, 10);
                batches.takeMeanLoss();
                interleaved.add(epoch);
                System.out.printf(
                        Locale.ROOT,
                        "  %s: epoch %d in alternation with its products (rounds of 10 steps): %.3f s, "
                                + "its products %.3f s, ratio %.3f (rounds' median %.3f, quartiles %.3f–%.3f)%n",
                        spec.name(),
                        epochs + e + 1,
                        epoch.stepSeconds(),
                        epoch.gemmSeconds(),
                        epoch.ofTotals(),
                        epoch.median(),
                        epoch.lowerQuartile(),
                        epoch.upperQuartile());
            }
        }
        double median = BenchStats.medianAfterWarmup(times, warmup);
        double limit = BenchStats.medianAfterWarmup(limits, warmup);
        List<Double> ratios = new ArrayList<>();
        for (int e = 0; e < times.size(); e++) {
            ratios.add(times.get(e) / limits.get(e));
        }
        double ratio = BenchStats.medianAfterWarmup(ratios, warmup);
        double flops = (double) spec.flopsPerStep(BATCH) * steps;
        System.out.printf(
                Locale.ROOT,
                "%s: median epoch %.3f s; GEMM-bound limit %.3f s (%.1f GFLOP per epoch at %.1f GFLOP/s); "
                        + "median ratio of an epoch to the limit measured after it %.2f; test accuracy %.4f; %d bytes allocated per step%n",
                spec.name(),
                median,
                limit,
                flops / 1e9,
                flops / limit / 1e9,
                ratio,
                (double) correct / test.size(),
                allocated / steps);
        String interleavedJson = "";
        if (!interleaved.isEmpty()) {
            List<Double> epochRatios =
                    interleaved.stream().map(GemmBound.Ratio::ofTotals).toList();
            List<Double> epochSeconds =
                    interleaved.stream().map(GemmBound.Ratio::stepSeconds).toList();
            List<Double> gemmSeconds =
                    interleaved.stream().map(GemmBound.Ratio::gemmSeconds).toList();
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d epochs timed in alternation with their products: median epoch %.3f s, "
                            + "median ratio of an epoch to its products %.3f (each: %s)%n",
                    spec.name(),
                    interleaved.size(),
                    BenchStats.median(epochSeconds),
                    BenchStats.median(epochRatios),
                    format(epochRatios));
            interleavedJson = String.format(
                    Locale.ROOT,
                    ", \"interleaved_epoch_seconds\": %s, \"interleaved_gemm_seconds\": %s, "
                            + "\"interleaved_epoch_ratios\": %s, \"interleaved_median_ratio\": %.4f",
                    format(epochSeconds),
                    format(gemmSeconds),
                    format(epochRatios),
                    BenchStats.median(epochRatios));
        }
        return String.format(
                Locale.ROOT,
                "{\"network\": \"%s\", \"samples\": %d, \"batch\": %d, \"epoch_seconds\": %s, \"median_epoch_seconds\": %.4f, "
                        + "\"gemm_bound_seconds\": %.4f, \"gemm_gflops_per_second\": %.1f, \"flops_per_epoch\": %.4e, "
                        + "\"gemm_bound_seconds_per_epoch\": %s, \"ratio_to_gemm_bound\": %.3f, \"final_loss\": %.5f, \"test_accuracy\": %.4f, "
                        + "\"allocated_bytes_per_step\": %d, \"resident_mib\": %.0f%s}",
                spec.name(),
                train.size(),
                BATCH,
                times,
                median,
                limit,
                flops / limit / 1e9,
                flops,
                limits,
                ratio,
                loss,
                (double) correct / test.size(),
                allocated / steps,
                residentBytes() / 1048576.0,
                interleavedJson);
    }

    private static String format(List<Double> values) {
        return values.stream()
                .map(v -> String.format(Locale.ROOT, "%.4f", v))
                .toList()
                .toString();
    }

    /**
     * An epoch's loop, one batch at a time: gathers the next batch of a shuffled order (a new order
     * each pass over the data) straight into the backend's tensors, trains on it, and adds its loss
     * to a running total on the device, so nothing is read back per step.
     */
    private static final class ShuffledBatches implements AutoCloseable {
        private final TensorFactory tensors;
        private final Dataset data;
        private final int features, classes;
        private long seed;
        private int[] order;
        private int next;
        private Tensor total;
        private int summed;

        ShuffledBatches(TensorFactory tensors, Dataset data, int classes, long seed) {
            this.tensors = tensors;
            this.data = data.toCategorical(classes);
            this.features = data.features().length / data.size();
            this.classes = classes;
            this.seed = seed;
            this.order = BenchStats.permutation(data.size(), seed);
            this.total = tensors.scalar(0);
        }

        void trainNext(MlpTrainer net) {
            if (next == order.length) {
                order = BenchStats.permutation(data.size(), ++seed);
                next = 0;
            }
            int n = Math.min(BATCH, order.length - next);
            try (Tensor xb = tensors.rowsOf(data.features(), order, next, n, features);
                    Tensor yb = tensors.rowsOf(data.targets(), order, next, n, classes);
                    Tensor loss = net.trainStep(xb, yb)) {
                Tensor sum = total.add(loss);
                total.close();
                total = sum;
                summed++;
            }
            next += n;
        }

        /** The mean loss of the steps since the last call (one read from the device). */
        double takeMeanLoss() {
            double mean = total.item() / summed;
            total.close();
            total = tensors.scalar(0);
            summed = 0;
            return mean;
        }

        @Override
        public void close() {
            total.close();
        }
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

    /** Bytes this thread has allocated on the Java heap so far (HotSpot's counter), or 0 where unsupported. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean hotspot) {
            return hotspot.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
