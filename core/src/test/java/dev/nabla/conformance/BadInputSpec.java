package dev.nabla.conformance;

import dev.nabla.backend.Backend;
import dev.nabla.backend.DType;
import dev.nabla.backend.MemoryStats;
import dev.nabla.backend.UnaryOp;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad input is an exception that says what was wrong and what was expected, thrown before any
 * device work is queued: the backend's buffer counters do not move.
 */
abstract class BadInputSpec extends Spec {
    private final Supplier<Backend> secondBackend;

    protected BadInputSpec(Kit kit, Supplier<Backend> secondBackend) {
        super(kit);
        this.secondBackend = secondBackend;
    }

    /** Asserts the exception and its message, and that no buffer was allocated on the way. */
    private void refused(String what, Class<? extends RuntimeException> type, Runnable action, String... fragments) {
        MemoryStats before = backend.memoryStats();
        kit.assertThrows(what, type, action, fragments);
        MemoryStats after = backend.memoryStats();
        kit.assertEquals(what + ": live buffers (no work queued)", before.liveBuffers(), after.liveBuffers());
        kit.assertEquals(
                what + ": driver allocations (no work queued)", before.driverAllocations(), after.driverAllocations());
    }

    @Test
    @DisplayName("shape mismatch names both shapes")
    void shapeMismatch() {
        Tensor a = t.ones(2, 3);
        Tensor b = t.ones(4, 5);
        refused(
                "add of [2, 3] and [4, 5]",
                IllegalArgumentException.class,
                () -> a.add(b),
                "[2, 3]",
                "[4, 5]",
                "expected");
        refused(
                "matmul of [2, 3] and [4, 5]",
                IllegalArgumentException.class,
                () -> a.matmul(b),
                "[2, 3]",
                "[4, 5]",
                "expected");
        refused(
                "concat of [2, 3] and [4, 5] along 0",
                IllegalArgumentException.class,
                () -> Tensor.concat(List.of(a, b), 0),
                "[2, 3]",
                "[4, 5]",
                "expected");
        refused(
                "reshape of [2, 3] to [4, 2]",
                IllegalArgumentException.class,
                () -> a.reshape(4, 2),
                "[2, 3]",
                "[4, 2]");
        refused(
                "broadcastTo of [2, 3] to [4, 3]",
                IllegalArgumentException.class,
                () -> a.broadcastTo(4, 3),
                "[2, 3]",
                "[4, 3]",
                "expected");
        refused(
                "softmaxCrossEntropy of [2, 3] logits and [4, 5] targets",
                IllegalArgumentException.class,
                () -> a.softmaxCrossEntropy(b),
                "[2, 3]",
                "[4, 5]",
                "expected");
        Tensor bias = t.ones(5);
        refused(
                "biasActivation of [2, 3] with a [5] bias",
                IllegalArgumentException.class,
                () -> a.biasActivation(bias, UnaryOp.RELU, 0),
                "[5]",
                "[2, 3]",
                "expected [3]");
        Tensor variable = t.ones(2, 3).requiresGrad(true);
        Tensor doubled = variable.mul(2);
        refused(
                "backward of a [2, 3] tensor without a gradient",
                IllegalArgumentException.class,
                doubled::backward,
                "[2, 3]");
        variable.close();
        refused("item of a [2, 3] tensor", IllegalStateException.class, a::item, "[2, 3]", "exactly one element");
    }

    @Test
    @DisplayName("dtype mismatch names both dtypes")
    void dtypeMismatch() {
        Tensor f = t.ones(3);
        Tensor i = t.of(new int[] {1, 2, 3});
        refused(
                "add of FLOAT32 and INT32",
                IllegalArgumentException.class,
                () -> f.add(i),
                "FLOAT32",
                "INT32",
                "expected");
        if (backend.supports(DType.FLOAT64)) {
            Tensor d = t.ones(DType.FLOAT64, 3);
            refused(
                    "mul of FLOAT32 and FLOAT64",
                    IllegalArgumentException.class,
                    () -> f.mul(d),
                    "FLOAT32",
                    "FLOAT64",
                    "expected");
            refused(
                    "matmul of FLOAT64 and FLOAT32",
                    IllegalArgumentException.class,
                    () -> d.reshape(1, 3).matmul(f.reshape(3, 1)),
                    "FLOAT64",
                    "FLOAT32");
        }
        refused("exp of INT32", IllegalArgumentException.class, i::exp, "INT32", "floating");
        refused(
                "requiresGrad on INT32",
                IllegalArgumentException.class,
                () -> i.requiresGrad(true),
                "INT32",
                "floating");
        refused("oneHot of FLOAT32 indices", IllegalArgumentException.class, () -> f.oneHot(3), "INT32", "FLOAT32");
    }

