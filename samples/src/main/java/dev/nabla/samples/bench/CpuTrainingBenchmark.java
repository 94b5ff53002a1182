package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.data.TrainTest;
import dev.nabla.losses.Losses;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.samples.cli.DataException;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import dev.nabla.samples.train.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains the three MNIST networks of the course examples (nabla-train's presets {@code deep-mlp}, {@code mlp-sgd}
 * and {@code mlp-adam}) on the full Fashion-MNIST set (60,000 samples, batch 128) through {@code Sequential.fit}, as
 * a user trains them, and prints for each the median time per epoch (the warm-up epochs left out: on two cores the
 * JIT's compiler threads still take turns with training through the second), test accuracy, and the machine's
 * GEMM-bound limit: the time of the epoch's matrix products alone, measured with the backend's own GEMM at the
 * network's shapes ({@link GemmBound}); and beside it the same products followed by the optimizer's update as its own
 * pass, the fastest a step can be while every gradient is complete before the first variable changes. A shared
 * machine's speed drifts within minutes, so both are measured after every epoch, between epochs of the same
 * {@code fit} (a callback), and each epoch is compared with the figures measured right after it.
 *
 * <pre>
 * apt-get install -y dataset-fashion-mnist libopenblas0
 * samples/bin/nabla-cpu-bench --epochs 5          # or: java … dev.nabla.samples.bench.CpuTrainingBenchmark
 * </pre>
 */
public final class CpuTrainingBenchmark {
    private static final int BATCH = Preset.BATCH_SIZE;

    static final Options.Spec SPEC = Options.program(
                    "nabla-cpu-bench",
                    "Trains the three MNIST networks (784-1024-512-512-10 Adam, 784-512-10 SGD and Adam) through fit "
                            + "on the full Fashion-MNIST set on the CPU backend and prints each one's median epoch "
                            + "time beside its GEMM-bound limit, and beside the same products followed by the "
                            + "optimizer's update.")
            .without("backend", "batch-size", "out")
            .epochs(5, "epochs timed per network, the warm-up epochs included")
            .choiceOption("networks", "all", "which networks", "all", "deep", "sgd", "adam")
            .intOption("samples", "N", 0, 0, Integer.MAX_VALUE, "train on at most N samples (0: all 60,000)")
            .intOption("warmup", "EPOCHS", 1, 0, 1000, "epochs left out of the median (the JIT still compiles)")
            .stringOption("json", "FILE", null, "also write the results as JSON to FILE")
            .example("nabla-cpu-bench --epochs 5 --networks deep");

    public static void main(String[] args) {
        int code = SampleRunner.run(SPEC, args, job -> run(job.options()));
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(Options options) throws IOException {
        int epochs = options.epochs();
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
        int samples = options.integer("samples");
        if (samples > 0) {
            train = train.subset(
                    Arrays.copyOf(BenchStats.permutation(train.size(), 1), Math.min(samples, train.size())));
        }
        List<Preset> presets = switch (options.string("networks")) {
            case "deep" -> List.of(Preset.DEEP_MLP);
            case "sgd" -> List.of(Preset.MLP_SGD);
            case "adam" -> List.of(Preset.MLP_ADAM);
            default -> List.of(Preset.DEEP_MLP, Preset.MLP_SGD, Preset.MLP_ADAM);
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
        for (Preset preset : presets) {
            results.add(run(cpu, preset, train, data.test(), epochs, warmup, options.seed()));
        }
        String all = "[" + String.join(",\n ", results) + "]";
        System.out.println(all);
        Path json = options.string("json") == null ? null : Path.of(options.string("json"));
        if (json != null) {
            Files.writeString(json, all + "\n");
        }
    }

    private static String run(
            Backend cpu, Preset preset, Dataset train, Dataset test, int epochs, int warmup, long seed) {
        int[] widths = GemmBound.widths(preset.network());
        int classes = widths[widths.length - 1];
        int steps = (train.size() + BATCH - 1) / BATCH;
        List<Double> times = new ArrayList<>();
        List<Double> limits = new ArrayList<>();
        List<Double> floors = new ArrayList<>();
        long[] allocated = {0};
        double[] loss = {Double.NaN};
        double accuracy;
        RandomSeed.set(seed); // the initial weights too: same seed, same run
        try (Sequential model = preset.network().build();
                GemmBound gemms = new GemmBound(
                        cpu,
                        widths,
                        BATCH,
                        preset.optimizer().equals("sgd") ? GemmBound.Update.SGD : GemmBound.Update.ADAM)) {
            Callback timer = new Callback() {
                private long start, allocatedBefore;

                @Override
                public void onEpochBegin(int epoch, Logs logs) {
                    allocatedBefore = allocatedBytes();
                    start = System.nanoTime();
                }

                @Override
                public void onEpochEnd(int epoch, Logs logs) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    allocated[0] = allocatedBytes() - allocatedBefore; // the last epoch's, on this thread
                    loss[0] = logs.get("loss");
                    times.add(seconds);
                    // the limit right after each epoch, so that both sides of its ratio saw the machine at about
                    // the same speed
                    double limit = gemms.secondsPerStep() * steps;
                    double floor = gemms.secondsPerStepWithUpdate() * steps;
                    limits.add(limit);
                    floors.add(floor);
                    System.out.printf(
                            Locale.ROOT,
                            "  %s: epoch %d/%d %.3f s, loss %.4f; its products alone %.3f s (ratio %.2f),"
                                    + " products and update %.3f s (ratio %.2f)%n",
                            preset.id(),
                            epoch + 1,
                            epochs,
                            seconds,
                            loss[0],
                            limit,
                            seconds / limit,
                            floor,
                            seconds / floor);
                }
            };
            model.backend(cpu);
            model.compile(preset.newOptimizer(), Losses.get(preset.loss()), "accuracy");
            model.fit(
                    train.flatten().toCategorical(classes),
                    new FitOptions()
                            .batchSize(BATCH)
                            .epochs(epochs)
                            .shuffle(true)
                            .seed(seed)
                            .verbose(0)
                            .callbacks(timer));
            accuracy = model.evaluate(test.flatten().toCategorical(classes)).get("accuracy");
        }
        double median = BenchStats.medianAfterWarmup(times, warmup);
        double limit = BenchStats.medianAfterWarmup(limits, warmup);
        List<Double> ratios = new ArrayList<>();
        for (int e = 0; e < times.size(); e++) {
            ratios.add(times.get(e) / limits.get(e));
        }
        double ratio = BenchStats.medianAfterWarmup(ratios, warmup);
        double floor = BenchStats.medianAfterWarmup(floors, warmup);
        List<Double> floorRatios = new ArrayList<>();
        for (int e = 0; e < times.size(); e++) {
            floorRatios.add(times.get(e) / floors.get(e));
        }
        double floorRatio = BenchStats.medianAfterWarmup(floorRatios, warmup);
        double flops = (double) GemmBound.flopsPerStep(widths, BATCH) * steps;
        System.out.printf(
                Locale.ROOT,
                "%s: median epoch %.3f s; GEMM-bound limit %.3f s (%.1f GFLOP per epoch at %.1f GFLOP/s); "
                        + "median ratio of an epoch to the limit measured after it %.2f; products and update %.3f s"
                        + " (median ratio %.2f); test accuracy %.4f; %d bytes allocated per step%n",
                preset.id(),
                median,
                limit,
                flops / 1e9,
                flops / limit / 1e9,
                ratio,
                floor,
                floorRatio,
                accuracy,
                allocated[0] / steps);
        return String.format(
                Locale.ROOT,
                "{\"network\": \"%s\", \"api\": \"fit\", \"samples\": %d, \"batch\": %d, \"epoch_seconds\": %s, "
                        + "\"median_epoch_seconds\": %.4f, \"gemm_bound_seconds\": %.4f, \"gemm_gflops_per_second\": %.1f, "
                        + "\"flops_per_epoch\": %.4e, \"gemm_bound_seconds_per_epoch\": %s, \"ratio_to_gemm_bound\": %.3f, "
                        + "\"products_and_update_seconds\": %.4f, \"products_and_update_seconds_per_epoch\": %s, "
                        + "\"ratio_to_products_and_update\": %.3f, "
                        + "\"final_loss\": %.5f, \"test_accuracy\": %.4f, \"allocated_bytes_per_step\": %d, "
                        + "\"resident_mib\": %.0f}",
                preset.id(),
                train.size(),
                BATCH,
                format(times),
                median,
                limit,
                flops / limit / 1e9,
                flops,
                format(limits),
                ratio,
                floor,
                format(floors),
                floorRatio,
                loss[0],
                accuracy,
                allocated[0] / steps,
                residentBytes() / 1048576.0);
    }

    private static String format(List<Double> values) {
        return values.stream()
                .map(v -> String.format(Locale.ROOT, "%.4f", v))
                .toList()
                .toString();
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
