package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdxTest {
    @TempDir
    Path dir;

    static final double[] SAMPLE = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 127};

    static IdxArray sample(IdxType type) {
        double[] values = SAMPLE.clone();
        if (type != IdxType.UBYTE) {
            values[1] = -1;
        }
        if (!type.isInteger()) {
            values[2] = 0.5;
        }
        return IdxArray.of(type, new int[] {3, 2, 2}, values);
    }

    @ParameterizedTest
    @EnumSource(IdxType.class)
    void everyTypeRoundTripsPlainAndGzip(IdxType type) throws IOException {
        IdxArray original = sample(type);
        for (String name : new String[] {"a-idx3-" + type, "a-idx3-" + type + ".gz"}) {
            Path file = dir.resolve(name);
            Idx.write(file, original);
            IdxArray back = Idx.read(file);
            assertEquals(type, back.type());
            assertArrayEquals(new int[] {3, 2, 2}, back.dims());
            assertArrayEquals(original.toFloatArray(), back.toFloatArray(), name);
            assertEquals(original.get(1), back.get(1));
        }
    }

    @Test
    void gzipIsDetectedByMagicNotByName() throws IOException {
        Path gz = dir.resolve("labels.gz");
        Idx.write(gz, sample(IdxType.UBYTE));
        Path unnamed = Files.copy(gz, dir.resolve("labels-without-extension"));
        assertEquals(0x1f, Files.readAllBytes(unnamed)[0] & 0xFF);
        assertArrayEquals(sample(IdxType.UBYTE).toIntArray(), Idx.read(unnamed).toIntArray());
    }

    @Test
    void readsFromAStream() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Idx.write(bytes, IdxArray.of(IdxType.INT, new int[] {2}, new double[] {-70000, 70000}));
        byte[] plain = bytes.toByteArray();
        assertArrayEquals(
                new byte[] {0, 0, 0x0C, 1, 0, 0, 0, 2}, Arrays.copyOf(plain, 8), "magic and dims, big-endian");
        assertArrayEquals(
                new int[] {-70000, 70000},
                Idx.read(new ByteArrayInputStream(plain), "mem").toIntArray());
        assertArrayEquals(
                new int[] {-70000, 70000},
                Idx.read(new ByteArrayInputStream(gzip(plain)), "mem").toIntArray());
    }

    @Test
    void aWrongMagicNumberIsNamed() throws IOException {
        Path file = write("bad-magic", new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5});
        IOException e = assertThrows(IOException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "01 02 08 01", "expected 00 00 <type> <rank>");
    }

    @Test
    void anUnknownTypeCodeIsNamed() throws IOException {
        Path file = write("bad-type", new byte[] {0, 0, 0x07, 1, 0, 0, 0, 1, 5});
        IOException e = assertThrows(IOException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "0x07", "expected one of 0x08 (ubyte)");
    }

    @Test
    void truncatedDataIsAnEofThatSaysHowMuchWasMissing() throws IOException {
        Path file = write("short", new byte[] {0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 4, 1, 2, 3, 4, 5});
        EOFException e = assertThrows(EOFException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "truncated", "need 12 data bytes", "found 5");
    }

    @Test
    void truncatedGzipDataIsAnEofToo() throws IOException {
        double[] noise =
                new java.util.Random(1).ints(4000, 0, 256).asDoubleStream().toArray();
        byte[] whole = gzip(idxBytes(IdxArray.of(IdxType.UBYTE, new int[] {4000}, noise)));
        Path file = write("short.gz", Arrays.copyOf(whole, whole.length / 2));
        EOFException e = assertThrows(EOFException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "truncated", "need 4000 data bytes");

        byte[] tiny = gzip(idxBytes(sample(IdxType.UBYTE)));
        Path header = write("short-header.gz", Arrays.copyOf(tiny, 12));
        assertContains(
                assertThrows(EOFException.class, () -> Idx.read(header)), header.toString(), "gzip data cut short");
    }

    @Test
    void aTruncatedHeaderIsAnEof() throws IOException {
        Path file = write("short-header", new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0});
        EOFException e = assertThrows(EOFException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "3 dimensions need 12 bytes", "found 5");
        Path tiny = write("tiny", new byte[] {0, 0});
        assertContains(assertThrows(EOFException.class, () -> Idx.read(tiny)), tiny.toString(), "4-byte magic");
        Path empty = write("empty", new byte[0]);
        assertThrows(EOFException.class, () -> Idx.read(empty));
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] idx = idxBytes(sample(IdxType.UBYTE));
        byte[] longer = Arrays.copyOf(idx, idx.length + 3);
        Path file = write("trailing", longer);
        IOException e = assertThrows(IOException.class, () -> Idx.read(file));
        assertContains(e, file.toString(), "3 bytes of trailing data", "[3, 2, 2]");
        Path gz = write("trailing.gz", gzip(longer));
        assertContains(assertThrows(IOException.class, () -> Idx.read(gz)), "trailing data");
    }

    @Test
    void absurdDimensionsFailBeforeAnyLargeAllocation() throws IOException {
        byte ff = (byte) 0xFF;
        Path huge = write("huge", new byte[] {0, 0, 8, 1, ff, ff, ff, ff});
        assertContains(
                assertThrows(IOException.class, () -> Idx.read(huge)), huge.toString(), "4294967295", "Java array");
        Path overflow = write("overflow", new byte[] {0, 0, 0x0E, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2});
        assertContains(assertThrows(IOException.class, () -> Idx.read(overflow)), "dimension 1", "Java array");
        Path rank = write("rank", new byte[] {0, 0, 8, (byte) 200});
        assertContains(assertThrows(IOException.class, () -> Idx.read(rank)), "rank 200");
        // Plausible dims, but the data is absent: reported as truncation, not an OutOfMemoryError.
        Path claims = write("claims", new byte[] {0, 0, 0x0D, 1, 0x1F, ff, ff, 0});
        assertThrows(EOFException.class, () -> Idx.read(claims));
    }

    @Test
    void corruptGzipDataIsNamed() throws IOException {
        byte[] gz = gzip(idxBytes(IdxArray.of(IdxType.UBYTE, new int[] {4000}, ramp(4000))));
        for (int i = 20; i < gz.length - 10; i += 7) {
            gz[i] ^= 0x5A;
        }
        Path file = write("corrupt.gz", gz);
        IOException e = assertThrows(IOException.class, () -> Idx.read(file));
        assertContains(e, file.toString());
    }

    @Test
    void arraysCheckTheirValuesAndSizes() {
        assertContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> IdxArray.of(IdxType.UBYTE, new int[] {1}, new double[] {256})),
                "[0, 255]");
        assertContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> IdxArray.of(IdxType.SHORT, new int[] {1}, new double[] {1.5})),
                "integers");
        assertContains(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> IdxArray.of(IdxType.INT, new int[] {2, 2}, new double[3])),
                "4 elements",
                "3 values");
        assertContains(
                assertThrows(
                        IllegalArgumentException.class, () -> new IdxArray(IdxType.INT, new int[] {2}, new byte[7])),
                "8 bytes",
                "got 7");
        assertContains(
                assertThrows(
                        IllegalArgumentException.class, () -> new IdxArray(IdxType.UBYTE, new int[] {-1}, new byte[0])),
                "≥ 0");
        assertContains(
                assertThrows(
                        IllegalStateException.class, () -> sample(IdxType.FLOAT).toIntArray()),
                "integer type");
        assertEquals(-1, sample(IdxType.BYTE).toIntArray()[1]);
        assertEquals(0.5f, sample(IdxType.DOUBLE).toFloatArray()[2]);
    }

    @Test
    void typeCodesAreTheFormats() {
        assertEquals(0x08, IdxType.UBYTE.code());
        assertEquals(0x0E, IdxType.DOUBLE.code());
        assertEquals(IdxType.SHORT, IdxType.ofCode(0x0B));
        assertEquals(null, IdxType.ofCode(0x0A));
    }

    // ------------------------------------------------------------------ helpers

    static double[] ramp(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (i * 31) % 256;
        }
        return out;
    }

    static byte[] idxBytes(IdxArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.write(out, array);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static void assertContains(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().contains(part),
                    () -> "message should contain '" + part + "' but was: " + e.getMessage());
        }
    }
}
