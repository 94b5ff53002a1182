package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.backend.View;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a training step of the deep MLP (of the course examples: 784-1024-512-512-10, ReLU, softmax
 * cross-entropy, Adam, batch 128) spends its time beyond its matrix products, measured as upper
 * bounds: for each group of backend operations, steps that skip the group are timed in alternation
 * with complete steps in one process (rounds of 10 steps each), and the median ratio is reported.
 * A skipped group leaves garbage in its outputs, so those steps compute nothing meaningful; what
 * they measure is how much faster a step could be if that group cost nothing, including what its
 * memory traffic costs the operations after it. With {@code --ops} it times every backend call of
 * a step instead, by operation and shape (median and mean over the steps), after a warm-up as
 * long as three epochs.
 *
 * <pre>
 * OPENBLAS_CORETYPE=SkylakeX java --add-modules jdk.incubator.vector -cp … dev.nabla.samples.bench.StepBreakdown --rounds 60
 * samples/bin/nabla-step-breakdown --ops --steps 300
 * </pre>
 */
public final class StepBreakdown {
    private static final Set<String> SMALL =
            Set.of("softmaxCrossEntropy", "softmaxCrossEntropyBackward", "reduce", "unary", "fill", "copy", "binary");
    private static final Set<String> BIAS_ACTIVATION = Set.of("biasActivation", "biasActivationBackward");

