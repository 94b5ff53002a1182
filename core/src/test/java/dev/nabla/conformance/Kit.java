package dev.nabla.conformance;

import dev.nabla.autograd.GradCheck;
import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;

/**
 * What every conformance spec works with: the backend under test, random inputs with their
 * reference twins, and assertions that count what they checked (the suite reports the count).
 */
final class Kit {
    final Backend backend;
    final TensorFactory t;
    /** FLOAT32, and FLOAT64 when the backend supports it. */
    final List<DType> floatTypes;
    /** FLOAT64 when the backend supports it, else FLOAT32: the type of gradient checks and references. */
    final DType precise;

    final long cleanerReleasesAtStart = Tensor.cleanerReleases();

    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    Kit(Backend backend) {
        this.backend = backend;
        this.t = Tensor.on(backend);
        this.floatTypes =
                backend.supports(DType.FLOAT64) ? List.of(DType.FLOAT32, DType.FLOAT64) : List.of(DType.FLOAT32);
        this.precise = backend.supports(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
    }

    long checks() {
        return checks.get();
    }

    long values() {
        return values.get();
    }

    long failures() {
        return failures.get();
    }

    // ------------------------------------------------------------------ inputs

    /** Value ranges for random inputs; {@code gap} keeps values at least that far from 0 (kinks, poles). */
    record Domain(double low, double high, double gap, boolean whole) {
        static final Domain ANY = new Domain(-3, 3, 0, false);
        static final Domain POSITIVE = new Domain(0.2, 3, 0, false);
        static final Domain AWAY_FROM_ZERO = new Domain(-3, 3, 0.2, false);
        static final Domain SMALL = new Domain(-1, 1, 0, false);
        /** Whole numbers −2 … 2: comparisons meet ties. */
        static final Domain WHOLE = new Domain(-2, 3, 0, true);

        double draw(SplittableRandom random) {
            while (true) {
                double v = random.nextDouble(low, high);
                if (whole) {
                    return Math.floor(v);
                }
                if (Math.abs(v) >= gap) {
                    return v;
                }
            }
        }
    }

    /** How a tensor argument is laid out in memory; each logical value is the same. */
    enum Layout {
        CONTIGUOUS,
        TRANSPOSED,
        STRIDED,
        BROADCAST;

        boolean appliesTo(int[] shape) {
            return switch (this) {
                case CONTIGUOUS -> true;
                case TRANSPOSED -> shape.length >= 2;
                case STRIDED, BROADCAST -> shape.length >= 1;
            };
        }
    }

    /** A tensor argument and its reference twin (the logical, row-major values). */
    record Operand(HostArray host, Tensor tensor, Layout layout) {
        String describe() {
            return Arrays.toString(host.shape) + " " + tensor.dtype() + " "
                    + layout.name().toLowerCase();
        }
    }

    HostArray random(long seed, Domain domain, DType dtype, int... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] data = new double[(int) HostArray.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = domain.draw(random);
        }
        return HostArray.of(data, shape).roundedTo(dtype);
    }

    /**
     * Distinct values spaced at least 0.05 apart in random order, rounded to dtype: inputs of max, min and
     * argmax without ties, safe for central differences with h ≤ 1e−2.
     */
    HostArray distinct(long seed, DType dtype, int... shape) {
        int n = (int) HostArray.size(shape);
        SplittableRandom random = new SplittableRandom(seed);
        double[] data = new double[n];
        for (int i = 0; i < n; i++) {
            data[i] = (i - n / 2.0) * 0.1 + 0.025 + random.nextDouble(-0.02, 0.02);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double swap = data[i];
            data[i] = data[j];
            data[j] = swap;
        }
        return HostArray.of(data, shape).roundedTo(dtype);
    }

