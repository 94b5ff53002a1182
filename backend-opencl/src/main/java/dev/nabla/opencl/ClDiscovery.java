package dev.nabla.opencl;

import static org.jocl.CL.CL_DEVICE_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_COMPILER_AVAILABLE;
import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Lists OpenCL platforms and devices through JOCL without ever crashing: a missing JOCL native
 * library, a missing ICD loader, no driver, no device, or a device older than OpenCL 1.2 each
 * become a reason. Runs once per JVM, on a daemon thread with a time limit, so a broken driver
 * cannot hang the caller.
 */
final class ClDiscovery {
    /** How long discovery may take before OpenCL is reported unavailable. */
    static final long TIME_LIMIT_SECONDS = 60;

    private static final Pattern VERSION = Pattern.compile("OpenCL\\s+(\\d+)\\.(\\d+)");
    private static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;
    private static volatile Result result;

    /**
     * @param devices  the usable devices (OpenCL ≥ 1.2, available, with a compiler), in loader order
     * @param problems why other devices were passed over
     * @param reason   when no device is usable, why; else null
     */
    record Result(List<ClDeviceInfo> devices, List<String> problems, String reason) {}

    private ClDiscovery() {}

    /** The discovery of this JVM, run on first call. */
    static Result result() {
        Result r = result;
        if (r == null) {
            synchronized (ClDiscovery.class) {
                if (result == null) {
                    result = discoverWithTimeLimit();
                }
                r = result;
            }
        }
        return r;
    }

    private static Result discoverWithTimeLimit() {
        FutureTask<Result> task = new FutureTask<>(ClDiscovery::discover);
        Thread thread = new Thread(task, "nabla-opencl-discovery");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return failed("OpenCL discovery did not finish within " + TIME_LIMIT_SECONDS + " s (a driver is stuck)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("OpenCL discovery was interrupted");
        } catch (ExecutionException e) {
            return failed("OpenCL discovery failed: " + e.getCause());
        }
    }

    /** The discovery of this JVM if it has run, else null (nothing is loaded). */
    static Result known() {
        return result;
    }

    static Result failed(String reason) {
        return new Result(List.of(), List.of(), reason);
    }

    private static Result discover() {
        try {
            CL.setExceptionsEnabled(true); // loads JOCL's native library, which dlopens the ICD loader
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, …
            return failed(loadFailure(t));
        }
        cl_platform_id[] platforms;
        try {
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            if (count[0] == 0) {
                return failed(noPlatform());
            }
            platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(count[0], platforms, null);
        } catch (CLException e) {
            return failed(
                    e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR
                            ? noPlatform()
                            : "clGetPlatformIDs failed: " + e.getMessage());
        } catch (UnsupportedOperationException | LinkageError e) {
            // JOCL loads libOpenCL with dlopen; without it every cl* function is "not supported".
            return failed("no OpenCL ICD loader (libOpenCL.so.1 not found; install ocl-icd-libopencl1 and a driver "
                    + "such as pocl-opencl-icd): " + e.getMessage());
        } catch (Throwable t) {
            return failed("OpenCL platform query failed: " + t);
        }
        List<ClDeviceInfo> usable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (int p = 0; p < platforms.length; p++) {
            String platformName = "platform " + p;
            try {
                platformName = platformString(platforms[p], CL_PLATFORM_NAME);
                for (cl_device_id device : devices(platforms[p])) {
                    seen++;
                    ClDeviceInfo info = describe(p, platformName, platforms[p], device);
                    String problem = problem(device, info);
                    if (problem == null) {
                        usable.add(info);
                    } else {
                        problems.add(info.describe() + ": " + problem);
                    }
                }
            } catch (Throwable t) {
                problems.add(platformName + ": device query failed: " + t);
            }
        }
        if (!usable.isEmpty()) {
            return new Result(List.copyOf(usable), List.copyOf(problems), null);
        }
        String reason = seen == 0
                ? "no OpenCL device on " + platforms.length + " platform(s)"
                : "no usable OpenCL device: " + String.join("; ", problems);
        return new Result(List.of(), List.copyOf(problems), reason);
    }

