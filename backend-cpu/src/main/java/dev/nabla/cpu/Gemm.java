package dev.nabla.cpu;

import dev.nabla.backend.View;

/**
 * Batched matrix multiply on the CPU: each batch entry goes to the selected {@link GemmKernel}
 * with its transposes and leading dimensions, no copies. Very small products skip the kernel's
 * packing (and a native call) and run a direct loop; many small products in one batch are split
 * across cores by batch entry instead of inside each product.
 */
final class Gemm {
    /** m·n·k up to which a product runs the direct loop. */
    static final long SMALL = 4096;
    /** m·n·k from which one product is split across cores. */
    static final long PARALLEL_WORK = 1L << 18;

    private Gemm() {}

    static void matmul(View a, boolean ta, View b, boolean tb, View out) {
        matmul(GemmKernels.selected(), a, ta, b, tb, out);
    }

    static void matmul(GemmKernel kernel, View a, boolean ta, View b, boolean tb, View out) {
        int batch = out.shape()[0], m = out.shape()[1], n = out.shape()[2];
        int k = ta ? a.shape()[1] : a.shape()[2];
        int aCols = a.shape()[2], bCols = b.shape()[2];
        int lda = (int) Math.max(a.strides()[1], Math.max(aCols, 1));
        int ldb = (int) Math.max(b.strides()[1], Math.max(bCols, 1));
        long aBatch = a.strides()[0], bBatch = b.strides()[0];
        int aOff = (int) a.offset(), bOff = (int) b.offset(), cOff = (int) out.offset();
        Object aa = ((CpuBuffer) a.buffer()).array, ba = ((CpuBuffer) b.buffer()).array;
        Object ca = ((CpuBuffer) out.buffer()).array;
        long flops = (long) m * n * k;
        GemmKernel kind = flops <= SMALL ? DIRECT : kernel;
        // many products that are each too small to split: split the batch instead
        boolean byBatch =
                batch > 1 && flops < PARALLEL_WORK && flops * batch >= PARALLEL_WORK && !(kind instanceof BlasGemm);
        Parallel.Range entries = (from, to) -> {
            for (int bi = from; bi < to; bi++) {
                int ao = (int) (aOff + bi * aBatch), bo = (int) (bOff + bi * bBatch), co = cOff + bi * m * n;
                kind.gemm(ta, tb, m, n, k, aa, ao, lda, ba, bo, ldb, ca, co, n, !byBatch);
            }
        };
        if (k == 0) {
            int size = batch * m * n;
            if (ca instanceof float[] c) {
                java.util.Arrays.fill(c, cOff, cOff + size, 0f);
            } else {
                java.util.Arrays.fill((double[]) ca, cOff, cOff + size, 0.0);
            }
        } else if (byBatch) {
            Parallel.split(batch, Parallel.THREADS, 1, 4, entries);
        } else {
            entries.run(0, batch);
        }
    }

    /** The direct loop for tiny products: no packing, no scratch, no native call. */
    static final GemmKernel DIRECT = new GemmKernel() {
        @Override
        public String description() {
            return "direct loop";
        }

        @Override
        public void gemm(
                boolean ta,
                boolean tb,
                int m,
                int n,
                int k,
                Object a,
                int aOff,
                int lda,
                Object b,
                int bOff,
                int ldb,
                Object c,
                int cOff,
                int ldc,
                boolean parallel) {
            if (c instanceof float[] cf) {
                floats(ta, tb, m, n, k, (float[]) a, aOff, lda, (float[]) b, bOff, ldb, cf, cOff, ldc);
            } else {
                doubles(ta, tb, m, n, k, (double[]) a, aOff, lda, (double[]) b, bOff, ldb, (double[]) c, cOff, ldc);
            }
        }

        private static void floats(
                boolean ta,
                boolean tb,
                int m,
                int n,
                int k,
                float[] a,
                int aOff,
                int lda,
                float[] b,
                int bOff,
                int ldb,
                float[] c,
                int cOff,
                int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += x * y;
                    }
                    c[cOff + i * ldc + j] = s;
                }
            }
        }

        private static void doubles(
                boolean ta,
                boolean tb,
                int m,
                int n,
                int k,
                double[] a,
                int aOff,
                int lda,
                double[] b,
                int bOff,
                int ldb,
                double[] c,
                int cOff,
                int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0.0;
                    for (int p = 0; p < k; p++) {
                        double x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += x * y;
                    }
                    c[cOff + i * ldc + j] = s;
                }
            }
        }
    };
}
