package dev.nabla.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The program of {@link LaneKernelsJitTest}: runs every lane kernel of the implementation the arguments name
 * ({@code vector}: the Vector API's, all its own, none from the native loops; {@code native} or
 * {@code scalar}) on fixed operands, prints one line per kernel with a checksum of
 * its outputs' bits, each line starting with {@link #PREFIX} (the JVM may print warnings of its own).
 */
public final class LaneKernelsDigest {
    private LaneKernelsDigest() {}

    static final String PREFIX = "digest: ";

    /** Arguments: the implementation, and how many times to run the kernels before the run whose digests it prints. */
    public static void main(String[] args) {
        LaneKernels kernels = args[0].equals("vector") ? new VectorLaneKernels(null) : LaneKernels.choose(args[0]);
        for (int i = Integer.parseInt(args[1]); i > 0; i--) {
            digests(kernels);
        }
        for (String line : digests(kernels)) {
            System.out.println(PREFIX + line);
        }
    }

    /** "kernel checksum" for each kernel, over random floats with every kind of special value among them. */
    static List<String> digests(LaneKernels k) {
        SplittableRandom random = new SplittableRandom(20261208);
        int rows = 8, n = 1029, size = rows * n;
        float[] x = LaneKernelsTest.operands(random, size), y = LaneKernelsTest.operands(random, size);
        float[] b = LaneKernelsTest.operands(random, n);
        List<String> lines = new ArrayList<>();
        lines.add("implementation " + k.getClass().getSimpleName());
        float[] o = new float[size];
        k.relu(x, o, 0, size);
        lines.add("relu " + crc(o));
        k.reluBackward(x, y, o, 0, size);
        lines.add("reluBackward " + crc(o));
        k.tanh(x, o, 0, size);
        lines.add("tanh " + crc(o));
        k.exp(x, o, 0, size);
        lines.add("exp " + crc(o));
        k.biasRelu(x, 0, b, 0, o, 0, rows, n);
        lines.add("biasRelu " + crc(o));
        k.biasTanh(x, 0, b, 0, o, 0, rows, n);
        lines.add("biasTanh " + crc(o));
        float[] finite = new float[size]; // a sum over a NaN or an infinity is one whatever the order of its adds
        for (int i = 0; i < size; i++) {
            finite[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-3, 3)));
        }
        double[] acc = new double[n];
        k.addRowsInto(finite, 0, n, rows, acc, 0, n);
        double[] sums = new double[64]; // sums of many lengths and offsets: an order of adds that differs shows in some
        for (int i = 0; i < sums.length; i++) {
            sums[i] = k.sum(finite, 17 * i, 1024 + 3 * i);
        }
        lines.add("addRowsInto " + crc(acc) + ", sum " + crc(sums));
        float[] max = new float[n];
        int[] arg = new int[n];
        k.maxWithIndex(x, 0, n, max, 0, arg, 0, 0, 1, n);
        k.maxWithIndex(y, 0, n, max, 0, arg, 0, n, 1, n);
        lines.add("maxWithIndex " + crc(max) + " " + crc(arg));
        float[] windows = new float[size];
        k.addWindowRows(x, 0, 2 * n, windows, 0, n, n, 4, 2, n);
        lines.add("addWindowRows " + crc(windows));
        return lines;
    }

    private static String crc(float[] v) {
        CRC32 crc = new CRC32();
        for (float f : v) {
            crc.update(Float.floatToIntBits(f)); // NaNs as one NaN: a NaN's payload is not a result
        }
        return Long.toHexString(crc.getValue());
    }

    private static String crc(double[] v) {
        CRC32 crc = new CRC32();
        for (double d : v) {
            long bits = Double.doubleToLongBits(d);
            crc.update((int) bits);
            crc.update((int) (bits >>> 32));
        }
        return Long.toHexString(crc.getValue());
    }

    private static String crc(int[] v) {
        CRC32 crc = new CRC32();
        for (int i : v) {
            crc.update(i);
        }
        return Long.toHexString(crc.getValue());
    }
}
