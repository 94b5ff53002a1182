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
        int[] products = new int[1];
        Backend counting = (Backend) Proxy.newProxyInstance(
                Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("matmul")) {
                        products[0]++;
                    }
                    try {
                        return method.invoke(CPU, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (GemmBound gemms = new GemmBound(counting, new int[] {8, 16, 4}, 32)) {
            gemms.run(3);
            assertEquals(3 * 5, products[0], "x·W and xᵀ·g per layer, and g·Wᵀ for the second");
            assertTrue(gemms.secondsPerStep() > 0);
        }
    }

    @Test
    void theDeepMlpsProductsComeTo478GflopPerEpoch() {
        // per layer x·W and xᵀ·g, and g·Wᵀ for every layer but the first: 2·batch·in·out flops each
        long perStep = GemmBound.flopsPerStep(new int[] {784, 1024, 512, 512, 10}, 128);
        assertEquals(2L * 128 * (2 * 784 * 1024 + 3 * (1024 * 512 + 512 * 512 + 512 * 10)), perStep);
        assertEquals(477.9e9, perStep * 469.0, 0.05e9, "469 steps of batch 128 cover the 60,000 samples");
    }
}
