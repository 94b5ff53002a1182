package dev.nabla.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.Random;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import org.junit.jupiter.api.Test;

/**
 * cuBLAS GEMM through JCublas2 on a real GPU, after {@link CublasCompat#prepare()}: on a CUDA-13-only
 * host this runs through the libcublas.so.12 shim. Skips, with the reason, where there is no GPU.
 */
class CublasGpuGemmTest {
    @Test
    void sgemmWithAndWithoutTransposesMatchesTheHostProduct() {
        assumeGpu();
        Optional<String> problem = CublasCompat.prepare();
        assertEquals(Optional.empty(), problem, "cuBLAS must be usable on a GPU host");
        CUdevice device = new CUdevice();
        CUcontext context = new CUcontext();
        JCudaDriver.cuDeviceGet(device, 0);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        cublasHandle handle = new cublasHandle();
        try {
            JCudaDriver.cuCtxSetCurrent(context);
            JCublas2.setExceptionsEnabled(true);
            JCublas2.cublasCreate(handle);
            int[] version = new int[1];
            JCublas2.cublasGetVersion(handle, version);
            System.out.println("cuBLAS version " + version[0] + " through JCublas2 " + JCublas2.class.getPackage());
            int m = 128;
            int n = 96;
            int k = 200;
            for (int transA : new int[] {cublasOperation.CUBLAS_OP_N, cublasOperation.CUBLAS_OP_T}) {
                for (int transB : new int[] {cublasOperation.CUBLAS_OP_N, cublasOperation.CUBLAS_OP_T}) {
                    checkGemm(handle, transA, transB, m, n, k);
                }
            }
        } finally {
            JCublas2.cublasDestroy(handle);
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
    }

    /** Column-major C (m x n) = op(A) op(B), op(A) m x k, op(B) k x n, compared with a host product. */
    private static void checkGemm(cublasHandle handle, int transA, int transB, int m, int n, int k) {
        Random random = new Random(42 + 4L * transA + transB);
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        int lda = transA == cublasOperation.CUBLAS_OP_N ? m : k;
        int ldb = transB == cublasOperation.CUBLAS_OP_N ? k : n;
        CUdeviceptr da = upload(a);
        CUdeviceptr db = upload(b);
        CUdeviceptr dc = upload(new float[m * n]);
        try {
            JCublas2.cublasSgemm(
                    handle,
                    transA,
                    transB,
                    m,
                    n,
                    k,
                    Pointer.to(new float[] {1}),
                    da,
                    lda,
                    db,
                    ldb,
                    Pointer.to(new float[] {0}),
                    dc,
                    m);
            float[] c = new float[m * n];
            JCudaDriver.cuCtxSynchronize();
            JCudaDriver.cuMemcpyDtoH(Pointer.to(c), dc, (long) c.length * Float.BYTES);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double expected = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA == cublasOperation.CUBLAS_OP_N ? a[i + p * lda] : a[p + i * lda];
                        float bv = transB == cublasOperation.CUBLAS_OP_N ? b[p + j * ldb] : b[j + p * ldb];
                        expected += (double) av * bv;
                    }
                    if (Math.abs(c[i + j * m] - expected) > 1e-3 * (1 + Math.abs(expected))) {
                        fail("transA=" + transA + " transB=" + transB + ": C[" + i + "," + j + "] = " + c[i + j * m]
                                + ", expected " + expected);
                    }
                }
            }
        } finally {
            JCudaDriver.cuMemFree(da);
            JCudaDriver.cuMemFree(db);
            JCudaDriver.cuMemFree(dc);
        }
    }

    private static float[] randoms(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }

    private static CUdeviceptr upload(float[] values) {
        CUdeviceptr pointer = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pointer, (long) values.length * Float.BYTES);
        JCudaDriver.cuMemcpyHtoD(pointer, Pointer.to(values), (long) values.length * Float.BYTES);
        return pointer;
    }

    private static void assumeGpu() {
        dev.nabla.backend.Availability driver = CudaProbe.driver();
        if (!driver.available()) {
            System.out.println("[cublas-gpu] skipped: no GPU: " + driver.detail());
        }
        assumeTrue(driver.available(), () -> "no GPU: " + driver.detail());
        int status;
        int[] count = {0};
        try {
            JCudaDriver.setExceptionsEnabled(false);
            status = JCudaDriver.cuInit(0);
            if (status == CUresult.CUDA_SUCCESS) {
                status = JCudaDriver.cuDeviceGetCount(count);
            }
        } catch (LinkageError e) {
            assumeTrue(false, "no CUDA driver: " + e.getMessage());
            return;
        }
        // JCuda's exception flag is global: leave it off, as the CUDA backend (which checks return codes) expects
        assumeTrue(status == CUresult.CUDA_SUCCESS, "CUDA driver: " + CUresult.stringFor(status));
        assumeTrue(count[0] > 0, "no CUDA device");
    }
}
