package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The backend's thread pool: every index once, failures surface, nesting and concurrent callers are safe. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelTest {

    @Test
    void everyIndexIsVisitedExactlyOnceInPartsAlignedToTheGrain() {
        for (int count : new int[] {0, 1, 15, 16, 17, 1000, 100_003}) {
            AtomicIntegerArray visits = new AtomicIntegerArray(count);
            Parallel.split(count, Parallel.THREADS, 16, 4, (from, to) -> {
                assertTrue(from % 16 == 0, "part starts at " + from);
                for (int i = from; i < to; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < count; i++) {
                assertEquals(1, visits.get(i), "index " + i + " of " + count);
            }
        }
    }

    @Test
    void largeWorkRunsOnMoreThanOneThreadWhenTheMachineHasThem() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 50 && threads.size() < 2; round++) {
            Parallel.split(64, Parallel.THREADS, 1, 4, (from, to) -> {
                threads.add(Thread.currentThread().getName());
                long until = System.nanoTime() + 200_000; // long enough that a worker claims a part
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        assertEquals(Math.min(2, Parallel.THREADS), threads.size(), "threads that took part: " + threads);
    }

    @Test
    void aFailingPartIsRethrownToTheCallerAndThePoolKeepsWorking() {
        IllegalStateException boom = new IllegalStateException("part failed");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> Parallel.split(1000, Parallel.THREADS, 1, 4, (from, to) -> {
                    if (from <= 500 && 500 < to) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        AtomicIntegerArray visits = new AtomicIntegerArray(1000);
        Parallel.split(1000, Parallel.THREADS, 1, 4, (from, to) -> {
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, visits.get(i));
        }
    }

    @Test
    void aSplitInsideAPartRunsSeriallyInsteadOfDeadlocking() {
        AtomicIntegerArray visits = new AtomicIntegerArray(64 * 64);
        Parallel.split(64, Parallel.THREADS, 1, 4, (from, to) -> {
            for (int row = from; row < to; row++) {
                int r = row;
                Parallel.split(64, Parallel.THREADS, 1, 4, (f, t) -> {
                    for (int c = f; c < t; c++) {
                        visits.incrementAndGet(r * 64 + c);
                    }
                });
            }
        });
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(1, visits.get(i));
        }
    }

    @Test
    void splitsFromManyThreadsAtOnceAreEachComplete() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(callers.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        AtomicIntegerArray visits = new AtomicIntegerArray(777);
                        Parallel.split(777, Parallel.THREADS, 7, 4, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                visits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < 777; i++) {
                            assertEquals(1, visits.get(i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void workersAreDaemonThreadsSoTheyNeverKeepTheJvmAlive() {
        Parallel.split(64, Parallel.THREADS, 1, 4, (from, to) -> {});
        List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("nabla-cpu-"))
                .toList();
        assertEquals(Parallel.THREADS - 1, workers.size(), "workers: " + workers);
        workers.forEach(t -> assertTrue(t.isDaemon(), t.getName()));
    }
}
