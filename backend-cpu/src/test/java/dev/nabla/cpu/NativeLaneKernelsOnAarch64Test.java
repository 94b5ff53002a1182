package dev.nabla.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The lane kernels as the build compiles them for Linux aarch64 (where its cross compiler is installed: the jar's
 * {@code linux-aarch64/libnablalanes.so}) compute what the scalar Java loops compute, bit for bit: the same C, built
 * into a program ({@code src/test/native/lane-kernels-check}) that qemu runs as an aarch64 CPU would, on random
 * floats with every kind of special value among them. What this does not show: an aarch64 JVM loading the library
 * (its JNI entry points are the same C as on x86-64), or how fast the kernels run on a real aarch64 CPU.
 */
class NativeLaneKernelsOnAarch64Test {
    private static final Path CHECK = Path.of("target/native-check/linux-aarch64/lane-kernels-check");
    private static final LaneKernels SCALAR = new LaneKernels();
    private static final int ROWS = 8, COLS = 1029, N = ROWS * COLS;

    @Test
    void theAarch64BuildComputesTheScalarLoopsBitForBit() throws Exception {
        require(
                Files.isExecutable(CHECK),
                "the lane kernels were not built for Linux aarch64 (no aarch64-linux-gnu-gcc"
                        + " at build time: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)");
        require(onPath("qemu-aarch64"), "no qemu-aarch64 to run them (apt-get install qemu-user)");
        assertNotNull(
                NativeLaneKernels.class.getResource(NativeLaneKernels.resource("Linux", "aarch64")),
                "the library an aarch64 JVM loads is in the jar");

        SplittableRandom random = new SplittableRandom(20261208);
        float[] x = LaneKernelsTest.operands(random, N), y = LaneKernelsTest.operands(random, N);
        float[] b = LaneKernelsTest.operands(random, COLS);
        ByteBuffer out = ByteBuffer.wrap(run(request(x, y, b))).order(ByteOrder.nativeOrder());

        float[] o = new float[N];
        SCALAR.relu(x, o, 0, N);
        assertSameFloats(o, out, "relu");
        SCALAR.reluBackward(x, y, o, 0, N);
        assertSameFloats(o, out, "reluBackward");
        SCALAR.tanh(x, o, 0, N);
        assertSameFloats(o, out, "tanh");
        SCALAR.exp(x, o, 0, N);
        assertSameFloats(o, out, "exp");
        SCALAR.biasRelu(x, 0, b, 0, o, 0, ROWS, COLS);
        assertSameFloats(o, out, "biasRelu");
        SCALAR.biasTanh(x, 0, b, 0, o, 0, ROWS, COLS);
        assertSameFloats(o, out, "biasTanh");

        double[] sums = new double[COLS];
        SCALAR.addRowsInto(y, 0, COLS, ROWS, sums, 0, COLS);
        double[] nativeSums = new double[COLS];
        out.asDoubleBuffer().get(nativeSums);
        out.position(out.position() + 8 * COLS);
        assertArrayEquals(sums, nativeSums, "addRowsInto");

        float[] max = java.util.Arrays.copyOf(x, COLS);
        int[] arg = new int[COLS];
        for (int j = 0; j < COLS; j++) {
            arg[j] = j;
        }
        for (int r = 1; r < ROWS; r++) {
            SCALAR.maxWithIndex(x, r * COLS, COLS, max, 0, arg, 0, r * COLS, 1, COLS);
        }
        assertSameFloats(max, out, "maxWithIndex's maxima");
        int[] nativeArg = new int[COLS];
        out.asIntBuffer().get(nativeArg);
        out.position(out.position() + 4 * COLS);
        assertArrayEquals(arg, nativeArg, "maxWithIndex's indices");

        float[] windows = new float[5 * COLS];
        SCALAR.addWindowRows(x, 0, 2 * COLS, windows, 0, COLS, COLS, 4, 2, COLS);
        assertSameFloats(windows, out, "addWindowRows");
        assertEquals(0, out.remaining(), "nothing more printed");
    }

    private static byte[] request(float[] x, float[] y, float[] b) {
        ByteBuffer in = ByteBuffer.allocate(8 + 4 * (2 * N + COLS)).order(ByteOrder.nativeOrder());
        in.putInt(ROWS).putInt(COLS);
        for (float[] a : new float[][] {x, y, b}) {
            for (float v : a) {
                in.putFloat(v);
            }
        }
        return in.array();
    }

    /** What the check program prints for this input, run by qemu-aarch64. */
    private static byte[] run(byte[] input) throws IOException, InterruptedException {
        Process child = new ProcessBuilder("qemu-aarch64", CHECK.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread feeder = new Thread(() -> {
            try (OutputStream stdin = child.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // the program ended early: its exit status says why
            }
        });
        feeder.start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        child.getInputStream().transferTo(printed);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "lane-kernels-check finished");
        feeder.join();
        assertEquals(0, child.exitValue(), "lane-kernels-check's exit status");
        return printed.toByteArray();
    }

    private static void assertSameFloats(float[] expected, ByteBuffer out, String kernel) {
        for (int i = 0; i < expected.length; i++) {
            float actual = out.getFloat();
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual)) {
                fail(kernel + " at " + i + ": the scalar loops give " + expected[i] + ", aarch64 " + actual);
            }
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Skips with the reason, or fails under CI=true, where .ci/run installs the cross compiler and qemu. */
    private static void require(boolean present, String why) {
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + "; CI installs them (.ci/run)");
        }
        Assumptions.assumeTrue(present, why);
    }
}
