package dev.nabla.samples;

import dev.nabla.data.Mnist;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** The broken data sets that the rows of {@link BadInvocations} point at ({@code <tmp>/…}). */
final class BadInvocationFiles {
    private BadInvocationFiles() {
    }

    static void create(Path dir) throws IOException {
        idx(Files.createDirectories(dir.resolve("idx-10x10")), 10, 0);
        idx(Files.createDirectories(dir.resolve("idx-label-12")), 28, 12);
        Files.writeString(dir.resolve("nan.csv"), "1,2,0\n3,NaN,1\n5,6,2\n7,8,0\n");
        Files.writeString(dir.resolve("inf.csv"), "1,2,0\n3,4,1\n5,Infinity,2\n7,8,0\n");
        Files.writeString(dir.resolve("huge.csv"), "1,2,0\n3,4,1\n5,6,2\n1e40,8,0\n");
        Files.writeString(dir.resolve("one-row.csv"), "1,2,0\n");
        Files.writeString(dir.resolve("two-rows.csv"), "1,2,0\n3,4,1\n");
        Random random = new Random(1);
        StringBuilder clusters = new StringBuilder();
        StringBuilder four = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            int c = i % 3;
            clusters.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", 3 * c + random.nextGaussian(),
                    random.nextGaussian(), c));
            four.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%d%n", 3 * c + random.nextGaussian(),
                    random.nextGaussian(), random.nextGaussian(), c));
        }
        Files.writeString(dir.resolve("clusters.csv"), clusters);
        Files.writeString(dir.resolve("four-columns.csv"), four);
    }

    /** An MNIST-style folder of 40 training and 10 test images of {@code side}×{@code side}, the last label {@code lastLabel}. */
    private static void idx(Path dir, int side, int lastLabel) throws IOException {
        images(dir.resolve(Mnist.TRAIN_IMAGES), 40, side);
        labels(dir.resolve(Mnist.TRAIN_LABELS), 40, lastLabel);
        images(dir.resolve(Mnist.TEST_IMAGES), 10, side);
        labels(dir.resolve(Mnist.TEST_LABELS), 10, lastLabel);
    }

    private static void images(Path file, int count, int side) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x0803);
            out.writeInt(count);
            out.writeInt(side);
            out.writeInt(side);
            byte[] pixels = new byte[count * side * side];
            new Random(2).nextBytes(pixels);
            out.write(pixels);
        }
    }

    private static void labels(Path file, int count, int lastLabel) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(0x0801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(i == count - 1 && lastLabel > 0 ? lastLabel : i % 10);
            }
        }
    }
}
