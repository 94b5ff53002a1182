package dev.nabla.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The kernel sources shipped in this jar: PTX built from {@code src/main/cuda/*.cu} and the
 * OpenCL C of {@code src/main/opencl/*.cl}.
 *
 * <pre>{@code
 * String ptx = KernelSources.cudaPtx("elementwise");     // dev/nabla/kernels/cuda/elementwise.ptx
 * String cl  = KernelSources.openCl("elementwise");      // dev/nabla/kernels/opencl/elementwise.cl
 * }</pre>
 */
public final class KernelSources {
    private KernelSources() {}

    /** The PTX of {@code src/main/cuda/<name>.cu}. */
    public static String cudaPtx(String name) {
        return read("cuda/" + name + ".ptx");
    }

    /** The OpenCL C source {@code src/main/opencl/<name>.cl}. */
    public static String openCl(String name) {
        return read("opencl/" + name + ".cl");
    }

    private static String read(String path) {
        String resource = "/dev/nabla/kernels/" + path;
        try (InputStream in = KernelSources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + resource + " is missing from nabla-kernels");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + resource, e);
        }
    }
}
