package dev.nabla.cuda;

import java.util.List;

/**
 * One {@code extern "C" __global__} entry point of Nabla's PTX: the module (the .cu file it comes
 * from), its name and its parameters in order.
 *
 * @param id     index into the backend's table of loaded functions
 * @param module PTX resource name, e.g. "elementwise" for dev/nabla/kernels/cuda/elementwise.ptx
 * @param name   the entry's name, e.g. "nabla_unary_f32"
 * @param params the parameter kinds in order
 */
record KernelSpec(int id, String module, String name, List<Param> params) {
    @Override
    public String toString() {
        return module + ".ptx:" + name + params;
    }
}
