package dev.nabla.data;

import dev.nabla.io.FileErrors;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes the IDX format of the MNIST files: a magic number {@code 00 00 <type> <rank>},
 * {@code rank} big-endian 32-bit dimensions, then the elements, big-endian, in row-major order.
 * Gzip-compressed files are recognised by their own magic number ({@code 1f 8b}), whatever their name.
 *
 * <pre>{@code
 * IdxArray images = Idx.read(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"));
 * images.type();   // UBYTE
 * images.dims();   // {10000, 28, 28}
 * }</pre>
 *
 * <p>A file that is not exactly one well-formed IDX array is an {@link IOException} whose message names
 * the file, what was found and what was expected: a wrong magic number or type code, a dimension
 * that is negative or too large for a Java array, data cut short ({@link EOFException}), or bytes
 * left over after the last element. A file that cannot be opened is one too, saying why ("permission
 * denied", "no such file"; an {@link java.nio.file.AccessDeniedException} or
 * {@link java.nio.file.NoSuchFileException}).
 */
public final class Idx {
    /** Ranks above this are treated as a corrupt header rather than an attempt to read billions of dims. */
    static final int MAX_RANK = 16;

    private static final int FIRST_CHUNK = 1 << 24;

    private Idx() {}

    /** Reads an IDX file, plain or gzip. */
    public static IdxArray read(Path file) throws IOException {
        InputStream opened;
        try {
            opened = Files.newInputStream(file);
        } catch (IOException e) {
            throw FileErrors.explain(e, file, "a readable IDX file (plain or gzip)");
        }
        try (InputStream in = opened) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one IDX array from {@code in} (plain or gzip) and checks that nothing follows it.
     * {@code name} is used in error messages only. The stream is not closed.
     */
    public static IdxArray read(InputStream in, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        InputStream source = decompressed(buffered, name);
        boolean gzip = source != buffered;
        try {
            return parse(source, name);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(name + ": ")) {
                throw e;
            }
            // Failures inside the JDK's streams (gzip above all) carry no file name: add it.
            String what =
                    !gzip ? "read failed" : e instanceof EOFException ? "gzip data cut short" : "corrupt gzip data";
            IOException named = e instanceof EOFException
                    ? new EOFException(name + ": " + what + " (" + e.getMessage() + ")")
                    : new IOException(name + ": " + what + " (" + e.getMessage() + ")");
            named.initCause(e);
            throw named;
        }
    }

    /** Writes {@code array} to {@code file}, gzip-compressed when the name ends with ".gz". */
    public static void write(Path file, IdxArray array) throws IOException {
        boolean gzip =
                file.getFileName() != null && file.getFileName().toString().endsWith(".gz");
        OutputStream opened;
        try {
            opened = Files.newOutputStream(file);
        } catch (IOException e) {
            throw FileErrors.explain(e, file, "a file this user can write, in an existing folder");
        }
        try (OutputStream raw = opened;
                OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16)) {
            write(out, array);
        }
    }

    /** Writes {@code array} as plain IDX to {@code out} (not closed; flushed). */
    public static void write(OutputStream out, IdxArray array) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeByte(0);
        data.writeByte(0);
        data.writeByte(array.type().code());
        data.writeByte(array.rank());
        for (int d : array.dims()) {
            data.writeInt(d);
        }
        data.write(array.rawBytes());
        data.flush();
    }

    private static InputStream decompressed(BufferedInputStream in, String name) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                // Not wrapped in a BufferedInputStream: its read() loops on until EOF and would lose the
                // count of bytes read before a cut-off gzip stream fails.
                return new GZIPInputStream(in, 1 << 16);
            } catch (IOException e) {
                throw new IOException(
                        name + ": starts like gzip (1f 8b) but its gzip header is corrupt (" + e.getMessage() + ")", e);
            }
        }
        return in;
    }

    private static IdxArray parse(InputStream in, String name) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new EOFException(name + ": " + got + " bytes; an IDX file starts with a 4-byte magic number "
                    + "00 00 <type> <rank>");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(name + ": not an IDX file: magic number starts " + hex(magic)
                    + "; expected 00 00 <type> <rank> (or gzip's 1f 8b)");
        }
        IdxType type = IdxType.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new IOException(name + ": unknown IDX type code " + String.format("0x%02X", magic[2] & 0xFF)
                    + " in magic number " + hex(magic) + "; expected one of " + IdxType.allCodes());
        }
        int rank = magic[3] & 0xFF;
        if (rank > MAX_RANK) {
            throw new IOException(name + ": IDX rank " + rank + " in magic number " + hex(magic) + "; expected at most "
                    + MAX_RANK + " dimensions (a corrupt header?)");
        }
        byte[] header = new byte[4 * rank];
        got = in.readNBytes(header, 0, header.length);
        if (got < header.length) {
            throw new EOFException(name + ": truncated header: " + rank + " dimensions need " + header.length
                    + " bytes after the magic number, found " + got);
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xFFL) << 24)
                    | ((header[4 * i + 1] & 0xFFL) << 16)
                    | ((header[4 * i + 2] & 0xFFL) << 8)
                    | (header[4 * i + 3] & 0xFFL);
            elements *= d;
            if (d > Integer.MAX_VALUE || elements * type.bytes() > Integer.MAX_VALUE - 8) {
                throw new IOException(name + ": IDX dimension " + i + " is " + d + " (header dims so far "
                        + Arrays.toString(Arrays.copyOf(dims, i)) + "); the " + type + " data would exceed "
                        + (Integer.MAX_VALUE - 8) + " bytes, the most a Java array holds (a corrupt header?)");
            }
            dims[i] = (int) d;
        }
        int byteCount = (int) (elements * type.bytes());
        byte[] data = readExactly(in, byteCount, name, type, dims);
        long trailing = countRemaining(in);
        if (trailing > 0) {
            throw new IOException(name + ": " + (trailing >= 1 << 20 ? "at least " : "") + trailing
                    + (trailing == 1 ? " byte" : " bytes") + " of trailing data after the " + elements + " " + type
                    + " elements of dims "
                    + Arrays.toString(dims) + "; expected the file to end there");
        }
        return new IdxArray(type, dims, data);
    }

    /**
     * Reads exactly {@code count} bytes, growing the buffer as data arrives, so that a corrupt header
     * claiming gigabytes fails on the short data rather than on the allocation.
     */
    private static byte[] readExactly(InputStream in, int count, String name, IdxType type, int[] dims)
            throws IOException {
        byte[] buffer = new byte[Math.min(count, FIRST_CHUNK)];
        int filled = 0;
        while (filled < count) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(count, 2L * buffer.length));
            }
            int n;
            try {
                n = in.read(buffer, filled, buffer.length - filled);
            } catch (EOFException e) {
                n = -1; // GZIPInputStream reports a cut-off gzip stream this way
            }
            if (n < 0) {
                throw new EOFException(name + ": truncated: dims " + Arrays.toString(dims) + " of " + type + " need "
                        + count + " data bytes after the " + (4 + 4 * dims.length) + "-byte header; found " + filled);
            }
            filled += n;
        }
        return buffer;
    }

    private static long countRemaining(InputStream in) throws IOException {
        long total = 0;
        byte[] skip = new byte[8192];
        int n;
        while (total < 1 << 20 && (n = in.read(skip)) > 0) {
            total += n;
        }
        return total;
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(String.format("%02x", b & 0xFF));
        }
        return out.toString();
    }
}
