package dev.nabla.nn.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each initializer's bounds or standard deviation, checked on 120,000 draws (fan-in 400, fan-out 300). */
class InitializersTest {
    private static final Backend CPU = Backends.get("cpu", 0);
    private static final int FAN_IN = 400;
    private static final int FAN_OUT = 300;

    private static float[] draw(Initializer initializer) {
        try (Tensor t = initializer.create(CPU, FAN_IN, FAN_OUT)) {
            assertArrayEquals(new int[] {FAN_IN, FAN_OUT}, t.shape());
            return t.toFloatArray();
        }
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double maxAbs(float[] v) {
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static void assertUniform(Initializer initializer, double limit) {
        float[] v = draw(initializer);
        assertTrue(maxAbs(v) <= limit, initializer + ": a value beyond the limit " + limit);
        assertTrue(maxAbs(v) > 0.99 * limit, initializer + ": no value near the limit " + limit);
        assertEquals(limit / Math.sqrt(3), std(v), 0.01 * limit, initializer + " standard deviation");
        assertEquals(0, mean(v), 0.01 * limit, initializer + " mean");
    }

    private static void assertNormal(Initializer initializer, double sigma) {
        float[] v = draw(initializer);
        assertEquals(sigma, std(v), 0.01 * sigma, initializer + " standard deviation");
        assertEquals(0, mean(v), 0.01 * sigma, initializer + " mean");
        assertTrue(maxAbs(v) > 3 * sigma, initializer + ": untruncated tails reach past 3σ");
    }

    @Test
    void glorotUniformDrawsWithinSqrtSixOverFanInPlusFanOut() {
        assertUniform(new GlorotUniform(1), Math.sqrt(6.0 / (FAN_IN + FAN_OUT)));
    }

    @Test
    void glorotNormalHasSigmaSqrtTwoOverFanInPlusFanOut() {
        assertNormal(new GlorotNormal(2), Math.sqrt(2.0 / (FAN_IN + FAN_OUT)));
    }

    @Test
    void heUniformDrawsWithinSqrtSixOverFanIn() {
        assertUniform(new HeUniform(3), Math.sqrt(6.0 / FAN_IN));
    }

    @Test
    void heNormalHasSigmaSqrtTwoOverFanIn() {
        assertNormal(new HeNormal(4), Math.sqrt(2.0 / FAN_IN));
    }

    @Test
    void lecunInitializers() {
        assertUniform(new LecunUniform(5), Math.sqrt(3.0 / FAN_IN));
        assertNormal(new LecunNormal(6), Math.sqrt(1.0 / FAN_IN));
    }

    @Test
    void randomNormalAndUniformUseTheirParametersAndKerasDefaults() {
        assertNormal(new RandomNormal(0, 0.05, 7L), 0.05);
        float[] shifted = draw(new RandomNormal(1.0, 0.2, 8L));
        assertEquals(1.0, mean(shifted), 0.005);
        assertEquals(0.2, std(shifted), 0.002);
        assertUniform(new RandomUniform(-0.05, 0.05, 9L), 0.05);
        float[] u = draw(new RandomUniform(2, 3, 10L));
        for (float x : u) {
            assertTrue(x >= 2 && x < 3, "uniform value " + x);
        }
        assertEquals(0.05, new RandomNormal().stddev());
        assertEquals(-0.05, new RandomUniform().minval());
    }

    @Test
    void constantInitializers() {
        float[] zeros = draw(new Zeros());
        float[] ones = draw(new Ones());
        for (int i = 0; i < zeros.length; i++) {
            assertEquals(0f, zeros[i]);
            assertEquals(1f, ones[i]);
        }
        try (Tensor c = new Constant(0.5).create(CPU, 3)) {
            assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, c.toFloatArray());
        }
    }

    @Test
    void aSeedGivesTheSameWeightsEveryTimeAndAnotherSeedOthers() {
        assertArrayEquals(draw(new GlorotUniform(42)), draw(new GlorotUniform(42)));
        assertFalse(Arrays.equals(draw(new GlorotUniform(42)), draw(new GlorotUniform(43))));
        assertFalse(Arrays.equals(draw(new HeNormal()), draw(new HeNormal())), "unseeded draws differ");
    }

    @Test
    void fansFollowKeras() {
        assertArrayEquals(new long[] {784, 512}, Initializer.fans(new int[] {784, 512}));
        assertArrayEquals(new long[] {10, 10}, Initializer.fans(new int[] {10}));
        assertArrayEquals(new long[] {3 * 3 * 16, 3 * 3 * 32}, Initializer.fans(new int[] {3, 3, 16, 32}));
    }

    @Test
    void initializersByKerasName() {
        assertInstanceOf(GlorotUniform.class, Initializers.get("glorot_uniform"));
        assertInstanceOf(HeNormal.class, Initializers.get("he_normal"));
        assertInstanceOf(Zeros.class, Initializers.get("zeros"));
        assertInstanceOf(RandomNormal.class, Initializers.get("RandomNormal"));
        assertThrows(IllegalArgumentException.class, () -> Initializers.get("orthogonal"));
    }
}
