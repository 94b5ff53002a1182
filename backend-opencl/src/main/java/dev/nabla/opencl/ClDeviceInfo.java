package dev.nabla.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * What discovery learned about one OpenCL device.
 *
 * @param platformIndex   position of its platform in the ICD loader's list
 * @param platformName    CL_PLATFORM_NAME
 * @param platform        the platform handle (null in tests)
 * @param device          the device handle (null in tests)
 * @param name            CL_DEVICE_NAME
 * @param type            "GPU", "CPU", "ACCELERATOR" or "OTHER"
 * @param computeUnits    CL_DEVICE_MAX_COMPUTE_UNITS
 * @param versionMajor    major OpenCL version from CL_DEVICE_VERSION
 * @param versionMinor    minor OpenCL version
 * @param version         CL_DEVICE_VERSION as reported
 * @param fp64            whether the device computes in double precision (cl_khr_fp64)
 * @param globalMemBytes  CL_DEVICE_GLOBAL_MEM_SIZE
 * @param maxAllocBytes   CL_DEVICE_MAX_MEM_ALLOC_SIZE, the largest single buffer
 * @param maxWorkGroup    CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param localMemBytes   CL_DEVICE_LOCAL_MEM_SIZE
 */
record ClDeviceInfo(
        int platformIndex,
        String platformName,
        cl_platform_id platform,
        cl_device_id device,
        String name,
        String type,
        int computeUnits,
        int versionMajor,
        int versionMinor,
        String version,
        boolean fp64,
        long globalMemBytes,
        long maxAllocBytes,
        long maxWorkGroup,
        long localMemBytes) {

    boolean isGpu() {
        return "GPU".equals(type);
    }

    /** Whether it meets Nabla's minimum, OpenCL 1.2. */
    boolean isSupportedVersion() {
        return versionMajor > 1 || (versionMajor == 1 && versionMinor >= 2);
    }

    /** E.g. "pthread-haswell (Portable Computing Language, CPU, 2 compute units, OpenCL 3.0 PoCL, fp64)". */
    String describe() {
        return name + " (" + platformName + ", " + type + ", " + computeUnits + " compute unit"
                + (computeUnits == 1 ? "" : "s") + ", " + version.trim() + (fp64 ? ", fp64" : "") + ")";
    }
}
