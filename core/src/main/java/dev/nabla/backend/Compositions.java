package dev.nabla.backend;

/**
 * The fused operations of {@link Backend}, each composed from the SPI's required primitives (unary, binary,
 * reduce, copy, write and temporary buffers). They are what a backend runs unless it overrides the fused
 * method with a kernel of its own, and what the conformance kit checks every such override against.
 *
 * <pre>{@code
 * Compositions.softmax(backend, logits, probs, false);   // = backend.softmax(logits, probs, false) by default
 * }</pre>
 *
 * <p>Temporaries come from {@link Backend#allocate} and go back with {@link Backend#release} (device
 * backends queue work in order, so a buffer released after its last use is not reused too early).
 */
public final class Compositions {
    private Compositions() {}

    /** See {@link Backend#softmax}: x − max, exp, divided by the row sum (or minus its log). */
    public static void softmax(Backend b, View x, View out, boolean log) {
        if (x.size() == 0) {
            return;
        }
        int rows = x.shape()[0], cols = x.shape()[1];
        DeviceBuffer rowMax = b.allocate(x.dtype(), rows);
        DeviceBuffer rowSum = b.allocate(x.dtype(), rows);
        DeviceBuffer exp = log ? b.allocate(x.dtype(), (long) rows * cols) : null;
        try {
            b.reduce(ReduceOp.MAX, x, 1, View.contiguous(rowMax, rows));
            b.binary(BinaryOp.SUB, x, perRow(rowMax, x.dtype(), rows, cols), out, 0);
            View exps = log ? View.contiguous(exp, rows, cols) : out;
            b.unary(UnaryOp.EXP, out, exps, 0, 0);
            View sum = View.contiguous(rowSum, rows);
            b.reduce(ReduceOp.SUM, exps, 1, sum);
            if (log) {
                b.unary(UnaryOp.LOG, sum, sum, 0, 0);
                b.binary(BinaryOp.SUB, out, perRow(rowSum, x.dtype(), rows, cols), out, 0);
            } else {
                b.binary(BinaryOp.DIV, out, perRow(rowSum, x.dtype(), rows, cols), out, 0);
            }
        } finally {
            b.release(rowMax);
            b.release(rowSum);
            if (exp != null) {
                b.release(exp);
            }
        }
    }

    /** See {@link Backend#softmaxCrossEntropy}: the loss from the log-softmax, never from log of a probability. */
    public static void softmaxCrossEntropy(Backend b, View logits, View targets, View loss, View probs) {
        if (logits.size() == 0) {
            return;
        }
        int rows = logits.shape()[0], cols = logits.shape()[1];
        DeviceBuffer logProbs = b.allocate(logits.dtype(), (long) rows * cols);
        try {
            View logP = View.contiguous(logProbs, rows, cols);
            softmax(b, logits, logP, true);
            b.unary(UnaryOp.EXP, logP, probs, 0, 0);
            b.binary(BinaryOp.MUL, targets, logP, logP, 0);
            b.reduce(ReduceOp.SUM, logP, 1, loss);
            b.unary(UnaryOp.NEG, loss, loss, 0, 0);
        } finally {
            b.release(logProbs);
        }
    }

    /** See {@link Backend#softmaxCrossEntropyBackward}. */
    public static void softmaxCrossEntropyBackward(Backend b, View probs, View targets, View gradLoss, View out) {
        int rows = probs.shape()[0], cols = probs.shape()[1];
        b.binary(BinaryOp.SUB, probs, targets, out, 0);
        b.binary(BinaryOp.MUL, out, perRow(gradLoss, rows, cols), out, 0);
    }

    /** See {@link Backend#oneHot}: the indices, as out's type, compared with 0, 1, …, classes − 1. */
    public static void oneHot(Backend b, View indices, View out) {
        if (out.size() == 0) {
            return;
        }
        int n = out.shape()[0], classes = out.shape()[1];
        DType dtype = out.dtype();
        DeviceBuffer asReal = b.allocate(dtype, n);
        DeviceBuffer columns = b.allocate(dtype, classes);
        try {
            b.copy(indices, View.contiguous(asReal, n));
            b.write(columns, 0, iota(dtype, classes), 0, classes);
            b.binary(
                    BinaryOp.EQ,
                    new View(asReal, dtype, 0, new int[] {n, classes}, new long[] {1, 0}),
                    new View(columns, dtype, 0, new int[] {n, classes}, new long[] {0, 1}),
                    out,
                    0);
        } finally {
            b.release(asReal);
            b.release(columns);
        }
    }

    /** See {@link Backend#biasActivation}: x + bias, then the activation in place. */
    public static void biasActivation(Backend b, View x, View bias, UnaryOp activation, double a, View out) {
        int rows = x.shape()[0], cols = x.shape()[1];
        b.binary(
                BinaryOp.ADD,
                x,
                new View(bias.buffer(), bias.dtype(), bias.offset(), new int[] {rows, cols}, new long[] {
                    0, bias.strides()[0]
                }),
                out,
                0);
        if (activation != null) {
            b.unary(activation, out, out, a, 0);
        }
    }

