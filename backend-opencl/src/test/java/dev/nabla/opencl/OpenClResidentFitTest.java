package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nabla.backend.Backend;
import dev.nabla.data.Dataset;
import dev.nabla.losses.SparseCategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On OpenCL, {@code fit} keeps the training data on the device and gathers each batch there (its memory is not the
 * host's): no batch is written from the host, and the run trains to the same weights, bit for bit, as with batches
 * written from the host.
 */
class OpenClResidentFitTest {
    private static final int SAMPLES = 200, FEATURES = 12;

    private static Dataset data() {
        float[] x = OpenClTestSupport.values(SAMPLES * FEATURES, 3, -1, 1);
        float[] labels = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            labels[i] = x[i * FEATURES] + x[i * FEATURES + 1] > 0 ? 1 : 0;
        }
        return Dataset.of(x, new int[] {FEATURES}, labels, new int[] {});
    }

    /** The weights after 3 epochs; counts the batches written from the host ({@code writeRows}) into {@code rowWrites}. */
    private static List<float[]> train(Backend opencl, Boolean resident, long[] rowWrites) {
        Backend backend = (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("writeRows")) {
                        rowWrites[0]++;
                    }
                    try {
                        return method.invoke(opencl, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RandomSeed.set(23);
        try (Sequential model = new Sequential(new Dense(16, "tanh").inputShape(FEATURES), new Dense(2, "softmax"))) {
            model.backend(backend);
            model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), "accuracy");
            FitOptions options =
                    new FitOptions().epochs(3).batchSize(32).seed(9).verbose(0);
            if (resident != null) {
                options.residentData(resident);
            }
            model.fit(data(), options);
            return new ArrayList<>(model.getWeights());
        }
    }

    @Test
    void aFitKeepsItsDataOnTheDeviceByDefaultAndTrainsAsWithHostBatches() {
        OpenClBackend opencl = OpenClTestSupport.backend();
        assertFalse(opencl.hostAddressable(), "OpenCL buffers are the device's");
        long[] residentWrites = {0}, hostWrites = {0};
        List<float[]> resident = train(opencl, null, residentWrites);
        List<float[]> host = train(opencl, false, hostWrites);
        assertEquals(0, residentWrites[0], "no batch written from the host");
        assertEquals(2 * 3 * 7, hostWrites[0], "x and y of 7 batches an epoch, 3 epochs");
        assertEquals(host.size(), resident.size());
        for (int i = 0; i < host.size(); i++) {
            assertArrayEquals(host.get(i), resident.get(i), "weight " + i);
        }
    }
}
