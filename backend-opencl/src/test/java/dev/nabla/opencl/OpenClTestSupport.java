package dev.nabla.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.backend.Availability;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.View;
import org.junit.jupiter.api.Assumptions;

/**
 * One OpenCL backend shared by this module's tests, so PoCL builds each program once per run.
 * Where OpenCL is unavailable the tests are skipped with the reason, except under CI=true,
 * where that is a failure (CI installs PoCL).
 */
final class OpenClTestSupport {
    private static OpenClBackend shared;
    private static boolean skipPrinted;

    private OpenClTestSupport() {}

    /**
     * Returns where OpenCL is available; else skips the calling test with the reason (printed once per
     * run) or, under CI=true, fails it: CI installs PoCL.
     */
    static synchronized void requireOpenCl() {
        Availability availability = new OpenClBackendProvider().availability();
        if (!availability.available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("OpenCL must run in CI (.ci/run installs PoCL) but is " + availability);
            }
            if (!skipPrinted) {
                skipPrinted = true;
                System.out.println(
                        "[opencl tests] the tests that need an OpenCL device are skipped: OpenCL is " + availability);
            }
            Assumptions.abort("OpenCL is " + availability);
        }
    }

    static synchronized OpenClBackend backend() {
        if (shared == null) {
            requireOpenCl();
            shared = (OpenClBackend) new OpenClBackendProvider().create(0);
            System.out.println("[opencl tests] running on " + shared.deviceName());
        }
        return shared;
    }

    static View upload(float[] values, int... shape) {
        DeviceBuffer b = backend().allocate(DType.FLOAT32, values.length);
        backend().write(b, 0, values, 0, values.length);
        return View.contiguous(b, shape);
    }

    static View uploadDouble(double[] values, int... shape) {
        DeviceBuffer b = backend().allocate(DType.FLOAT64, values.length);
        backend().write(b, 0, values, 0, values.length);
        return View.contiguous(b, shape);
    }

    static View uploadInt(int[] values, int... shape) {
        DeviceBuffer b = backend().allocate(DType.INT32, values.length);
        backend().write(b, 0, values, 0, values.length);
        return View.contiguous(b, shape);
    }

    static View empty(DType dtype, int... shape) {
        long n = 1;
        for (int e : shape) {
            n *= e;
        }
        return View.contiguous(backend().allocate(dtype, n), shape);
    }

    /** The elements of a contiguous view. */
    static float[] download(View v) {
        float[] out = new float[(int) v.size()];
        backend().read(v.buffer(), v.offset(), out, 0, out.length);
        return out;
    }

    static double[] downloadDouble(View v) {
        double[] out = new double[(int) v.size()];
        backend().read(v.buffer(), v.offset(), out, 0, out.length);
        return out;
    }

    static int[] downloadInt(View v) {
        int[] out = new int[(int) v.size()];
        backend().read(v.buffer(), v.offset(), out, 0, out.length);
        return out;
    }

    static void release(View... views) {
        for (View v : views) {
            backend().release(v.buffer());
        }
    }

    /** Deterministic values in [low, high). */
    static float[] values(int n, long seed, double low, double high) {
        java.util.Random random = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return v;
    }

    /** |actual − expected| ≤ abs + rel·|expected|, with NaN equal to NaN and infinities equal. */
    static void assertClose(double expected, double actual, double rel, double abs, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, 0, what);
            return;
        }
        if (!(Math.abs(actual - expected) <= abs + rel * Math.abs(expected))) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }
}