    /** See {@link Backend#biasActivationBackward}: the BinaryOp, then a column sum (two passes over gradIn). */
    public static void biasActivationBackward(
            Backend b, View out, View gradOut, UnaryOp activation, double a, View gradIn, View gradBias) {
        BinaryOp derivative = BinaryOp.outputDerivativeOf(activation);
        if (derivative == null) {
            throw new IllegalArgumentException("biasActivationBackward: " + activation
                    + " has no derivative in terms of its output; expected RELU, SIGMOID or TANH");
        }
        b.binary(derivative, out, gradOut, gradIn, a);
        int rows = gradIn.shape()[0], cols = gradIn.shape()[1];
        View columns = new View(
                gradIn.buffer(), gradIn.dtype(), gradIn.offset(), new int[] {cols, rows}, new long[] {1, cols});
        b.reduce(ReduceOp.SUM, columns, 1, gradBias);
    }

    /** See {@link Backend#sgdUpdate}. */
    public static void sgdUpdate(
            Backend b, View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        if (param.size() == 0) {
            return;
        }
        try (Scratch step = new Scratch(b, param)) {
            b.unary(UnaryOp.MUL_SCALAR, grad, step.view, lr, 0); // lr·g
            if (velocity == null) {
                b.binary(BinaryOp.SUB, param, step.view, param, 0);
                return;
            }
            b.unary(UnaryOp.MUL_SCALAR, velocity, velocity, momentum, 0);
            b.binary(BinaryOp.SUB, velocity, step.view, velocity, 0); // v = momentum·v − lr·g
            if (nesterov) {
                try (Scratch ahead = new Scratch(b, param)) {
                    b.unary(UnaryOp.MUL_SCALAR, velocity, ahead.view, momentum, 0);
                    b.binary(BinaryOp.SUB, ahead.view, step.view, ahead.view, 0);
                    b.binary(BinaryOp.ADD, param, ahead.view, param, 0);
                }
            } else {
                b.binary(BinaryOp.ADD, param, velocity, param, 0);
            }
        }
    }

    /** See {@link Backend#rmspropUpdate}. */
    public static void rmspropUpdate(
            Backend b, View param, View grad, View meanSquare, double lr, double rho, double eps) {
        if (param.size() == 0) {
            return;
        }
        try (Scratch t = new Scratch(b, param)) {
            b.unary(UnaryOp.SQUARE, grad, t.view, 0, 0);
            b.unary(UnaryOp.MUL_SCALAR, t.view, t.view, 1 - rho, 0);
            b.unary(UnaryOp.MUL_SCALAR, meanSquare, meanSquare, rho, 0);
            b.binary(BinaryOp.ADD, meanSquare, t.view, meanSquare, 0);
            b.unary(UnaryOp.ADD_SCALAR, meanSquare, t.view, eps, 0);
            b.unary(UnaryOp.SQRT, t.view, t.view, 0, 0);
            b.binary(BinaryOp.DIV, grad, t.view, t.view, 0);
            b.unary(UnaryOp.MUL_SCALAR, t.view, t.view, lr, 0);
            b.binary(BinaryOp.SUB, param, t.view, param, 0);
        }
    }

    /** See {@link Backend#adamUpdate}. */
    public static void adamUpdate(
            Backend b,
            View param,
            View grad,
            View m,
            View v,
            double alpha,
            double beta1,
            double beta2,
            double eps,
            double decay) {
        if (param.size() == 0) {
            return;
        }
        try (Scratch t = new Scratch(b, param)) {
            if (decay != 0) {
                b.unary(UnaryOp.MUL_SCALAR, param, param, 1 - decay, 0);
            }
            b.binary(BinaryOp.SUB, grad, m, t.view, 0);
            b.unary(UnaryOp.MUL_SCALAR, t.view, t.view, 1 - beta1, 0);
            b.binary(BinaryOp.ADD, m, t.view, m, 0);
            b.unary(UnaryOp.SQUARE, grad, t.view, 0, 0);
            b.binary(BinaryOp.SUB, t.view, v, t.view, 0);
            b.unary(UnaryOp.MUL_SCALAR, t.view, t.view, 1 - beta2, 0);
            b.binary(BinaryOp.ADD, v, t.view, v, 0);
            b.unary(UnaryOp.SQRT, v, t.view, 0, 0);
            b.unary(UnaryOp.ADD_SCALAR, t.view, t.view, eps, 0);
            b.binary(BinaryOp.DIV, m, t.view, t.view, 0);
            b.unary(UnaryOp.MUL_SCALAR, t.view, t.view, alpha, 0);
            b.binary(BinaryOp.SUB, param, t.view, param, 0);
        }
    }

    /** 0, 1, …, n − 1 as a host array of the dtype's Java type. */
    private static Object iota(DType dtype, int n) {
        if (dtype == DType.FLOAT64) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = i;
            }
            return values;
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    /** A per-row value [rows] seen as [rows, cols] (stride 0 along the columns). */
    private static View perRow(DeviceBuffer values, DType dtype, int rows, int cols) {
        return new View(values, dtype, 0, new int[] {rows, cols}, new long[] {1, 0});
    }

    private static View perRow(View values, int rows, int cols) {
        return new View(values.buffer(), values.dtype(), values.offset(), new int[] {rows, cols}, new long[] {
            values.strides()[0], 0
        });
    }

    /** A temporary contiguous buffer shaped like {@code like}, released on close. */
    private static final class Scratch implements AutoCloseable {
        final View view;
        private final Backend backend;

        Scratch(Backend backend, View like) {
            this.backend = backend;
            this.view = View.contiguous(backend.allocate(like.dtype(), like.size()), like.shape());
        }

        @Override
        public void close() {
            backend.release(view.buffer());
        }
    }
}
