package dev.nabla.cuda;

import java.util.Arrays;
import java.util.Optional;
import jcuda.Pointer;
import jcuda.jcublas.JCublas;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;

/**
 * Child-JVM program of {@link CublasCompatTest}: points Nabla at the libcublas.so.13 given as the
 * argument, prepares cuBLAS, and drives JCublas (legacy) and JCublas2 calls against it, printing
 * one line per call. The stand-in's "device memory" is host memory.
 */
public final class CublasShimProbe {
    private CublasShimProbe() {}

    public static void main(String[] args) {
        System.setProperty(CublasCompat.LIBRARY_PROPERTY, args[0]);
        Optional<String> problem = CublasCompat.prepare();
        System.out.println("prepare: " + problem.orElse("ok"));
        if (problem.isPresent()) {
            System.exit(2);
        }
        JCublas.setExceptionsEnabled(false);
        JCublas2.setExceptionsEnabled(false);
        cublasHandle handle = new cublasHandle();
        System.out.println("create: " + JCublas2.cublasCreate(handle));
        int[] version = new int[1];
        System.out.println("version: " + JCublas2.cublasGetVersion(handle, version) + " " + version[0]);

        Pointer a = upload(1, 4, 2, 5, 3, 6); // 2x3, column-major
        Pointer b = upload(1, 0, 1, 0, 1, 1); // 3x2, column-major
        Pointer c = upload(0, 0, 0, 0);
        int status = JCublas2.cublasSgemm(
                handle,
                cublasOperation.CUBLAS_OP_N,
                cublasOperation.CUBLAS_OP_N,
                2,
                2,
                3,
                Pointer.to(new float[] {1}),
                a,
                2,
                b,
                3,
                Pointer.to(new float[] {0}),
                c,
                2);
        System.out.println("sgemm: " + status + " " + download(c, 4));
        // (A B)^T = B^T A^T, with the transposes taken by cuBLAS
        status = JCublas2.cublasSgemm(
                handle,
                cublasOperation.CUBLAS_OP_T,
                cublasOperation.CUBLAS_OP_T,
                2,
                2,
                3,
                Pointer.to(new float[] {1}),
                b,
                3,
                a,
                2,
                Pointer.to(new float[] {0}),
                c,
                2);
        System.out.println("sgemm transposed: " + status + " " + download(c, 4));
        System.out.println("setMathMode: " + JCublas2.cublasSetMathMode(handle, 0));
        System.out.println("free: " + (JCublas.cublasFree(a) | JCublas.cublasFree(b) | JCublas.cublasFree(c)));
        System.out.println("destroy: " + JCublas2.cublasDestroy(handle));
    }

    /** Legacy JCublas allocates (through the same shim), JCublas2 copies in. */
    private static Pointer upload(float... values) {
        Pointer device = new Pointer();
        check("alloc", JCublas.cublasAlloc(values.length, Float.BYTES, device));
        check("setVector", JCublas2.cublasSetVector(values.length, Float.BYTES, Pointer.to(values), 1, device, 1));
        return device;
    }

    private static String download(Pointer device, int length) {
        float[] values = new float[length];
        check("getVector", JCublas2.cublasGetVector(length, Float.BYTES, device, 1, Pointer.to(values), 1));
        return Arrays.toString(values);
    }

    private static void check(String what, int status) {
        if (status != 0) {
            System.out.println(what + " failed: " + status);
            System.exit(3);
        }
    }
}
