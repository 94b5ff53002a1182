package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every implementation of the lane kernels is the scalar loops bit for bit, tails included: the native ones (when this
 * build has them) and the Vector API ones (when this JVM has it), so the JVM's flags change a run's speed, never its
 * result. The scalar tanh and exp are within 1 ulp of Java's {@code Math.tanh} and {@code Math.exp} rounded to float.
 * (That the result does not change when the JIT compiles a kernel either is {@link LaneKernelsJitTest}'s.)
 */
class LaneKernelsTest {
    private static final LaneKernels SCALAR = new LaneKernels();

    static Stream<LaneKernels> kernels() {
        return Stream.concat(Stream.of(SCALAR), others());
    }

    /**
     * The implementations other than the scalar loops that this build and JVM have: the native loops, and the Vector
     * API's twice, with some kernels from the native loops (as chosen when those load) and all its own.
     */
    static Stream<LaneKernels> others() {
        Stream<LaneKernels> vector =
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                        ? Stream.of(new VectorLaneKernels(), new VectorLaneKernels(null))
                        : Stream.empty();
        return Stream.concat(NativeLaneKernels.load().kernels().stream(), vector);
    }

    @Test
    void theNativeKernelsAreBuiltOnLinuxX86() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"));
        assumeTrue(!"false".equals(System.getenv("NABLA_EXPECT_GCC")), "built without gcc on purpose");
        NativeLaneKernels.Result loaded = NativeLaneKernels.load();
        assertTrue(loaded.kernels().isPresent(), loaded.how());
    }

    /**
     * A program whose first use of the lane kernels is the native ones loads them too: their class starts
     * {@link LaneKernels}' initialization, which loads them before the native class's own static fields are set.
     */
    @Test
    void theNativeKernelsLoadWhenTheyAreTheFirstTouched() throws Exception {
        assumeTrue(NativeLaneKernels.load().kernels().isPresent(), "no native lane kernels here");
        Process child = new ProcessBuilder(
                        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        NativeLanesFirst.class.getName())
                .redirectErrorStream(true)
                .start();
        String printed = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(printed.contains("how: native lane kernels loaded"), printed);
    }

    /** The build runs the conformance kit once per kind of lane kernels, chosen by the property: check it took. */
    @Test
    void theSelectedKernelsAreTheOnesThePropertyAsksFor() {
        Class<?> expected = switch (System.getProperty(LaneKernels.PROPERTY, "auto")) {
            case "scalar" -> LaneKernels.class;
            case "native" ->
                NativeLaneKernels.load().kernels().isPresent() ? NativeLaneKernels.class : LaneKernels.class;
            default -> LaneKernels.choose("auto").getClass();
        };
        assertEquals(expected, LaneKernels.selected().getClass());
    }

    @Test
    void thePropertyChoosesTheKernelsAndFallsBackInOrder() {
        assertEquals(LaneKernels.class, LaneKernels.choose("scalar").getClass());
        Class<?> nativeOrScalar =
                NativeLaneKernels.load().kernels().isPresent() ? NativeLaneKernels.class : LaneKernels.class;
        assertEquals(nativeOrScalar, LaneKernels.choose(" Native ").getClass());
        Class<?> auto = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                ? VectorLaneKernels.class
                : nativeOrScalar;
        assertEquals(auto, LaneKernels.choose("auto").getClass());
        assertEquals(auto, LaneKernels.choose("vector").getClass());
        assertEquals(auto, LaneKernels.choose("fastest").getClass(), "not a choice: auto");
    }

    /** A native kernel given a range outside its arrays throws, as a Java loop would, before touching memory. */
    @Test
    void aNativeKernelRefusesARangeOutsideItsArrays() {
        LaneKernels kernels = NativeLaneKernels.load().kernels().orElse(null);
        assumeTrue(kernels != null, "no native lane kernels in this build");
        float[] x = new float[100], o = new float[100];
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.relu(x, o, 50, 101));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.tanh(x, new float[64], 0, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.biasRelu(x, 0, new float[40], 0, o, 0, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.biasTanh(x, 0, new float[50], 0, o, 0, 3, 50));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.biasRelu(x, 0, x, 0, o, 40, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.addRowsInto(x, 0, 40, 3, new double[100], 0, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.addRowsInto(x, 0, -1, 3, new double[100], 0, 64));
        assertThrows(
                IndexOutOfBoundsException.class, () -> kernels.maxWithIndex(x, 0, 0, o, 0, new int[63], 0, 0, 1, 64));
        assertThrows(
                IndexOutOfBoundsException.class, () -> kernels.maxWithIndex(x, 0, 40, o, 0, new int[99], 0, 0, 3, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.addWindowRows(x, -1, 0, o, 0, 0, 0, 1, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.addWindowRows(x, 0, 0, o, 0, 30, 0, 3, 1, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> kernels.addWindowRows(x, 0, 32, o, 0, 0, 0, 3, 2, 32));
    }

    /**
     * Random floats of every scale, a third of them negative zero, NaN, ±∞, subnormal, the largest finite value or
     * near the kernels' thresholds (also the operands of {@link LaneKernelsDigest} and
     * {@link NativeLaneKernelsOnAarch64Test}).
     */
    static float[] operands(SplittableRandom random, int n) {
        float[] special = {
            -0f,
            0f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            1e-30f,
            -1e-30f,
            0.25f,
            -0.25f,
            20f,
            88.8f,
            -104f
        };
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextInt(3) == 0
                    ? special[random.nextInt(special.length)]
                    : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-3, 3)));
        }
        return x;
    }

    /** Lengths around the native loops' threshold and the vector widths, so every tail is run. */
    private static final int[] LENGTHS = {1, 7, 16, 31, 32, 33, 64, 100, 1029};

    private static void assertSameBits(float[] expected, float[] actual, String where) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    Float.floatToIntBits(expected[i]),
                    Float.floatToIntBits(actual[i]),
                    where + " at " + i + ": " + expected[i] + " and " + actual[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("others")
    void reluAndItsGradientAreTheScalarLoopsBitForBit(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(5);
        for (int n : LENGTHS) {
            float[] x = operands(random, n + 4), y = operands(random, n + 4);
            float[] b = operands(random, n + 2);
            for (String kernel : new String[] {"relu", "reluBackward", "biasRelu", "addWindowRows"}) {
                float[] expected = operands(new SplittableRandom(n), n + 4), actual = expected.clone();
                for (LaneKernels k : new LaneKernels[] {SCALAR, kernels}) {
                    float[] o = k == SCALAR ? expected : actual;
                    switch (kernel) {
                        case "relu" -> k.relu(x, o, 3, 3 + n);
                        case "reluBackward" -> k.reluBackward(x, y, o, 3, 3 + n);
                        case "biasRelu" -> k.biasRelu(x, 3, b, 1, o, 3, 1, n);
                        default -> k.addWindowRows(y, 2, 0, o, 3, 0, 0, 1, 1, n);
                    }
                }
                assertSameBits(expected, actual, name(kernels) + " " + kernel + ", n " + n);
            }
        }
    }

    /**
     * Rows of a matrix, each with the bias added, from other offsets in x and o than in b: the scalar loops bit for bit;
     * 1, 3 and 45 rows (many rows shorter than a vector, as a convolution's channels, cycle through the tiled bias).
     */
    @ParameterizedTest
    @MethodSource("others")
    void biasAndActivationOverRowsAreTheScalarLoopsBitForBit(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(8);
        for (int n : new int[] {1, 6, 7, 16, 31, 32, 33, 64, 100, 1029}) {
            for (int rows : new int[] {1, 3, 45}) {
                float[] x = operands(random, 5 + rows * n), b = operands(random, n + 1);
                float[] relu = new float[2 + rows * n], tanh = new float[2 + rows * n];
                float[] expectedRelu = relu.clone(), expectedTanh = tanh.clone();
                SCALAR.biasRelu(x, 5, b, 1, expectedRelu, 2, rows, n);
                kernels.biasRelu(x, 5, b, 1, relu, 2, rows, n);
                SCALAR.biasTanh(x, 5, b, 1, expectedTanh, 2, rows, n);
                kernels.biasTanh(x, 5, b, 1, tanh, 2, rows, n);
                String where = name(kernels) + ", " + rows + " rows of " + n;
                assertSameBits(expectedRelu, relu, where + ", bias + ReLU");
                assertSameBits(expectedTanh, tanh, where + ", bias + tanh");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("others")
    void columnSumsAreTheScalarLoopsBitForBit(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(6);
        for (int n : LENGTHS) {
            for (int rows : new int[] {1, 4}) {
                int stride = n + 2; // rows of a wider matrix
                float[] x = operands(random, 3 + rows * stride);
                double[] expected = new double[n + 2];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = random.nextGaussian();
                }
                double[] actual = expected.clone();
                SCALAR.addRowsInto(x, 3, stride, rows, expected, 2, n);
                kernels.addRowsInto(x, 3, stride, rows, actual, 2, n);
                assertArrayEquals(expected, actual, name(kernels) + ", " + rows + " rows of " + n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("others")
    void tanhAndExpAreTheScalarLoopsBitForBit(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : LENGTHS) {
            float[] x = operands(random, n + 1);
            float[] expectedTanh = new float[n + 1], tanh = new float[n + 1];
            float[] expectedExp = new float[n + 1], exp = new float[n + 1];
            SCALAR.tanh(x, expectedTanh, 1, 1 + n);
            kernels.tanh(x, tanh, 1, 1 + n);
            SCALAR.exp(x, expectedExp, 1, 1 + n);
            kernels.exp(x, exp, 1, 1 + n);
            assertSameBits(expectedTanh, tanh, name(kernels) + " tanh, n " + n);
            assertSameBits(expectedExp, exp, name(kernels) + " exp, n " + n);
        }
    }

    /** The bits of every 1021st float (4.2 million of them, across every exponent). */
    private static float[] everyThousandAndTwentyFirstFloat() {
        int stride = 1021, n = (int) ((1L << 32) / stride);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat((int) ((long) i * stride));
        }
        return x;
    }

    /** tanh and exp of every 1021st float: the scalar loops', bit for bit. */
    @ParameterizedTest
    @MethodSource("others")
    void tanhAndExpAreTheScalarLoopsBitForBitAcrossTheFloats(LaneKernels kernels) {
        float[] x = everyThousandAndTwentyFirstFloat();
        int n = x.length;
        float[] expected = new float[n], actual = new float[n];
        SCALAR.tanh(x, expected, 0, n);
        kernels.tanh(x, actual, 0, n);
        assertSameBits(expected, actual, name(kernels) + " tanh");
        SCALAR.exp(x, expected, 0, n);
        kernels.exp(x, actual, 0, n);
        assertSameBits(expected, actual, name(kernels) + " exp");
    }

    /**
     * The scalar tanh and exp of every 1021st float: within 1 ulp of Math.tanh and Math.exp rounded to float, NaN for
     * NaN, the sign of a zero kept.
     */
    @Test
    void tanhAndExpAreWithinOneUlpOfJavasMathAcrossTheFloats() {
        float[] x = everyThousandAndTwentyFirstFloat();
        int n = x.length;
        float[] tanh = new float[n], exp = new float[n];
        SCALAR.tanh(x, tanh, 0, n);
        SCALAR.exp(x, exp, 0, n);
        for (int i = 0; i < n; i++) {
            assertWithinOneUlp((float) Math.tanh(x[i]), tanh[i], "tanh(" + x[i] + ")");
            assertWithinOneUlp((float) Math.exp(x[i]), exp[i], "exp(" + x[i] + ")");
        }
    }

    /** The scalar tanh of a float plus a bias, their sum in double: within 1 ulp of Math.tanh of that sum. */
    @Test
    void biasTanhIsWithinOneUlpOfJavasMath() {
        SplittableRandom random = new SplittableRandom(9);
        int rows = 64, n = 1029;
        float[] x = operands(random, rows * n), b = operands(random, n), tanh = new float[rows * n];
        SCALAR.biasTanh(x, 0, b, 0, tanh, 0, rows, n);
        for (int i = 0; i < tanh.length; i++) {
            float expected = (float) Math.tanh((double) x[i] + b[i % n]);
            assertWithinOneUlp(expected, tanh[i], "tanh(" + x[i] + " + " + b[i % n] + ")");
        }
    }

    /** Equal, or 1 ulp apart, or both NaN; zeros and infinities exactly, sign included. */
    private static void assertWithinOneUlp(float expected, float actual, String where) {
        if (Float.floatToIntBits(expected) == Float.floatToIntBits(actual)) {
            return;
        }
        boolean close = !Float.isNaN(expected)
                && !Float.isInfinite(expected)
                && expected != 0
                && Math.abs(expected - actual) <= Math.ulp(expected);
        assertTrue(close, where + ": " + actual + ", expected " + expected);
    }

    private static String name(LaneKernels kernels) {
        return kernels.toString();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void maxWithIndexKeepsTheFirstMaximumAndWhereItCameFrom(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {1, 7, 16, 32, 45, 100}) {
            float[][] taps = new float[4][n];
            for (float[] tap : taps) {
                for (int j = 0; j < n; j++) { // few distinct values: many ties between taps
                    tap[j] = random.nextInt(3) - 1;
                }
            }
            taps[2][0] = Float.NaN; // a NaN never replaces a value
            taps[1][n - 1] = -0f; // +0 is not greater than -0: the first of the two stays
            taps[3][n - 1] = 0f;
            int offset = 5; // the operands sit inside larger arrays
            float[] max = new float[n + offset];
            int[] arg = new int[n + offset];
            System.arraycopy(taps[0], 0, max, offset, n);
            for (int j = 0; j < n; j++) {
                arg[offset + j] = j;
            }
            for (int t = 1; t < taps.length; t++) {
                float[] x = new float[n + 3];
                System.arraycopy(taps[t], 0, x, 3, n);
                kernels.maxWithIndex(x, 3, 0, max, offset, arg, offset, 1000 * t, 1, n);
            }
            for (int j = 0; j < n; j++) {
                int winner = 0;
                for (int t = 1; t < taps.length; t++) {
                    if (taps[t][j] > taps[winner][j]) {
                        winner = t;
                    }
                }
                String where = name(kernels) + ", n " + n + ", lane " + j;
                assertEquals(taps[winner][j], max[offset + j], where);
                assertEquals(winner == 0 ? j : 1000 * winner + j, arg[offset + j], where);
            }
        }
    }

    /** Windows side by side: each row's tap lies xStride further on in x, its maxima and arguments n further on. */
    @ParameterizedTest
    @MethodSource("others")
    void maxWithIndexOverRowsIsTheScalarLoopsRowByRow(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(9);
        for (int n : LENGTHS) {
            int rows = 3, stride = 2 * n + 1; // a stride of two windows' channels, and one more
            float[] x = operands(random, 4 + rows * stride);
            float[] expectedMax = operands(random, 1 + rows * n), max = expectedMax.clone();
            int[] expectedArg = new int[1 + rows * n], arg = new int[1 + rows * n];
            SCALAR.maxWithIndex(x, 4, stride, expectedMax, 1, expectedArg, 1, 100, rows, n);
            kernels.maxWithIndex(x, 4, stride, max, 1, arg, 1, 100, rows, n);
            assertSameBits(expectedMax, max, name(kernels) + ", " + rows + " rows of " + n);
            assertArrayEquals(expectedArg, arg, name(kernels) + ", " + rows + " rows of " + n);
        }
    }

    /** col2im's windows side by side, two kernel rows each, into output rows where the windows overlap. */
    @ParameterizedTest
    @MethodSource("others")
    void addWindowRowsOverOverlappingWindowsIsTheScalarLoops(LaneKernels kernels) {
        SplittableRandom random = new SplittableRandom(10);
        for (int n : LENGTHS) {
            int windows = 4, rows = 2, xStep = 2 * n + 3, oStep = Math.max(1, n / 3), oRow = 5 * n;
            float[] x = operands(random, 1 + windows * xStep);
            float[] expected = operands(random, 2 + windows * oStep + oRow + n), actual = expected.clone();
            SCALAR.addWindowRows(x, 1, xStep, expected, 2, oStep, oRow, windows, rows, n);
            kernels.addWindowRows(x, 1, xStep, actual, 2, oStep, oRow, windows, rows, n);
            assertSameBits(expected, actual, name(kernels) + ", " + windows + " windows of " + rows + " rows of " + n);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void addWindowRowsAddsEveryLaneOnce(LaneKernels kernels) {
        for (int n : new int[] {1, 15, 16, 96, 101}) {
            float[] x = new float[n + 2], o = new float[n + 4], expected = new float[n + 4];
            for (int j = 0; j < n; j++) {
                x[2 + j] = j * 0.5f;
                o[4 + j] = 1f - j;
                expected[4 + j] = (1f - j) + j * 0.5f;
            }
            kernels.addWindowRows(x, 2, 0, o, 4, 0, 0, 1, 1, n);
            assertArrayEquals(expected, o, name(kernels) + ", n " + n);
        }
    }
}
