package dev.nabla.samples.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorFactory;
import java.util.Locale;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * GEMM through Nabla's CUDA backend ({@code Tensor.matmul}, output allocation and dispatch
 * included) against cuBLAS called directly through JCublas2 on the same device, for the deep
 * MLP's layer shapes at a given batch: the forward product x·W and the two backward products
 * gᵀ-free dx = g·Wᵀ and dW = xᵀ·g (the transposes Nabla passes to cuBLAS as flags).
 *
 * <pre>java … dev.nabla.samples.bench.CudaGemmBenchmark [--batch 128] [--iterations 300]</pre>
 */
public final class CudaGemmBenchmark {
    private static final int[][] LAYERS = {{784, 1024}, {1024, 512}, {512, 512}, {512, 10}};

    static final Options.Spec SPEC = Options.program(
                    "CudaGemmBenchmark",
                    "GEMM through Nabla's CUDA backend against cuBLAS called directly, at the deep MLP's layer shapes.")
            .without("backend", "epochs", "batch-size", "seed", "out")
            .intOption("batch", "N", 128, 1, 1 << 16, "rows of the batch")
            .intOption("iterations", "N", 300, 1, 1_000_000, "products per round (best of 5 rounds)");

    public static void main(String[] args) {
        int code = SampleRunner.run(
                SPEC,
                args,
                job -> run(job.options().integer("batch"), job.options().integer("iterations")));
        if (code != 0) {
            System.exit(code);
        }
    }

    private static void run(int batch, int iterations) {
        Backend cuda = Backends.use("cuda");
        TensorFactory t = Tensor.on(cuda);
        Generator g = new Generator(1);
        System.out.printf(
                Locale.ROOT,
                "GEMM on %s, batch %d, %d iterations a round, best of 5 alternating rounds (FP32, no TF32)%n",
                cuda.deviceName(),
                batch,
                iterations);
        System.out.println("product               m     n     k   nabla GFLOP/s  cuBLAS GFLOP/s  nabla/cuBLAS");
        cublasHandle handle = new cublasHandle();
        JCublas2.cublasCreate(handle);
        for (int[] layer : LAYERS) {
            int in = layer[0], out = layer[1];
            // forward x[b,in]·W[in,out]; backward dx = g[b,out]·Wᵀ; dW = xᵀ·g
            run("x·W", batch, out, in, false, false, iterations, t, g, handle);
            run("g·Wᵀ", batch, in, out, false, true, iterations, t, g, handle);
            run("xᵀ·g", in, out, batch, true, false, iterations, t, g, handle);
        }
        JCublas2.cublasDestroy(handle);
    }

    /** op(A)[m,k]·op(B)[k,n]; A stored [m,k] or [k,m] (transposed), B stored [k,n] or [n,k]. */
    private static void run(
            String name,
            int m,
            int n,
            int k,
            boolean ta,
            boolean tb,
            int iterations,
            TensorFactory t,
            Generator g,
            cublasHandle handle) {
        Backend cuda = t.backend();
        Tensor aStored = ta ? t.uniform(g, -1, 1, k, m) : t.uniform(g, -1, 1, m, k);
        Tensor bStored = tb ? t.uniform(g, -1, 1, n, k) : t.uniform(g, -1, 1, k, n);
        Tensor a = ta ? aStored.t() : aStored;
        Tensor b = tb ? bStored.t() : bStored;
        for (int i = 0; i < 20_000; i++) { // past C2 compilation of the host path (~10k calls), as in any training run
            a.matmul(b).close();
        }

        // The same product, straight through cuBLAS on its default stream, in the context Nabla made current.
        CUdeviceptr pa = new CUdeviceptr(), pb = new CUdeviceptr(), pc = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pa, (long) m * k * Sizeof.FLOAT);
        JCudaDriver.cuMemAlloc(pb, (long) k * n * Sizeof.FLOAT);
        JCudaDriver.cuMemAlloc(pc, (long) m * n * Sizeof.FLOAT);
        Pointer one = Pointer.to(new float[] {1f}), zero = Pointer.to(new float[] {0f});
        int opA = ta ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = tb ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int lda = ta ? m : k, ldb = tb ? k : n;
        Runnable gemm = () -> JCublas2.cublasSgemm(handle, opB, opA, n, m, k, one, pb, ldb, pa, lda, zero, pc, n);
        for (int i = 0; i < 200; i++) {
            gemm.run();
        }
        // Alternate the two sides over five rounds and keep each side's best, so that a noisy
        // moment on a shared machine does not decide the ratio.
        double nabla = 0, direct = 0, flop = 2.0 * m * n * k * iterations;
        for (int round = 0; round < 5; round++) {
            cuda.synchronize();
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                a.matmul(b).close();
            }
            cuda.synchronize();
            nabla = Math.max(nabla, flop / ((System.nanoTime() - start) / 1e9) / 1e9);
            JCudaDriver.cuCtxSynchronize();
            start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                gemm.run();
            }
            JCudaDriver.cuCtxSynchronize();
            direct = Math.max(direct, flop / ((System.nanoTime() - start) / 1e9) / 1e9);
        }
        JCudaDriver.cuMemFree(pa);
        JCudaDriver.cuMemFree(pb);
        JCudaDriver.cuMemFree(pc);
        aStored.close();
        bStored.close();
        System.out.printf(
                Locale.ROOT, "%-18s %5d %5d %5d %15.0f %15.0f %13.2f%n", name, m, n, k, nabla, direct, nabla / direct);
    }
}