    /** Why JOCL could not start: its own library, or the ICD loader it opens by the name libOpenCL.so. */
    static String loadFailure(Throwable t) {
        String message = String.valueOf(t.getMessage());
        if (message.contains("Implementation library could not be loaded")) {
            boolean runtimeOnly = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libOpenCL.so.1"))
                    || Files.exists(Path.of("/usr/lib64/libOpenCL.so.1"))
                    || Files.exists(Path.of("/usr/lib/libOpenCL.so.1"));
            return "no OpenCL ICD loader: JOCL opens libOpenCL.so, which was not found"
                    + (runtimeOnly
                            ? " (libOpenCL.so.1 is installed, but the unversioned link comes with ocl-icd-opencl-dev)"
                            : " (install ocl-icd-libopencl1 and ocl-icd-opencl-dev, and a driver such as pocl-opencl-icd)");
        }
        return "JOCL's native library cannot be loaded on " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + ": " + t;
    }

    private static String noPlatform() {
        String vendors =
                System.getenv("OCL_ICD_VENDORS") != null ? System.getenv("OCL_ICD_VENDORS") : "/etc/OpenCL/vendors";
        return "no OpenCL platform (the ICD loader found no driver in " + vendors
                + "; install one, e.g. pocl-opencl-icd)";
    }

    private static cl_device_id[] devices(cl_platform_id platform) {
        int[] count = new int[1];
        try {
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == CL_DEVICE_NOT_FOUND) {
                return new cl_device_id[0];
            }
            throw e;
        }
        cl_device_id[] devices = new cl_device_id[count[0]];
        clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count[0], devices, null);
        return devices;
    }

    private static ClDeviceInfo describe(
            int platformIndex, String platformName, cl_platform_id platform, cl_device_id d) {
        String version = deviceString(d, CL_DEVICE_VERSION);
        Matcher m = VERSION.matcher(version);
        int major = 0, minor = 0;
        if (m.find()) {
            major = Integer.parseInt(m.group(1));
            minor = Integer.parseInt(m.group(2));
        }
        long type = deviceLong(d, CL_DEVICE_TYPE);
        String typeName = (type & CL_DEVICE_TYPE_GPU) != 0
                ? "GPU"
                : (type & CL_DEVICE_TYPE_CPU) != 0
                        ? "CPU"
                        : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
        boolean fp64 = deviceLong(d, CL_DEVICE_DOUBLE_FP_CONFIG) != 0;
        return new ClDeviceInfo(
                platformIndex,
                platformName,
                platform,
                d,
                deviceString(d, CL_DEVICE_NAME).trim(),
                typeName,
                deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS),
                major,
                minor,
                version,
                fp64,
                deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                deviceLong(d, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceLong(d, CL_DEVICE_LOCAL_MEM_SIZE));
    }

    /** Why the device cannot run Nabla, or null if it can. */
    private static String problem(cl_device_id d, ClDeviceInfo info) {
        if (!info.isSupportedVersion()) {
            return "OpenCL " + info.versionMajor() + "." + info.versionMinor() + " is too old; Nabla needs OpenCL 1.2";
        }
        if (deviceInt(d, CL_DEVICE_AVAILABLE) == 0) {
            return "the driver reports it unavailable";
        }
        if (deviceInt(d, CL_DEVICE_COMPILER_AVAILABLE) == 0) {
            return "it has no OpenCL C compiler";
        }
        return null;
    }

    static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        long[] size = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_long, Pointer.to(value), size);
        return size[0] == Sizeof.cl_int ? value[0] & 0xFFFFFFFFL : value[0];
    }

    static int deviceInt(cl_device_id device, int param) {
        int[] value = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_int, Pointer.to(value), null);
        return value[0];
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
