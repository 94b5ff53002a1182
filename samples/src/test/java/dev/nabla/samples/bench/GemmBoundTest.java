package dev.nabla.samples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.samples.train.NetworkSpec;
import dev.nabla.samples.train.Preset;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmBoundTest {
    private static final Backend CPU = Backends.use("cpu");

    @Test
    void anMlpsWidthsAreItsInputsAndEachDenseLayersUnitsDropoutLeftOut() {
        assertArrayEquals(new int[] {784, 1024, 512, 512, 10}, GemmBound.widths(Preset.DEEP_MLP.network()));
        assertArrayEquals(new int[] {8, 16, 4}, GemmBound.widths(NetworkSpec.parse("8-16:relu-dropout0.5-4")));
    }

    @Test
    void aNetworkWithConvolutionsHasNoMlpWidths() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GemmBound.widths(Preset.LENET.network()));
        assertTrue(e.getMessage().contains("expected an MLP"), e.getMessage());
    }

    @Test
    void aStepIsEachLayersForwardAndWeightGradientProductAndTheInputGradientOfAllButTheFirst() {
        Map<String, Integer> calls = new HashMap<>();
        try (GemmBound gemms = new GemmBound(counting(calls), new int[] {8, 16, 4}, 32, GemmBound.Update.ADAM)) {
            gemms.run(3, false);
            assertEquals(Map.of("matmul", 3 * 5), calls, "x·W and xᵀ·g per layer, and g·Wᵀ for the second");
            assertTrue(gemms.secondsPerStep() > 0);
        }
    }

    @Test
    void withTheUpdateAStepAlsoUpdatesEveryLayersWeightsAndBiasesWithTheOptimizersKernel() {
        Map<String, Integer> calls = new HashMap<>();
        try (GemmBound gemms = new GemmBound(counting(calls), new int[] {8, 16, 4}, 32, GemmBound.Update.ADAM)) {
            gemms.run(3, true);
            assertEquals(Map.of("matmul", 3 * 5, "adamUpdate", 3 * 4), calls, "two layers, a weight and a bias each");
            assertTrue(gemms.secondsPerStepWithUpdate() > 0);
        }
        calls.clear();
        try (GemmBound gemms = new GemmBound(counting(calls), new int[] {8, 16, 4}, 32, GemmBound.Update.SGD)) {
            gemms.run(1, true);
            assertEquals(Map.of("matmul", 5, "sgdUpdate", 4), calls);
        }
    }

    /** The cpu backend, counting the calls of its products and updates by name. */
    private static Backend counting(Map<String, Integer> calls) {
        return (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("matmul") || method.getName().endsWith("Update")) {
                        calls.merge(method.getName(), 1, Integer::sum);
                    }
                    try {
                        return method.invoke(CPU, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theDeepMlpsProductsComeTo478GflopPerEpoch() {
        // per layer x·W and xᵀ·g, and g·Wᵀ for every layer but the first: 2·batch·in·out flops each
        long perStep = GemmBound.flopsPerStep(new int[] {784, 1024, 512, 512, 10}, 128);
        assertEquals(2L * 128 * (2 * 784 * 1024 + 3 * (1024 * 512 + 512 * 512 + 512 * 10)), perStep);
        assertEquals(477.9e9, perStep * 469.0, 0.05e9, "469 steps of batch 128 cover the 60,000 samples");
    }
}
