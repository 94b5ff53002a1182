package dev.nabla.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import dev.nabla.backend.DType;
import dev.nabla.kernels.KernelSources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The programs of one context, each built at first use, once per element type, and cached
 * with its kernels. Sources are the .cl resources of nabla-kernels behind a generated prelude
 * ({@link ClPrelude}) and common.cl. A failed build throws {@link KernelBuildException} with the
 * compiler's log.
 */
final class ClPrograms implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClPrograms.class);
    /** The programs in nabla-kernels (src/main/opencl), apart from common.cl which each includes. */
    static final List<String> NAMES = List.of("elementwise", "reduce", "nn", "gemm", "window");

    private final cl_context context;
    private final cl_device_id device;
    private final boolean fp64;
    private final String deviceName;
    private final Map<String, Program> programs = new HashMap<>();
    private final List<cl_program> built = new ArrayList<>();
    private int builds;

    ClPrograms(cl_context context, cl_device_id device, boolean fp64, String deviceName) {
        this.context = context;
        this.device = device;
        this.fp64 = fp64;
        this.deviceName = deviceName;
    }

    /** A program built for one element type, and its kernels by name. */
    final class Program {
        final cl_program program;
        final DType dtype;
        private final Map<String, ClKernel> kernels = new HashMap<>();

        Program(cl_program program, DType dtype) {
            this.program = program;
            this.dtype = dtype;
        }

        synchronized ClKernel kernel(String name) {
            return kernels.computeIfAbsent(
                    name,
                    n -> new ClKernel(
                            clCreateKernel(program, n, null),
                            n,
                            device,
                            dtype,
                            ClPrelude.computeIsDouble(dtype, fp64),
                            fp64));
        }
    }

    /** The kernel {@code kernel} of program {@code name} built for {@code dtype}. */
    ClKernel kernel(String name, DType dtype, String kernel) {
        return program(name, dtype).kernel(kernel);
    }

    synchronized Program program(String name, DType dtype) {
        String key = name + ":" + dtype;
        Program p = programs.get(key);
        if (p == null) {
            String source =
                    ClPrelude.of(dtype, fp64) + KernelSources.openCl("common") + "\n" + KernelSources.openCl(name);
            p = new Program(build(name + " (" + dtype + ")", source, ""), dtype);
            programs.put(key, p);
        }
        return p;
    }

    /** How many programs this context has built (each key once). */
    synchronized int builds() {
        return builds;
    }

    /** Compiles {@code source} for the device; on failure a {@link KernelBuildException} carries the log. */
    synchronized cl_program build(String label, String source, String options) {
        long start = System.nanoTime();
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new KernelBuildException(
                    "OpenCL program " + label + " failed to build on " + deviceName + " ("
                            + CL.stringFor_errorCode(e.getStatus()) + ", options '" + options + "')",
                    log);
        }
        built.add(program);
        builds++;
        LOG.debug("built OpenCL program {} in {} ms", label, (System.nanoTime() - start) / 1_000_000);
        return program;
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] == 0) {
                end--;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return "(the driver gave no build log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        for (Program p : programs.values()) {
            for (ClKernel k : p.kernels.values()) {
                clReleaseKernel(k.kernel);
            }
        }
        for (cl_program p : built) {
            clReleaseProgram(p);
        }
        programs.clear();
        built.clear();
    }
}
