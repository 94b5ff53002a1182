package dev.nabla.cuda;

import static dev.nabla.cuda.CudaCallException.check;

import dev.nabla.kernels.KernelSources;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Loads the PTX modules (each once, on first use: the driver JIT-compiles them for the GPU and
 * keeps the result in its compute cache) and launches kernels on the backend's stream.
 *
 * <p>Launching is the per-op hot path, so arguments are not handed to JCuda as Java arrays
 * (which it pins or copies one by one). Each argument has a fixed slot in one page-locked host
 * block; a launch writes its values into the slots and passes a per-kernel array of pointers to
 * them, built once. The driver copies the values at launch, so the block is free again when
 * {@code cuLaunchKernel} returns. Every launch also checks its arguments against the kernel's
 * {@link KernelSpec}, so a Java/CUDA signature mismatch is an exception, not memory corruption.
 */
final class KernelLauncher implements AutoCloseable {
    private static final int SLOT_BYTES = 64; // the largest parameter, NbStrides
    private static final int MAX_PARAMS = 16;

    private final CUstream stream;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final CUfunction[] functions = new CUfunction[Kernels.all().size()];
    private final Pointer[] parameterPointers = new Pointer[Kernels.all().size()];
    private final Pointer argumentBlock = new Pointer();
    private final ByteBuffer arguments;

    KernelLauncher(CUstream stream) {
        this.stream = stream;
        check(JCudaDriver.cuMemAllocHost(argumentBlock, (long) SLOT_BYTES * MAX_PARAMS), "cuMemAllocHost(arguments)");
        this.arguments =
                argumentBlock.getByteBuffer(0, (long) SLOT_BYTES * MAX_PARAMS).order(ByteOrder.nativeOrder());
    }

    /** Launches {@code spec} on a grid of (gridX, gridY) blocks of (blockX, blockY) threads; the context is current. */
    synchronized void launch2d(KernelSpec spec, int gridX, int gridY, int blockX, int blockY, Object... args) {
        List<Param> params = spec.params();
        if (args.length != params.size()) {
            throw new IllegalStateException(spec + " takes " + params.size() + " arguments, got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            store(spec, i, params.get(i), args[i]);
        }
        int result = JCudaDriver.cuLaunchKernel(
                function(spec), gridX, gridY, 1, blockX, blockY, 1, 0, stream, parameters(spec), null);
        if (result != CUresult.CUDA_SUCCESS) {
            check(
                    result,
                    "cuLaunchKernel(" + spec.name() + ", grid " + gridX + "x" + gridY + ", block " + blockX + "x"
                            + blockY + ")");
        }
    }

    /** Launches a one-dimensional grid. */
    void launch(KernelSpec spec, int grid, int block, Object... args) {
        launch2d(spec, grid, 1, block, 1, args);
    }

    /** Writes argument {@code index} into its slot. */
    private void store(KernelSpec spec, int index, Param param, Object arg) {
        int at = index * SLOT_BYTES;
        switch (param) {
            case PTR:
                if (arg instanceof DeviceAddress a) {
                    arguments.putLong(at, a.value());
                    return;
                }
                break;
            case I32:
                if (arg instanceof Integer v) {
                    arguments.putInt(at, v);
                    return;
                }
                break;
            case I64:
                if (arg instanceof Long v) {
                    arguments.putLong(at, v);
                    return;
                }
                break;
            case F64:
                if (arg instanceof Double v) {
                    arguments.putDouble(at, v);
                    return;
                }
                break;
            case SHAPE:
                if (arg instanceof int[] v && v.length == Layout.MAX_RANK + 1) {
                    for (int k = 0; k < v.length; k++) {
                        arguments.putInt(at + 4 * k, v[k]);
                    }
                    return;
                }
                break;
            case STRIDES:
                if (arg instanceof long[] v && v.length == Layout.MAX_RANK) {
                    for (int k = 0; k < v.length; k++) {
                        arguments.putLong(at + 8 * k, v[k]);
                    }
                    return;
                }
                break;
            default:
                break;
        }
        throw new IllegalStateException(spec + ": argument " + index + " should be a " + param + ", got "
                + (arg == null ? "null" : arg.getClass().getSimpleName()));
    }

    /** The kernelParams array of {@code spec}: pointers to its arguments' slots (built once). */
    private Pointer parameters(KernelSpec spec) {
        Pointer pointers = parameterPointers[spec.id()];
        if (pointers == null) {
            int count = spec.params().size();
            if (count > MAX_PARAMS) {
                throw new IllegalStateException(spec + " has more than " + MAX_PARAMS + " parameters");
            }
            Pointer[] slots = new Pointer[count];
            for (int i = 0; i < count; i++) {
                slots[i] = argumentBlock.withByteOffset((long) i * SLOT_BYTES);
            }
            pointers = Pointer.to(slots);
            parameterPointers[spec.id()] = pointers;
        }
        return pointers;
    }

    /** The loaded function of {@code spec}, loading its module on first use. */
    synchronized CUfunction function(KernelSpec spec) {
        CUfunction function = functions[spec.id()];
        if (function == null) {
            function = new CUfunction();
            check(
                    JCudaDriver.cuModuleGetFunction(function, module(spec.module()), spec.name()),
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
                throw new CudaCallException(
                        "cuModuleLoadData(" + name + ".ptx): the driver cannot JIT Nabla's PTX"
                                + " (built by CUDA 13.0; update the NVIDIA driver to R580 or newer) -",
                        result,
                        CUresult.stringFor(result));
            }
            check(result, "cuModuleLoadData(" + name + ".ptx)");
            modules.put(name, module);
        }
        return module;
    }

    /** Loads every module now (to pay the JIT cost up front, or to test that the PTX loads). */
    synchronized void loadAll() {
        for (KernelSpec spec : Kernels.all()) {
            function(spec);
        }
    }

    @Override
    public synchronized void close() {
        for (CUmodule module : modules.values()) {
            JCudaDriver.cuModuleUnload(module);
        }
        modules.clear();
        java.util.Arrays.fill(functions, null);
        JCudaDriver.cuMemFreeHost(argumentBlock);
    }
}
