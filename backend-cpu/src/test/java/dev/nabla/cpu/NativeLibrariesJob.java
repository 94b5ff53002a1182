package dev.nabla.cpu;

import dev.nabla.backend.Backends;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * The program of {@link TemporaryFilesTest}: loads everything native the CPU backend uses (netlib's
 * BLAS when the system has one, the BLAS thread control library) by running one matrix product,
 * prints "ready", then waits to be killed.
 */
public final class NativeLibrariesJob {
    private NativeLibrariesJob() {}

    public static void main(String[] args) throws InterruptedException {
        var cpu = Backends.get("cpu", 0);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).to(cpu);
        System.out.println("product " + Arrays.toString(a.matmul(a).toFloatArray()));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
