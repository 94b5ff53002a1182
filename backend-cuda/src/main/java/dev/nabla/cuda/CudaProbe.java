package dev.nabla.cuda;

import dev.nabla.backend.Availability;
import java.util.Optional;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Finds out, without ever crashing the JVM, whether this machine can run the CUDA backend: JCuda's
 * native library and libcuda.so.1 load, the driver initializes, is new enough for Nabla's PTX,
 * sees a GPU of compute capability 7.5 or newer, and cuBLAS can be loaded. Each answer is computed
 * once.
 */
final class CudaProbe {
    /** The PTX is built by CUDA 13.0 (PTX ISA 9.0): the driver must support CUDA 13.0. */
    static final int REQUIRED_DRIVER_VERSION = 13000;
    /** CUDA 13 and our compute_75 PTX run on Turing and newer. */
    static final int REQUIRED_CAPABILITY = 75;

    private static volatile Availability driver;
    private static volatile Availability cublas;

    private CudaProbe() {}

    /** Whether the driver and a suitable GPU are present (cuBLAS aside). */
    static Availability driver() {
        Availability result = driver;
        if (result == null) {
            synchronized (CudaProbe.class) {
                if (driver == null) {
                    driver = probeDriverSafely();
                }
                result = driver;
            }
        }
        return result;
    }

    /** Whether JCublas2 can be used (after the cuBLAS compatibility layer has prepared it). */
    static Availability cublas() {
        Availability result = cublas;
        if (result == null) {
            synchronized (CudaProbe.class) {
                if (cublas == null) {
                    cublas = probeCublasSafely();
                }
                result = cublas;
            }
        }
        return result;
    }

    /** The driver, then cuBLAS: what the provider reports. */
    static Availability backend() {
        Availability d = driver();
        if (!d.available()) {
            return d;
        }
        Availability c = cublas();
        return c.available() ? d : c;
    }

    private static Availability probeDriverSafely() {
        try {
            return probeDriver();
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, anything: never crash
            if (e instanceof NoClassDefFoundError && !libcudaPresent()) {
                // JCuda's driver class failed to initialize earlier in this JVM (e.g. another library
                // touched it first) and the original cause is gone: name the usual one if it holds.
                return Availability.unavailable("no libcuda.so.1 (NVIDIA driver not installed)");
            }
            return Availability.unavailable(describeLoadFailure(e));
        }
    }

    /** Whether libcuda.so.1 is where the dynamic loader would look (LD_LIBRARY_PATH, the usual system folders). */
    static boolean libcudaPresent() {
        java.util.List<String> folders = new java.util.ArrayList<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            folders.addAll(java.util.Arrays.asList(ldPath.split(":")));
        }
        folders.addAll(java.util.List.of(
                "/usr/lib/x86_64-linux-gnu",
                "/usr/lib64",
                "/usr/lib",
                "/lib64",
                "/lib",
                "/lib/x86_64-linux-gnu",
                "/usr/local/nvidia/lib64",
                "/usr/lib/wsl/lib"));
        for (String folder : folders) {
            if (!folder.isEmpty() && java.nio.file.Files.exists(java.nio.file.Path.of(folder, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    private static Availability probeDriver() {
        int init = JCudaDriver.cuInit(0);
        if (init == CUresult.CUDA_ERROR_NO_DEVICE) {
            return Availability.unavailable("no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)");
        }
        if (init == CUresult.CUDA_ERROR_STUB_LIBRARY) {
            return Availability.unavailable(
                    "no libcuda.so.1 (NVIDIA driver not installed): " + "the libcuda found is the CUDA toolkit's stub");
        }
        if (init == 35) { // CUDA_ERROR_INSUFFICIENT_DRIVER
            return Availability.unavailable("driver too old: it does not support the CUDA runtime JCuda was built for"
                    + " (need a CUDA 13.0 driver, R580 or newer, for Nabla's PTX)");
        }
        if (init != CUresult.CUDA_SUCCESS) {
            return Availability.unavailable(
                    "the NVIDIA driver did not initialize (cuInit: " + CUresult.stringFor(init) + ")");
        }
        int[] version = new int[1];
        CudaCallException.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        if (version[0] < REQUIRED_DRIVER_VERSION) {
            return Availability.unavailable("driver too old (CUDA " + cudaVersion(version[0]) + ", need "
                    + cudaVersion(REQUIRED_DRIVER_VERSION) + " for the PTX: NVIDIA driver R580 or newer)");
        }
        int[] count = new int[1];
        CudaCallException.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) {
            return Availability.unavailable("no CUDA device");
        }
        CUdevice device = new CUdevice();
        CudaCallException.check(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet");
        String name = deviceName(device);
        int capability = capability(device);
        if (capability < REQUIRED_CAPABILITY) {
            return Availability.unavailable("GPU 0 (" + name + ") has compute capability " + capability / 10 + "."
                    + capability % 10 + "; CUDA 13 and Nabla's PTX need 7.5 or newer");
        }
        return Availability.available(name + " (compute capability " + capability / 10 + "." + capability % 10
                + ")" + (count[0] > 1 ? " and " + (count[0] - 1) + " more GPU(s)" : "") + ", driver for CUDA "
                + cudaVersion(version[0]));
    }

    private static Availability probeCublasSafely() {
        try {
            Optional<String> reason = CublasCompat.prepare();
            if (reason.isPresent()) {
                return Availability.unavailable("cuBLAS unavailable: " + reason.get());
            }
            jcuda.jcublas.JCublas2.initialize(); // loads JCublas2's native library, which links libcublas
            return Availability.available("cuBLAS");
        } catch (Throwable e) {
            java.util.regex.Matcher missing = java.util.regex.Pattern.compile(
                            "(lib[\\w.+-]+\\.so[.\\d]*): cannot open shared object file")
                    .matcher(allMessages(e));
            return Availability.unavailable("cuBLAS unavailable: "
                    + (missing.find()
                            ? missing.group(1) + " not found (JCublas2 " + jcuda.JCudaVersion.get()
                                    + " links it; see docs/cuda.md)"
                            : firstLine(e)));
        }
    }

    /** The GPU's name as the driver reports it. */
    static String deviceName(CUdevice device) {
        byte[] name = new byte[256];
        CudaCallException.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Compute capability as major·10 + minor (75 for 7.5). */
    static int capability(CUdevice device) {
        int[] major = new int[1];
        int[] minor = new int[1];
        CudaCallException.check(
                JCudaDriver.cuDeviceGetAttribute(
                        major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
                "cuDeviceGetAttribute");
        CudaCallException.check(
                JCudaDriver.cuDeviceGetAttribute(
                        minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
                "cuDeviceGetAttribute");
        return major[0] * 10 + minor[0];
    }

    /** 13000 → "13.0". */
    static String cudaVersion(int version) {
        return version / 1000 + "." + (version % 1000) / 10;
    }

    static String describeLoadFailure(Throwable e) {
        String message = allMessages(e);
        if (message.contains("libcuda.so")) {
            return "no libcuda.so.1 (NVIDIA driver not installed)";
        }
        if (message.contains("CUDA_ERROR_NO_DEVICE")) { // JCuda's exceptions were turned on by someone
            return "no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)";
        }
        return "cannot load JCuda's native driver library (" + e.getClass().getSimpleName() + ": " + firstLine(e) + ")";
    }

    private static String allMessages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
