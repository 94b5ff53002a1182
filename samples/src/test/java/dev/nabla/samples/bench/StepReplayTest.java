package dev.nabla.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.samples.Captured;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StepReplayTest {
    private static final Backend CPU = Backends.use("cpu");

    private final StepReplay replay = new StepReplay();
    /** The cpu backend, offering every call to {@link #replay}. */
    private final Backend recorded = recording(replay, new HashMap<>());

    private final TensorFactory t = Tensor.on(recorded);
    private final Tensor x = t.ones(1, 4, 8);
    private final Tensor w = t.ones(1, 8, 2);
    private final Tensor y = t.zeros(1, 4, 2);

    @AfterEach
    void close() {
        x.close();
        w.close();
        y.close();
    }

    @Test
    void keepsOnlyTheCallsMadeWhileRecordingAndNeverOnesThatFreeMemoryOrWait() {
        recorded.matmul(x.view(), false, w.view(), false, y.view()); // before recording
        assertTrue(replay.isEmpty());
        Tensor scratch = t.zeros(3);
        replay.start();
        recorded.matmul(x.view(), false, w.view(), false, y.view());
        recorded.synchronize();
        recorded.fill(scratch.view(), 1);
        scratch.close(); // releases its buffer
        replay.stop();
        recorded.matmul(x.view(), false, w.view(), false, y.view()); // after
        assertFalse(replay.isEmpty());

        Map<String, Integer> replayed = new HashMap<>();
        String text = printed(replay, recording(new StepReplay(), replayed), 2_000, 1_000, 3_000);
        assertTrue(text.contains("one step's 2 backend calls"), text);
        assertEquals(null, replayed.get("release"), "nothing freed twice");
        assertTrue(replayed.get("fill") > 0 && replayed.get("matmul") > replayed.get("fill"), replayed.toString());
    }

    @Test
    void eachStageReplaysAGrowingShareOfTheStepAndTheStepThroughFitIsComparedWithTheWhole() {
        try (Tensor p = t.ones(2);
                Tensor g = t.ones(2);
                Tensor m = t.zeros(2);
                Tensor v = t.zeros(2)) {
            float[] host = new float[8];
            replay.start();
            recorded.write(x.view().buffer(), 0, host, 0, host.length);
            recorded.matmul(x.view(), false, w.view(), false, y.view());
            recorded.fill(m.view(), 0);
            recorded.adamUpdate(p.view(), g.view(), m.view(), v.view(), 1e-3, 0.9, 0.999, 1e-7, 0);
            replay.stop();

            String text = printed(replay, CPU, 9_000, 1_000, 2_000, 3_000, 4_000);
            assertTrue(text.contains("its matrix products (1 calls)"), text);
            assertTrue(text.contains("+ every other kernel but the update (2 calls)"), text);
            assertTrue(text.contains("+ the optimizer's update (3 calls)"), text);
            assertTrue(text.contains("+ the batch's transfers: the whole step (4 calls)"), text);
            assertTrue(text.contains("3.0  the step through fit (the median step"), text);
            assertTrue(text.contains("3.8  the mean step of that epoch"), text);
        }
    }

    /** What {@code replay} prints when it replays on {@code backend} beside steps through fit of these lengths. */
    private static String printed(StepReplay replay, Backend backend, long... stepNanos) {
        return Captured.run(() -> {
                    try {
                        replay.print(backend, stepNanos);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    return 0;
                })
                .out();
    }

    /** The cpu backend, offering every call to {@code replay} and counting the calls by name. */
    private static Backend recording(StepReplay replay, Map<String, Integer> calls) {
        return (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    replay.offer(method, args);
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(CPU, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
