package dev.nabla.tensor;

/** Argument checks that run before any device work is queued, with messages that name both sides. */
final class Checks {
    private Checks() {}

    static void open(Tensor t, String op) {
        if (t == null) {
            throw new NullPointerException(op + ": a tensor argument is null");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": the tensor " + t.describe()
                    + " was closed (by close() or by the TensorScope that made it); expected an open tensor — "
                    + "keep it with TensorScope.keep(...) to use it after its scope");
        }
    }

    static void compatible(String op, Tensor a, Tensor b) {
        open(a, op);
        open(b, op);
        if (a.backend() != b.backend()) {
            String instances = a.backend().name().equals(b.backend().name())
                    ? " (two different instances of the " + a.backend().name() + " backend)"
                    : "";
            throw new IllegalArgumentException(
                    op + ": operands live on different backends: " + a.describe() + " and " + b.describe() + instances
                            + "; expected both on the same backend (move one with tensor.to(backend))");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": operands have different dtypes: " + a.describe() + " and "
                    + b.describe() + "; expected equal dtypes (convert one with tensor.to(dtype))");
        }
    }

    static void floating(String op, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + t.describe()
                    + "; convert it with tensor.to(DType.FLOAT32)");
        }
    }

    static void rank(String op, Tensor t, int expected) {
        if (t.rank() != expected) {
            throw new IllegalArgumentException(op + ": expected a tensor of rank " + expected + ", got shape "
                    + Shapes.str(t.view.shape()) + " (rank " + t.rank() + ")");
        }
    }
}
