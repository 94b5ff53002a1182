package dev.nabla.opencl.bench;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.DeviceBuffer;
import dev.nabla.backend.View;
import dev.nabla.cpu.CpuBackendProvider;
import dev.nabla.opencl.OpenClBackendProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * GEMM throughput of the OpenCL backend beside the CPU backend's, in one run: FLOAT32
 * C = A·B (and the MLP's backward shapes A·Bᵀ, Aᵀ·B) for square sizes and for the shapes of
 * the deep MLP (784-1024-512-512-10) at batch 128. Prints a Markdown table of the median GFLOP/s over several
 * timed repetitions (each about 0.3 s of work) after a warm-up that builds the kernels.
 *
 * <pre>
 * ./mvnw -q -pl backend-opencl -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=test
 * java -cp backend-opencl/target/test-classes:backend-opencl/target/classes:$(cat backend-opencl/target/bench-classpath.txt) \
 *     dev.nabla.opencl.bench.GemmBenchmark [--kernels auto,tiled] [--sizes 128,256,512,1024]
 * </pre>
 *
 * {@code --kernels} compares the OpenCL GEMM kernels (auto, tiled, vector, vector_bt, simple);
 * the choice is made with the system property {@code nabla.opencl.gemm} read by the backend.
 */
public final class GemmBenchmark {
    private record Shape(String name, int m, int k, int n, boolean ta, boolean tb) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    public static void main(String[] args) {
        List<String> kernels = List.of("auto");
        int[] sizes = {128, 256, 512, 1024};
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--kernels" -> kernels = Arrays.asList(args[i + 1].split(","));
                case "--sizes" ->
                    sizes = Arrays.stream(args[i + 1].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i] + "; expected --kernels or --sizes");
            }
        }
        List<Shape> shapes = new ArrayList<>();
        for (int s : sizes) {
            shapes.add(new Shape(s + "³", s, s, s, false, false));
        }
        shapes.add(new Shape("x·W₁ 128×784·784×1024", 128, 784, 1024, false, false));
        shapes.add(new Shape("g·W₂ᵀ 128×512·512×1024", 128, 512, 1024, false, true));
        shapes.add(new Shape("xᵀ·g 784×128·128×1024", 784, 128, 1024, true, false));

        List<String> columns = new ArrayList<>();
        List<double[]> results = new ArrayList<>();
        try (Backend cpu = new CpuBackendProvider().create(0)) {
            columns.add("cpu");
            results.add(measure(cpu, shapes));
        }
        String device = "";
        for (String kernel : kernels) {
            if (kernel.equals("auto")) {
                System.clearProperty("nabla.opencl.gemm");
            } else {
                System.setProperty("nabla.opencl.gemm", kernel);
            }
            try (Backend opencl = new OpenClBackendProvider().create(0)) {
                device = opencl.deviceName();
                columns.add("opencl " + kernel);
                results.add(measure(opencl, shapes));
            }
        }
        System.out.println();
        System.out.println("OpenCL device: " + device);
        System.out.println("JDK " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.print("| shape (FLOAT32, GFLOP/s) |");
        columns.forEach(c -> System.out.print(" " + c + " |"));
        System.out.println();
        System.out.println("|---|" + "---:|".repeat(columns.size()));
        for (int s = 0; s < shapes.size(); s++) {
            System.out.print("| " + shapes.get(s).name() + " |");
            for (double[] r : results) {
                System.out.printf(Locale.ROOT, " %.1f |", r[s]);
            }
            System.out.println();
        }
    }

    private static double[] measure(Backend backend, List<Shape> shapes) {
        double[] gflops = new double[shapes.size()];
        for (int s = 0; s < shapes.size(); s++) {
            Shape shape = shapes.get(s);
            DeviceBuffer a = backend.allocate(DType.FLOAT32, (long) shape.m() * shape.k());
            DeviceBuffer b = backend.allocate(DType.FLOAT32, (long) shape.k() * shape.n());
            DeviceBuffer c = backend.allocate(DType.FLOAT32, (long) shape.m() * shape.n());
            fill(backend, a, shape.m() * shape.k());
            fill(backend, b, shape.k() * shape.n());
            View av = shape.ta()
                    ? View.contiguous(a, 1, shape.k(), shape.m())
                    : View.contiguous(a, 1, shape.m(), shape.k());
            View bv = shape.tb()
                    ? View.contiguous(b, 1, shape.n(), shape.k())
                    : View.contiguous(b, 1, shape.k(), shape.n());
            View cv = View.contiguous(c, 1, shape.m(), shape.n());
            backend.matmul(av, shape.ta(), bv, shape.tb(), cv); // warm-up: kernel build, JIT
            backend.synchronize();
            int reps = (int) Math.max(1, Math.min(200, 0.3e10 / shape.flops() / 10));
            double[] runs = new double[5];
            for (int r = 0; r < runs.length; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    backend.matmul(av, shape.ta(), bv, shape.tb(), cv);
                }
                backend.synchronize();
                runs[r] = shape.flops() * reps / ((System.nanoTime() - start) / 1e9) / 1e9;
            }
            Arrays.sort(runs);
            gflops[s] = runs[runs.length / 2];
            System.out.printf(Locale.ROOT, "%s %s: %.1f GFLOP/s%n", backend.name(), shape.name(), gflops[s]);
            backend.release(a);
            backend.release(b);
            backend.release(c);
        }
        return gflops;
    }

    private static void fill(Backend backend, DeviceBuffer buffer, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = ((i * 37) % 101) / 101f - 0.5f;
        }
        backend.write(buffer, 0, values, 0, n);
    }
}
