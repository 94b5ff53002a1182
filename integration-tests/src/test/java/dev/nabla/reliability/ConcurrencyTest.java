package dev.nabla.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.metrics.SparseCategoricalAccuracy;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Layer;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The thread rules of docs/reliability.md, tested: concurrent predict and evaluate on one model
 * give the answers of one thread; a model refuses to be changed while another thread uses it;
 * scopes and autograd recording are per thread; a tensor may be read from many threads; the
 * backend registry hands every thread the same backend.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;

    private static Sequential trained() {
        Sequential model = Fixture.healthyClassifier();
        model.fit(
                Fixture.blobs(48, 1),
                new FitOptions().batchSize(8).epochs(3).seed(2).verbose(0));
        return model;
    }

    private static <T> List<T> onThreads(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CyclicBarrier start = new CyclicBarrier(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void predictFromEightThreadsGivesTheAnswersOfOneThread() throws Exception {
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inputs.add(Fixture.blobs(5 + 7 * i, 100 + i).features()); // batches of different sizes
        }
        try (Sequential model = trained()) {
            List<float[]> expected = new ArrayList<>();
            for (float[] x : inputs) {
                expected.add(predict(model, x));
            }
            List<List<float[]>> perThread = onThreads(THREADS, () -> {
                List<float[]> answers = new ArrayList<>();
                for (int round = 0; round < 25; round++) {
                    for (float[] x : inputs) {
                        answers.add(predict(model, x));
                    }
                }
                return answers;
            });
            for (List<float[]> answers : perThread) {
                for (int k = 0; k < answers.size(); k++) {
                    assertArrayEquals(expected.get(k % inputs.size()), answers.get(k), "answer " + k);
                }
            }
        }
    }

    private static float[] predict(Sequential model, float[] features) {
        try (Tensor x = Tensor.on(Fixture.CPU).of(features, features.length / 4, 4);
                Tensor y = model.predict(x, 8)) {
            return y.toFloatArray();
        }
    }

    @Test
    void evaluateFromEightThreadsGivesTheScoresOfOneThread() throws Exception {
        Dataset test = Fixture.blobs(30, 77);
        try (Sequential model = trained()) {
            Map<String, Double> expected = model.evaluate(test, 7, 0);
            for (Map<String, Double> scores : onThreads(THREADS, () -> model.evaluate(test, 7, 0))) {
                assertEquals(expected, scores);
            }
        }
    }

    @Test
    void evaluateWithSharedMetricObjectsRunsAloneOrIsRefused() throws Exception {
        try (Sequential model = trained()) {
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), new SparseCategoricalAccuracy());
            Dataset test = Fixture.blobs(30, 77);
            Map<String, Double> expected = model.evaluate(test, 7, 0);
            List<Object> outcomes = onThreads(THREADS, () -> {
                try {
                    return model.evaluate(test, 7, 0);
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
            for (Object outcome : outcomes) {
                if (outcome instanceof String message) {
                    assertTrue(message.contains("in use by evaluate"), message);
                } else {
                    assertEquals(expected, outcome, "an evaluation that ran gave the single-thread scores");
                }
            }
        }
    }

    @Test
    void fitIsRefusedWhilePredictRunsOnAnotherThreadAndAllowedAfterwards() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gate gate = new Gate(inside, release);
        try (Sequential model = Fixture.healthyClassifier()) {
            model.add(gate);
            model.fit(Fixture.blobs(12, 1), new FitOptions().batchSize(4).verbose(0));
            gate.armed = true;
            Thread reader = new Thread(() -> predict(model, Fixture.blobs(3, 4).features()), "reader");
            reader.start();
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            List<float[]> before = model.getWeights(); // another read: allowed
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> model.fit(
                            Fixture.blobs(12, 1), new FitOptions().batchSize(4).verbose(0)));
            assertTrue(e.getMessage().contains("in use by predict on thread 'reader'"), e.getMessage());
            assertThrows(IllegalStateException.class, model::close, "close waits for no one: it is refused too");
            release.countDown();
            reader.join(10_000);
            List<float[]> after = model.getWeights();
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i));
            }
            gate.armed = false;
            model.fit(Fixture.blobs(12, 1), new FitOptions().batchSize(4).verbose(0)); // the reader is gone
        }
    }

    /** A pass-through layer that, when armed, holds inference calls until released. */
    private static final class Gate extends Layer {
        private final CountDownLatch inside;
        private final CountDownLatch release;
        volatile boolean armed;

        Gate(CountDownLatch inside, CountDownLatch release) {
            this.inside = inside;
            this.release = release;
        }

        @Override
        protected Tensor call(Tensor input, boolean training) {
            if (armed && !training) {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return input;
        }
    }

    @Test
    void aScopeReleasesOnlyTheTensorsOfItsOwnThread() throws Exception {
        Tensor fromOtherThread;
        try (TensorScope scope = TensorScope.open()) {
            Tensor mine = Tensor.ones(2);
            fromOtherThread = onThreads(1, () -> Tensor.ones(3)).get(0);
            assertEquals(1, scope.size(), "the other thread's tensor is not in this thread's scope");
            assertFalse(mine.isClosed());
        }
        assertFalse(fromOtherThread.isClosed());
        fromOtherThread.close();
        List<Boolean> closedByTheirScope = onThreads(2, () -> {
            Tensor t;
            try (TensorScope scope = TensorScope.open()) {
                t = Tensor.ones(4);
            }
            return t.isClosed();
        });
        assertEquals(List.of(true, true), closedByTheirScope);
    }

    @Test
    void noGradIsPerThread() throws Exception {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad(true);
            try (NoGrad off = NoGrad.enter()) {
                assertFalse(w.mul(2).tracksGrad());
                List<Boolean> recorded = onThreads(2, () -> {
                    try (Tensor y = w.mul(2)) {
                        return y.tracksGrad();
                    }
                });
                assertEquals(List.of(true, true), recorded, "other threads still record");
            }
        }
    }

    @Test
    void oneTensorCanBeReadAndUsedByManyThreadsAtOnce() throws Exception {
        try (Tensor x = Tensor.uniform(3, -1, 1, 64, 32);
                Tensor w = Tensor.uniform(4, -1, 1, 32, 16);
                Tensor expected = x.matmul(w).tanh()) {
            float[] reference = expected.toFloatArray();
            for (float[] got : onThreads(THREADS, () -> {
                float[] last = null;
                for (int i = 0; i < 50; i++) {
                    try (Tensor h = x.matmul(w);
                            Tensor y = h.tanh()) {
                        last = y.toFloatArray();
                    }
                }
                return last;
            })) {
                assertArrayEquals(reference, got);
            }
        }
    }

    @Test
    void everyThreadGetsTheSameBackend() throws Exception {
        Backend mine = Backends.get("cpu", 0);
        for (Backend theirs : onThreads(THREADS, () -> Backends.get("cpu", 0))) {
            assertSame(mine, theirs);
        }
    }
}
