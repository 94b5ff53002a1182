package dev.nabla.backend;

import dev.nabla.conformance.BackendConformance;
import dev.nabla.cpu.CpuBackendProvider;

/**
 * A backend that implements only the SPI's required primitives (its abstract methods) passes the whole
 * conformance kit: softmax, the losses, one-hot, bias + activation and the optimizer updates come from their
 * compositions in core. This is what a new backend starts from.
 */
class PrimitivesOnlyConformanceTest extends BackendConformance {

    @Override
    protected BackendProvider provider() {
        return new BackendProvider() {
            @Override
            public String name() {
                return "primitives-only";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Availability availability() {
                return Availability.available("the CPU backend's primitives");
            }

            @Override
            public Backend create(int deviceIndex) {
                return new PrimitivesOnly(CpuBackendProvider.createIsolated());
            }
        };
    }

    @Override
    protected boolean requiredInCi() {
        return true;
    }

    @Override
    protected Backend secondBackend() {
        return new PrimitivesOnly(CpuBackendProvider.createIsolated());
    }

    /** The CPU backend's required primitives, and nothing else: every default method stays the SPI's. */
    private record PrimitivesOnly(Backend cpu) implements Backend {
        @Override
        public String name() {
            return "primitives-only";
        }

        @Override
        public String deviceName() {
            return "the CPU backend's primitives only";
        }

        @Override
        public boolean supports(DType dtype) {
            return cpu.supports(dtype); // FLOAT64 too, so the kit's gradient checks run
        }

        @Override
        public DeviceBuffer allocate(DType dtype, long elements) {
            return cpu.allocate(dtype, elements);
        }

        @Override
        public void release(DeviceBuffer buffer) {
            cpu.release(buffer);
        }

        @Override
        public MemoryStats memoryStats() {
            return cpu.memoryStats();
        }

        @Override
        public void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length) {
            cpu.write(dst, dstOffset, hostArray, srcOffset, length);
        }

        @Override
        public void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length) {
            cpu.read(src, srcOffset, hostArray, dstOffset, length);
        }

        @Override
        public void fill(View out, double value) {
            cpu.fill(out, value);
        }

        @Override
        public void copy(View src, View dst) {
            cpu.copy(src, dst);
        }

        @Override
        public void unary(UnaryOp op, View x, View out, double a, double b) {
            cpu.unary(op, x, out, a, b);
        }

        @Override
        public void binary(BinaryOp op, View x, View y, View out, double a) {
            cpu.binary(op, x, y, out, a);
        }

        @Override
        public void where(View cond, View x, View y, View out) {
            cpu.where(cond, x, y, out);
        }

        @Override
        public void reduce(ReduceOp op, View x, int reducedAxes, View out) {
            cpu.reduce(op, x, reducedAxes, out);
        }

        @Override
        public void matmul(View a, boolean transposeA, View b, boolean transposeB, View out) {
            cpu.matmul(a, transposeA, b, transposeB, out);
        }

        @Override
        public void random(RandomKind kind, long seed, long counter, double a, double b, View out) {
            cpu.random(kind, seed, counter, a, b, out);
        }

        @Override
        public void close() {
            cpu.close();
        }
    }
}
