package dev.nabla.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** The broken data sets that the rows of {@link BadInvocations} point at ({@code <tmp>/…}). */
final class BadInvocationFiles {
    private BadInvocationFiles() {}

    static void create(Path dir) throws IOException {
        IdxFolders.write(dir.resolve("idx-10x10"), 10, IdxFolders.cycle(40));
        int[] lastIs12 = IdxFolders.cycle(40);
        lastIs12[39] = 12;
        IdxFolders.write(dir.resolve("idx-label-12"), 28, lastIs12);
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
            clusters.append(String.format(
                    Locale.ROOT, "%.3f,%.3f,%d%n", 3 * c + random.nextGaussian(), random.nextGaussian(), c));
            four.append(String.format(
                    Locale.ROOT,
                    "%.3f,%.3f,%.3f,%d%n",
                    3 * c + random.nextGaussian(),
                    random.nextGaussian(),
                    random.nextGaussian(),
                    c));
        }
        Files.writeString(dir.resolve("clusters.csv"), clusters);
        Files.writeString(dir.resolve("four-columns.csv"), four);
    }
}