    @Test
    @DisplayName("tensors of two backend instances in one op are refused")
    void twoBackends() {
        Backend other = secondBackend.get();
        Assumptions.assumeTrue(
                other != null, "the provider hands out one shared instance; no second backend to mix with");
        try {
            Tensor mine = t.ones(2);
            try (Tensor theirs = Tensor.on(other).ones(2)) {
                refused(
                        "add of tensors on two backends",
                        IllegalArgumentException.class,
                        () -> mine.add(theirs),
                        "different backends",
                        "expected both on the same backend");
                refused(
                        "matmul of tensors on two backends",
                        IllegalArgumentException.class,
                        () -> mine.reshape(1, 2).matmul(theirs.reshape(2, 1)),
                        "different backends");
                refused(
                        "where with values on another backend",
                        IllegalArgumentException.class,
                        () -> Tensor.where(mine, mine, theirs),
                        "different backends");
            }
        } finally {
            other.close();
        }
    }

    @Test
    @DisplayName("an axis out of range names the axis and the rank")
    void axisOutOfRange() {
        Tensor x = t.ones(2, 3);
        refused(
                "sum over axis 5 of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.sum(5),
                "axis 5",
                "rank 2");
        refused(
                "softmax along axis −3 of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.softmax(-3),
                "axis -3",
                "rank 2");
        refused(
                "argmax along axis 2 of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.argmax(2),
                "axis 2",
                "rank 2");
        refused(
                "transpose(0, 3) of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.transpose(0, 3),
                "axis 3",
                "rank 2");
        refused(
                "slice along axis 2 of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.slice(2, 0, 1),
                "axis 2",
                "rank 2");
        refused(
                "mean over axis −4 of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.mean(-4),
                "axis -4",
                "rank 2");
        refused(
                "squeeze of axis 1 of extent 3",
                IllegalArgumentException.class,
                () -> x.squeeze(1),
                "axis 1",
                "[2, 3]",
                "expected 1");
        refused(
                "permute naming 3 axes of a rank-2 tensor",
                IllegalArgumentException.class,
                () -> x.permute(0, 1, 2),
                "rank 2");
    }

    @Test
    @DisplayName("reading or using a closed tensor names the tensor and the reason")
    void closedTensor() {
        Tensor x = t.ones(2, 3);
        x.close();
        refused(
                "toFloatArray of a closed tensor",
                IllegalStateException.class,
                x::toFloatArray,
                "closed",
                "[2, 3]",
                "expected an open tensor");
        refused("item of a closed tensor", IllegalStateException.class, x::item, "closed");
        Tensor open = t.ones(2, 3);
        refused("add with a closed operand", IllegalStateException.class, () -> open.add(x), "closed", "[2, 3]");
        Tensor escaped;
        try (TensorScope scope = TensorScope.open()) {
            escaped = t.ones(4);
        }
        refused(
                "a tensor used after its scope closed",
                IllegalStateException.class,
                escaped::toFloatArray,
                "closed",
                "TensorScope");
        Tensor base = t.ones(2, 3);
        base.t().close();
        kit.assertValues("closing a view leaves its base readable", new double[] {1, 1, 1, 1, 1, 1}, base, 0);
    }

    @Test
    @DisplayName("other bad arguments: an index out of range for oneHot, clip with min > max, a negative extent")
    void otherBadArguments() {
        Tensor labels = t.of(new int[] {0, 3, 1});
        refused(
                "oneHot(3) of an index 3",
                IllegalArgumentException.class,
                () -> labels.oneHot(3),
                "index 3",
                "expected 0 ≤ index < 3");
        Tensor ones = t.ones(2);
        refused("clip(2, 1)", IllegalArgumentException.class, () -> ones.clip(2, 1), "min 2", "max 1");
        refused(
                "zeros with a negative extent",
                IllegalArgumentException.class,
                () -> t.zeros(2, -1),
                "[2, -1]",
                "negative");
        Tensor empty = t.zeros(3, 0);
        refused("argmax along an empty axis", IllegalArgumentException.class, () -> empty.argmax(1), "empty");
    }
}
