package dev.nabla.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Automatic choice: the best available backend, passing over the ones that ask to be, with every reason. */
class BackendsChoiceTest {
    /** A provider that only answers the questions choice asks. */
    private record Fake(String name, int priority, Availability availability, String passOverReason)
            implements BackendProvider {
        @Override
        public Backend create(int deviceIndex) {
            throw new UnsupportedOperationException("not needed to choose");
        }
    }

    private static final Fake CUDA = new Fake("cuda", 300, Availability.unavailable("no libcuda.so.1"), null);
    private static final Fake OPENCL_ON_CPU =
            new Fake("opencl", 200, Availability.available("PoCL"), "its device is a CPU");
    private static final Fake OPENCL_ON_GPU = new Fake("opencl", 200, Availability.available("a GPU"), null);
    private static final Fake CPU = new Fake("cpu", 100, Availability.available("2 cores"), null);

    @Test
    void theBestAvailableBackendIsChosen() {
        Backends.Choice choice = Backends.choose(List.of(CUDA, OPENCL_ON_GPU, CPU));
        assertSame(OPENCL_ON_GPU, choice.provider());
        assertEquals(List.of("cuda: no libcuda.so.1"), choice.passedOver());
    }

    @Test
    void aBackendThatAsksToBePassedOverIsWithTheReason() {
        Backends.Choice choice = Backends.choose(List.of(CUDA, OPENCL_ON_CPU, CPU));
        assertSame(CPU, choice.provider());
        assertEquals(List.of("cuda: no libcuda.so.1", "opencl: its device is a CPU"), choice.passedOver());
    }

    @Test
    void aBackendPassedOverIsStillChosenWhenNoneElseCanRun() {
        Backends.Choice choice = Backends.choose(List.of(CUDA, OPENCL_ON_CPU));
        assertSame(OPENCL_ON_CPU, choice.provider());
    }

    @Test
    void withNothingAvailableTheErrorGivesEveryReason() {
        BackendUnavailableException e = assertThrows(
                BackendUnavailableException.class,
                () -> Backends.choose(
                        List.of(CUDA, new Fake("opencl", 200, Availability.unavailable("no OpenCL platform"), null))));
        assertTrue(
                e.getMessage().contains("cuda: no libcuda.so.1")
                        && e.getMessage().contains("opencl: no OpenCL platform"),
                e.getMessage());
    }
}