    /** A contiguous tensor holding {@code host}'s values. */
    Tensor upload(HostArray host, DType dtype) {
        if (host.rank() == 0) { // of(...) without a shape means 1-D
            return t.full(dtype, host.data[0]);
        }
        return switch (dtype) {
            case FLOAT64 -> t.of(host.data.clone(), host.shape);
            case FLOAT32 -> {
                float[] f = new float[host.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) host.data[i];
                }
                yield t.of(f, host.shape);
            }
            case INT32 -> {
                int[] ints = new int[host.size()];
                for (int i = 0; i < ints.length; i++) {
                    ints[i] = (int) host.data[i];
                }
                yield t.of(ints, host.shape);
            }
        };
    }

    /** A random argument of {@code shape} laid out as {@code layout}. */
    Operand operand(Layout layout, DType dtype, Domain domain, long seed, int... shape) {
        if (!layout.appliesTo(shape)) {
            layout = Layout.CONTIGUOUS;
        }
        HostArray values;
        if (layout == Layout.BROADCAST) {
            int[] stored = shape.clone();
            stored[0] = 1;
            values = random(seed, domain, dtype, stored).broadcastTo(shape);
        } else {
            values = random(seed, domain, dtype, shape);
        }
        return new Operand(values, layOut(values, layout, dtype), layout);
    }

    /** The values of {@code values} (row-major) as {@code layout}; also {@link #distinct} values. */
    Operand operand(HostArray values, Layout layout, DType dtype) {
        return new Operand(
                values, layOut(values, layout, dtype), layout.appliesTo(values.shape) ? layout : Layout.CONTIGUOUS);
    }

    /**
     * A tensor holding {@code values} as a view of a differently stored buffer: the transpose of
     * a transposed upload, every second row of a buffer with filler rows (stride 2, offset 1), or
     * row 0 broadcast along axis 0 (the values must then repeat along axis 0).
     */
    Tensor layOut(HostArray values, Layout layout, DType dtype) {
        if (!layout.appliesTo(values.shape)) {
            return upload(values, dtype);
        }
        int[] shape = values.shape;
        switch (layout) {
            case TRANSPOSED:
                return upload(values.t(), dtype).t();
            case STRIDED: {
                int[] stored = shape.clone();
                stored[0] = 2 * shape[0] + 1;
                double[] raw = new double[(int) HostArray.size(stored)];
                Arrays.fill(raw, 99); // filler a wrong stride would read
                int block = shape[0] == 0 ? 0 : values.size() / shape[0];
                for (int i = 0; i < shape[0]; i++) {
                    System.arraycopy(values.data, i * block, raw, (2 * i + 1) * block, block);
                }
                return upload(HostArray.of(raw, stored), dtype).slice(0, 1, stored[0], 2);
            }
            case BROADCAST: {
                if (shape[0] == 0) {
                    int[] one = shape.clone();
                    one[0] = 1;
                    return upload(HostArray.of(new double[(int) HostArray.size(one)], one), dtype)
                            .broadcastTo(shape);
                }
                return upload(values.slice(0, 0, 1, 1), dtype).broadcastTo(shape);
            }
            default:
                return upload(values, dtype);
        }
    }

    // ------------------------------------------------------------------ assertions (counted)

    /** Checks shape and every value of {@code actual} against the reference. */
    void assertClose(String what, HostArray expected, Tensor actual, Tolerance tolerance) {
        checks.incrementAndGet();
        if (!Arrays.equals(expected.shape, actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape));
        }
        double[] got = actual.toDoubleArray();
        values.addAndGet(got.length);
        int bad = 0, first = -1;
        for (int i = 0; i < got.length; i++) {
            if (!tolerance.accepts(expected.data[i], got[i], expected.scaleAt(i))) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(what + " on " + backend.name() + ": " + bad + " of " + got.length
                    + " values differ from the reference ("
                    + tolerance + "); first at index " + Arrays.toString(HostArray.unravel(first, expected.shape))
                    + ": got "
                    + got[first] + ", expected " + expected.data[first] + " (error scale " + expected.scaleAt(first)
                    + ")");
        }
    }

    /** Checks shape and values exactly. */
    void assertExact(String what, HostArray expected, Tensor actual) {
        assertClose(what, expected, actual, Tolerance.EXACT);
    }

    /** Checks {@code actual} against literal values (e.g. the worked examples' numbers) within an absolute tolerance. */
    void assertValues(String what, double[] expected, Tensor actual, double absoluteTolerance) {
        checks.incrementAndGet();
        double[] got = actual.toDoubleArray();
        values.addAndGet(got.length);
        if (got.length != expected.length) {
            fail(what + ": " + got.length + " values " + Arrays.toString(got) + ", expected " + expected.length + " "
                    + Arrays.toString(expected));
        }
        for (int i = 0; i < got.length; i++) {
            if (got[i] != expected[i] && !(Math.abs(got[i] - expected[i]) <= absoluteTolerance)) {
                fail(what + " on " + backend.name() + ": got " + Arrays.toString(got) + ", expected "
                        + Arrays.toString(expected) + " (±" + absoluteTolerance + "); index " + i + " differs");
            }
        }
    }

    void assertValue(String what, double expected, double actual, double absoluteTolerance) {
        checks.incrementAndGet();
        values.incrementAndGet();
        if (actual != expected && !(Math.abs(actual - expected) <= absoluteTolerance)) {
            fail(what + " on " + backend.name() + ": got " + actual + ", expected " + expected + " (±"
                    + absoluteTolerance + ")");
        }
    }

    void assertShape(String what, int[] expected, Tensor actual) {
        checks.incrementAndGet();
        if (!Arrays.equals(expected, actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected));
        }
    }

    void assertTrue(String what, boolean condition) {
        checks.incrementAndGet();
        if (!condition) {
            fail(what);
        }
    }

    void assertEquals(String what, Object expected, Object actual) {
        checks.incrementAndGet();
        if (!java.util.Objects.equals(expected, actual)) {
            fail(what + ": got " + actual + ", expected " + expected);
        }
    }

    /** Asserts {@code action} throws {@code type} and that its message contains every fragment. */
    <E extends Throwable> E assertThrows(String what, Class<E> type, Runnable action, String... fragments) {
        checks.incrementAndGet();
        E thrown;
        try {
            action.run();
            fail(what + ": expected " + type.getSimpleName() + ", nothing was thrown");
            return null;
        } catch (Throwable e) {
            if (!type.isInstance(e)) {
                fail(what + ": expected " + type.getSimpleName() + ", got " + e);
            }
            thrown = type.cast(e);
        }
        String message = String.valueOf(thrown.getMessage());
        for (String fragment : fragments) {
            if (!message.contains(fragment)) {
                fail(what + ": the message should name '" + fragment + "' but reads: " + message);
            }
        }
        return thrown;
    }

    /** Runs a gradient check of {@code f} at {@code inputs} (in FLOAT64 when the backend supports it). */
    GradCheck.Result assertGradients(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        checks.incrementAndGet();
        GradCheck.Result result = GradCheck.check(f, List.of(inputs));
        for (Tensor input : inputs) {
            values.addAndGet(input.size());
        }
        if (!result.passed()) {
            fail(what + " on " + backend.name() + ": " + result);
        }
        return result;
    }

    void fail(String message) {
        failures.incrementAndGet();
        Assertions.fail(message);
    }
}