    /** The groups skipped, each against complete steps. */
    private static final Map<String, Set<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("Adam update", Set.of("adamUpdate"));
        GROUPS.put("bias + activation, forward and backward", BIAS_ACTIVATION);
        GROUPS.put("softmax cross-entropy and the small ops", SMALL);
        GROUPS.put("everything but the matrix products", union(Set.of("adamUpdate"), BIAS_ACTIVATION, SMALL));
    }

    private StepBreakdown() {}

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** The backend, with the void operations named in {@code skipped[0]} turned into no-ops while it is non-null. */
    private static Backend skipping(Backend backend, Set<?>[] skipped) {
        return (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (skipped[0] != null
                            && method.getReturnType() == void.class
                            && skipped[0].contains(method.getName())) {
                        return null;
                    }
                    return invoke(backend, method, args);
                });
    }

    /** The backend, timing each void operation into the map in {@code times} (by name and operand shapes) while there is one. */
    private static Backend timing(Backend backend, AtomicReference<Map<String, List<Long>>> times) {
        return (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    long start = System.nanoTime();
                    Object result = invoke(backend, method, args);
                    long nanos = System.nanoTime() - start;
                    Map<String, List<Long>> into = times.get();
                    if (into != null && method.getReturnType() == void.class && args != null) {
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
                        into.computeIfAbsent(key.toString(), k -> new ArrayList<>())
                                .add(nanos);
                    }
                    return result;
                });
    }

    /** Steps of three epochs of Fashion-MNIST at batch 128: by then the JIT has compiled what an epoch's median sees. */
    private static final int THREE_EPOCHS_OF_STEPS = 3 * 469;

    /** Times every backend operation of {@code steps} steps after a warm-up of three epochs' steps. */
    private static void opTimes(Backend cpu, int steps) {
        AtomicReference<Map<String, List<Long>>> times = new AtomicReference<>();
        Backend backend = timing(cpu, times);
        TensorFactory tensors = Tensor.on(backend);
        try (MlpTrainer net = FieldNetwork.DEEP_ADAM.trainer(backend, 42);
                Tensor x = tensors.uniform(new Generator(1), 0, 1, 128, 784);
                Tensor y = tensors.zeros(128, 10)) {
            for (int i = 0; i < THREE_EPOCHS_OF_STEPS; i++) {
                net.trainStep(x, y).close();
            }
            Map<String, List<Long>> byOp = new TreeMap<>();
            times.set(byOp);
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                net.trainStep(x, y).close();
            }
            double stepMicros = (System.nanoTime() - start) / 1e3 / steps;
            times.set(null);
            double inOps = 0;
            System.out.printf(
                    Locale.ROOT,
                    "%10s %10s %6s  %s%n",
                    "median µs",
                    "mean µs",
                    "calls",
                    "operation and operand shapes (per step)");
            for (Map.Entry<String, List<Long>> op : byOp.entrySet()) {
                long[] nanos = op.getValue().stream()
                        .mapToLong(Long::longValue)
                        .sorted()
                        .toArray();
                double mean = Arrays.stream(nanos).sum() / 1e3 / nanos.length;
                inOps += mean * nanos.length / steps;
                System.out.printf(
                        Locale.ROOT,
                        "%10.1f %10.1f %6d  %s%n",
                        nanos[nanos.length / 2] / 1e3,
                        mean,
                        nanos.length / steps,
                        op.getKey());
            }
            System.out.printf(
                    Locale.ROOT, "step %.1f µs, of which %.1f µs in the operations above%n", stepMicros, inOps);
        }
    }

    private static Object invoke(Backend backend, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(backend, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static final Options.Spec SPEC = Options.program(
                    "nabla-step-breakdown",
                    "Where a training step of the deep MLP spends its time beyond its matrix products: steps that "
                            + "skip one group of operations timed in alternation with complete steps (upper bounds).")
            .without("backend", "epochs", "batch-size", "seed", "out")
            .intOption("rounds", "N", 60, 4, 100_000, "rounds of 10 steps per group (at least 4, for quartiles)")
            .flag("ops", "time every backend call of a step instead, by operation and shape")
            .intOption("steps", "N", 300, 1, 1_000_000, "with --ops: steps timed after the warm-up")
            .example("nabla-step-breakdown --rounds 60")
            .example("nabla-step-breakdown --ops --steps 300");

    public static void main(String[] args) {
        int code = SampleRunner.run(SPEC, args, job -> {
            if (job.options().flag("ops")) {
                opTimes(Backends.use("cpu"), job.options().integer("steps"));
            } else {
                groups(job.options().integer("rounds"));
            }
        });
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void groups(int rounds) {
        Backend cpu = Backends.use("cpu");
        Set<?>[] skipped = new Set<?>[1];
        Backend backend = skipping(cpu, skipped);
        TensorFactory tensors = Tensor.on(backend);
        System.out.printf(
                Locale.ROOT,
                "deep MLP step on %s, Java %s: steps skipping a group vs complete steps, %d rounds of 10 each%n",
                cpu.deviceName(),
                Runtime.version(),
                rounds);
        try (MlpTrainer net = FieldNetwork.DEEP_ADAM.trainer(backend, 42);
                Tensor x = tensors.uniform(new Generator(1), 0, 1, 128, 784);
                Tensor y = tensors.zeros(128, 10)) {
            for (int i = 0; i < 300; i++) {
                net.trainStep(x, y).close(); // warm-up: the JIT compiles the step
            }
            for (Map.Entry<String, Set<String>> group : GROUPS.entrySet()) {
                double[][] times = new double[2][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int side = 0; side < 2; side++) {
                        int s = r % 2 == 0 ? side : 1 - side; // alternate which side goes first
                        skipped[0] = s == 1 ? group.getValue() : null;
                        net.trainStep(x, y).close();
                        long start = System.nanoTime();
                        for (int i = 0; i < 10; i++) {
                            net.trainStep(x, y).close();
                        }
                        times[s][r] = (System.nanoTime() - start) / 10e6;
                    }
                }
                skipped[0] = null;
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = times[1][r] / times[0][r];
                }
                Arrays.sort(ratios);
                Arrays.sort(times[0]);
                Arrays.sort(times[1]);
                double complete = times[0][rounds / 2], without = times[1][rounds / 2];
                System.out.printf(
                        Locale.ROOT,
                        "  without %s: step %.3f ms -> %.3f ms, ratio median %.3f (quartiles %.3f-%.3f): "
                                + "it costs at most %.0f %% of a step%n",
                        group.getKey(),
                        complete,
                        without,
                        ratios[rounds / 2],
                        ratios[rounds / 4],
                        ratios[3 * rounds / 4],
                        Math.max(0, 100 * (1 - ratios[rounds / 2])));
            }
        }
    }
}
