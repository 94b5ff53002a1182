package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.View;
import dev.nabla.callbacks.Callback;
import dev.nabla.callbacks.Logs;
import dev.nabla.data.TrainTest;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.train.Preset;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a training step of one of {@code nabla-train}'s presets spends its time, as users train it: the
 * preset's network through {@code Sequential.fit} (shuffled Fashion-MNIST), on a backend wrapped so that
 * every call of the last epoch is timed by operation and operand shapes, after warm-up epochs that let
 * the JIT compile what an epoch's median sees. It prints the median and mean time of each call and how
 * many of each a step makes, and how much of the step they add up to (timing each call slows the epoch).
 *
 * <p>Between the warm-up and that epoch, one plain epoch is timed as a whole and one of its steps is
 * recorded; after training, that step's calls are replayed without the model layer, a growing share at a
 * time ({@link StepReplay}): what the products, the other kernels, the optimizer's update and the batch's
 * transfers each add to the step, and what the model layer adds to all of them.
 *
 * <pre>
 * samples/bin/nabla-step-breakdown --model deep-mlp --warmup 2
 * </pre>
 */
public final class StepBreakdown {
    private StepBreakdown() {}

    static final Options.Spec SPEC = Options.program(
                    "nabla-step-breakdown",
                    "Times every backend call of a training epoch through fit, by operation and operand shapes, "
                            + "after warm-up epochs.")
            .without("epochs", "out")
            .batchSize(Preset.BATCH_SIZE)
            .choiceOption(
                    "model",
                    "deep-mlp",
                    "the network: one of nabla-train's presets",
                    Arrays.stream(Preset.values()).map(Preset::id).toArray(String[]::new))
            .intOption("warmup", "EPOCHS", 2, 0, 1000, "epochs trained before the timed one")
            .stringOption(
                    "data",
                    "DIR",
                    null,
                    "MNIST-style IDX folder (default: Fashion-MNIST if installed, else the embedded digits)")
            .example("nabla-step-breakdown --model deep-mlp --warmup 2");

    public static void main(String[] args) {
        int code = SampleRunner.run(SPEC, args, job -> run(job.options(), job.backend()));
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(Options o, Backend backend) throws Exception {
        Preset preset = Preset.of(o.string("model"));
        int warmup = o.integer("warmup");
        AtomicReference<Map<String, List<Long>>> times = new AtomicReference<>();
        StepReplay replay = new StepReplay();
        int[] steps = {0};
        long[] epochNanos = {0};
        List<Long> plainSteps = new ArrayList<>(); // the plain epoch's steps, from one step's end to the next's
        Callback timeLastEpochs = new Callback() {
            private long start, lastStepEnd;
            private int epoch;

            @Override
            public void onEpochBegin(int epoch, Logs logs) {
                this.epoch = epoch;
                if (epoch == warmup + 1) {
                    times.set(new TreeMap<>());
                }
                start = System.nanoTime();
            }

            @Override
            public void onBatchEnd(int batch, Logs logs) {
                steps[0] += times.get() == null ? 0 : 1;
                if (epoch == warmup) {
                    long now = System.nanoTime();
                    if (batch > 0) {
                        plainSteps.add(now - lastStepEnd);
                    }
                    lastStepEnd = now;
                    if (batch == 0) { // record the second step, a full batch, from its gathering on
                        replay.start();
                    } else {
                        replay.stop();
                    }
                }
            }

            @Override
            public void onEpochEnd(int epoch, Logs logs) {
                if (epoch == warmup + 1) {
                    epochNanos[0] = System.nanoTime() - start;
                }
            }
        };
        TrainTest data = BenchData.load(o.string("data"));
        FitBenchmark.train(
                timing(backend, times, replay),
                preset.id(),
                preset.network(),
                preset.newOptimizer(),
                preset.loss(),
                o.batchSize(),
                warmup + 2,
                o.seed(),
                data.train(),
                null,
                Turns.NONE,
                null,
                timeLastEpochs);
        print(times.get(), steps[0], epochNanos[0]);
        if (replay.isEmpty()) {
            System.out.println("(an epoch of one step: nothing to replay)");
        } else {
            replay.print(backend, plainSteps.stream().mapToLong(Long::longValue).toArray());
        }
    }

    private static void print(Map<String, List<Long>> byOp, int steps, long epochNanos) {
        System.out.printf(
                Locale.ROOT, "%10s %10s %6s  %s%n", "median µs", "mean µs", "calls", "operation and operand shapes");
        double inOps = 0;
        for (Map.Entry<String, List<Long>> op : byOp.entrySet()) {
            long[] nanos =
                    op.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            double mean = Arrays.stream(nanos).sum() / 1e3 / nanos.length;
            inOps += mean * nanos.length / steps;
            System.out.printf(
                    Locale.ROOT,
                    "%10.1f %10.1f %6.1f  %s%n",
                    nanos[nanos.length / 2] / 1e3,
                    mean,
                    (double) nanos.length / steps,
                    op.getKey());
        }
        System.out.printf(
                Locale.ROOT,
                "%d steps, %.1f µs a step (the epoch over its steps), of which %.1f µs in the calls above%n",
                steps,
                epochNanos / 1e3 / steps,
                inOps);
    }

    /**
     * The backend, timing each void call into the map in {@code times} (by name and operand shapes) while there is
     * one, and offering every call to {@code replay}.
     */
    private static Backend timing(Backend backend, AtomicReference<Map<String, List<Long>>> times, StepReplay replay) {
        return (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    replay.offer(method, args);
                    long start = System.nanoTime();
                    Object result = invoke(backend, method, args);
                    long nanos = System.nanoTime() - start;
                    Map<String, List<Long>> into = times.get();
                    if (into != null && method.getReturnType() == void.class && args != null) {
                        into.computeIfAbsent(key(method, args), k -> new ArrayList<>())
                                .add(nanos);
                    }
                    return result;
                });
    }

    private static String key(Method method, Object[] args) {
        StringBuilder key = new StringBuilder(method.getName());
        for (Object arg : args) {
            if (arg instanceof View v) {
                key.append(' ').append(Arrays.toString(v.shape()));
            } else if (arg instanceof Enum<?> e) {
                key.append(' ').append(e.name());
            } else if (Boolean.TRUE.equals(arg)) {
                key.append('ᵀ'); // matmul's transpose flag, after its operand
            }
        }
        return key.toString();
    }

    private static Object invoke(Backend backend, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(backend, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
