package dev.nabla.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A CUdeviceptr whose raw address Java can read: cuMemAlloc fills it like any CUdeviceptr, and
 * {@link #address()} gives the value kernels receive as a pointer argument.
 */
final class DevicePointer extends CUdeviceptr {
    /** The device address (JCuda keeps it in a protected field). */
    long address() {
        return getNativePointer() + getByteOffset();
    }
}
