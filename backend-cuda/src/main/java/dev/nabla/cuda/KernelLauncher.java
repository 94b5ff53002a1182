package dev.nabla.cuda;

import static dev.nabla.cuda.CudaCallException.check;

import dev.nabla.kernels.KernelSources;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Loads the PTX modules (each once, on first use: the driver JIT-compiles them for the GPU and
 * keeps the result in its compute cache) and launches kernels on the backend's stream. Every
 * launch checks its arguments against the kernel's {@link KernelSpec}, so a Java/CUDA signature
 * mismatch is an exception, not memory corruption on the device.
 */
final class KernelLauncher implements AutoCloseable {
    private final CUstream stream;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final CUfunction[] functions = new CUfunction[Kernels.all().size()];

    KernelLauncher(CUstream stream) {
        this.stream = stream;
    }

    /** Launches {@code spec} on a grid of (gridX, gridY) blocks of (blockX, blockY) threads; the context is current. */
    void launch2d(KernelSpec spec, int gridX, int gridY, int blockX, int blockY, Object... args) {
        List<Param> params = spec.params();
        if (args.length != params.size()) {
            throw new IllegalStateException(spec + " takes " + params.size() + " arguments, got " + args.length);
        }
        NativePointerObject[] pointers = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            pointers[i] = pointerTo(spec, i, params.get(i), args[i]);
        }
        int result = JCudaDriver.cuLaunchKernel(function(spec), gridX, gridY, 1, blockX, blockY, 1, 0, stream,
                Pointer.to(pointers), null);
        check(result, "cuLaunchKernel(" + spec.name() + ", grid " + gridX + "x" + gridY + ", block " + blockX + "x"
                + blockY + ")");
    }

    /** Launches a one-dimensional grid. */
    void launch(KernelSpec spec, int grid, int block, Object... args) {
        launch2d(spec, grid, 1, block, 1, args);
    }

    private static Pointer pointerTo(KernelSpec spec, int index, Param param, Object arg) {
        switch (param) {
            case PTR:
                if (arg instanceof CUdeviceptr p) {
                    return Pointer.to(p);
                }
                break;
            case I32:
                if (arg instanceof Integer v) {
                    return Pointer.to(new int[] {v});
                }
                break;
            case I64:
                if (arg instanceof Long v) {
                    return Pointer.to(new long[] {v});
                }
                break;
            case F64:
                if (arg instanceof Double v) {
                    return Pointer.to(new double[] {v});
                }
                break;
            case SHAPE:
                if (arg instanceof int[] v && v.length == Layout.MAX_RANK + 1) {
                    return Pointer.to(v);
                }
                break;
            case STRIDES:
                if (arg instanceof long[] v && v.length == Layout.MAX_RANK) {
                    return Pointer.to(v);
                }
                break;
            default:
                break;
        }
        throw new IllegalStateException(spec + ": argument " + index + " should be a " + param + ", got "
                + (arg == null ? "null" : arg.getClass().getSimpleName()));
    }

    /** The loaded function of {@code spec}, loading its module on first use. */
    CUfunction function(KernelSpec spec) {
        CUfunction function = functions[spec.id()];
        if (function == null) {
            function = new CUfunction();
            check(JCudaDriver.cuModuleGetFunction(function, module(spec.module()), spec.name()),
                    "cuModuleGetFunction(" + spec.name() + ")");
            functions[spec.id()] = function;
        }
        return function;
    }

    private CUmodule module(String name) {
        CUmodule module = modules.get(name);
        if (module == null) {
            byte[] text = KernelSources.cudaPtx(name).getBytes(StandardCharsets.US_ASCII);
            byte[] terminated = new byte[text.length + 1]; // the driver reads PTX as a C string
            System.arraycopy(text, 0, terminated, 0, text.length);
            module = new CUmodule();
            int result = JCudaDriver.cuModuleLoadData(module, terminated);
            if (result == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION || result == CUresult.CUDA_ERROR_INVALID_PTX) {
                throw new CudaCallException("cuModuleLoadData(" + name + ".ptx): the driver cannot JIT Nabla's PTX"
                        + " (built by CUDA 13.0; update the NVIDIA driver to R580 or newer) -", result,
                        CUresult.stringFor(result));
            }
            check(result, "cuModuleLoadData(" + name + ".ptx)");
            modules.put(name, module);
        }
        return module;
    }

    /** Loads every module now (to pay the JIT cost up front, or to test that the PTX loads). */
    void loadAll() {
        for (String name : Kernels.modules()) {
            module(name);
        }
        for (KernelSpec spec : Kernels.all()) {
            function(spec);
        }
    }

    @Override
    public void close() {
        for (CUmodule module : modules.values()) {
            JCudaDriver.cuModuleUnload(module);
        }
        modules.clear();
        java.util.Arrays.fill(functions, null);
    }
}
