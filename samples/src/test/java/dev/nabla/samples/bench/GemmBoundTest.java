package dev.nabla.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.backend.UnaryOp;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

class GemmBoundTest {
    private static final Backend CPU = Backends.use("cpu");
    private static final FieldNetwork SMALL =
            new FieldNetwork("8-16-4", new int[] {8, 16, 4}, UnaryOp.RELU, true, true, 1e-3);

    @Test
    void anEpochTimedInAlternationRunsEachOfItsStepsOnceTheLastRoundShort() {
        int[] steps = new int[1];
        try (GemmBound gemms = new GemmBound(CPU, SMALL, 32)) {
            GemmBound.Ratio epoch = gemms.interleaved(() -> steps[0]++, 23, 10);
            assertEquals(23, steps[0], "rounds of 10, 10 and 3 steps");
            assertTrue(epoch.stepSeconds() > 0 && epoch.gemmSeconds() > 0);
            assertEquals(
                    epoch.stepSeconds() / epoch.gemmSeconds(),
                    epoch.ofTotals(),
                    1e-12,
                    "the epoch's ratio is of its totals");
            assertTrue(epoch.lowerQuartile() <= epoch.median() && epoch.median() <= epoch.upperQuartile());
        }
    }

    @Test
    void eachTimedRoundOfProductsFollowsOneUntimedStepOfThemSoTheLimitIsTimedWithWarmOperands() {
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
        try (GemmBound gemms = new GemmBound(counting, SMALL, 32)) {
            products[0] = 0;
            gemms.interleaved(() -> {}, 23, 10);
            // 5 products a step (x·W and xᵀ·g per layer, g·Wᵀ for the second): a first round of 10 steps,
            // then per round one untimed step and the round's own: 10 + (1 + 10) + (1 + 10) + (1 + 3)
            assertEquals(5 * 36, products[0]);
        }
    }

    @Test
    void theDeepMlpsProductsComeTo478GflopPerEpoch() {
        // per layer x·W and xᵀ·g, and g·Wᵀ for every layer but the first: 2·batch·in·out flops each
        long perStep = FieldNetwork.DEEP_ADAM.flopsPerStep(128);
        assertEquals(2L * 128 * (2 * 784 * 1024 + 3 * (1024 * 512 + 512 * 512 + 512 * 10)), perStep);
        assertEquals(477.9e9, perStep * 469.0, 0.05e9, "469 steps of batch 128 cover the 60,000 samples");
    }
}
