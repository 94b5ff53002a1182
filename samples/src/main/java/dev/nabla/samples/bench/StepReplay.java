package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The backend calls of one training step, recorded as {@code fit} made them and replayed without the model
 * layer: on the same buffers, with the same operands, in the same order. Replaying a growing share of them
 * (the matrix products alone, then every kernel but the optimizer's update, then the update too, then the
 * batch's transfers) shows what each part adds to a step with the caches as the step leaves them, and the
 * whole replay against the step as {@code fit} ran it is what the model layer (the graph, autograd, batching,
 * metrics, callbacks) adds on top.
 *
 * <p>Replaying a step runs its update again, so the weights move by a few more steps of the same gradient:
 * harmless for timing, and the reason this runs only after the timed epoch.
 */
final class StepReplay {
    /** One recorded call. */
    private record Call(Method method, Object[] args) {}

    /** Calls that manage memory or wait rather than compute: replaying them would free a buffer twice. */
    private static final Set<String> NOT_REPLAYED = Set.of("release", "emptyCache", "close", "synchronize");

    private static final Set<String> UPDATES = Set.of("sgdUpdate", "rmspropUpdate", "adamUpdate");
    private static final Set<String> TRANSFERS = Set.of("write", "writeRows", "read");

    /** A cumulative part of the step: its name and which calls it replays. */
    private record Stage(String name, Predicate<String> replays) {}

    private static final List<Stage> STAGES = List.of(
            new Stage("its matrix products", "matmul"::equals),
            new Stage("+ every other kernel but the update", m -> !UPDATES.contains(m) && !TRANSFERS.contains(m)),
            new Stage("+ the optimizer's update", m -> !TRANSFERS.contains(m)),
            new Stage("+ the batch's transfers: the whole step", m -> true));

    private final List<Call> calls = new ArrayList<>();
    private boolean recording;

    void start() {
        calls.clear();
        recording = true;
    }

    void stop() {
        recording = false;
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    /** Called for every backend call: kept while recording, unless it is one that is never replayed. */
    void offer(Method method, Object[] args) {
        if (recording && method.getReturnType() == void.class && !NOT_REPLAYED.contains(method.getName())) {
            calls.add(new Call(method, args == null ? new Object[0] : args.clone()));
        }
    }

    /**
     * Replays each stage on {@code backend} (the unwrapped one) and prints its time per step beside the steps of an
     * epoch as {@code fit} ran them ({@code stepNanos}, each from one step's end to the next's): their median, the
     * replay's like, and their mean, which the epoch's time is, slow steps included.
     */
    void print(Backend backend, long[] stepNanos) throws Exception {
        System.out.printf(
                "one step's %d backend calls replayed without the model layer (median of 31 × 10 steps, µs a step):%n",
                calls.size());
        double whole = Double.NaN;
        for (Stage stage : STAGES) {
            List<Call> part = calls.stream()
                    .filter(c -> stage.replays().test(c.method().getName()))
                    .toList();
            whole = microsPerStep(backend, part);
            System.out.printf("%10.1f  %s (%d calls)%n", whole, stage.name(), part.size());
        }
        long[] sorted = stepNanos.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2] / 1e3;
        System.out.printf(
                "%10.1f  the step through fit (the median step of an untimed epoch): %.2f× the whole replay%n",
                median, median / whole);
        System.out.printf(
                "%10.1f  the mean step of that epoch, slow steps included (the slowest tenth took %.0f µs or more)%n",
                Arrays.stream(sorted).average().orElse(0) / 1e3, sorted[sorted.length * 9 / 10] / 1e3);
    }

    private static double microsPerStep(Backend backend, List<Call> part) throws Exception {
        return 1e6
                * BenchStats.medianSecondsPerRun(
                        times -> {
                            for (int i = 0; i < times; i++) {
                                run(backend, part);
                            }
                            backend.synchronize();
                        },
                        10);
    }

    private static void run(Backend backend, List<Call> part) throws Exception {
        for (Call call : part) {
            try {
                call.method().invoke(backend, call.args());
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw (Error) e.getCause();
            }
        }
    }
}
