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

    /**
     * See {@link Backend#gatherRows}: a one-hot selection matrix [count, n] times the source [n, rowLength], so
     * nothing is read back to the host; exact for finite values (every other term is a zero), but n multiply-adds
     * per element, which is why a backend overrides it.
     */
    public static void gatherRows(Backend b, View source, View rows, View out) {
        int count = out.shape()[0], rowLength = out.shape()[1], n = source.shape()[0];
        if (count == 0 || rowLength == 0) {
            return;
        }
        DType dtype = out.dtype();
        DeviceBuffer select = b.allocate(dtype, (long) count * n);
        try {
            b.oneHot(rows, View.contiguous(select, count, n));
            b.matmul(
                    View.contiguous(select, 1, count, n),
                    false,
                    new View(source.buffer(), dtype, source.offset(), new int[] {1, n, rowLength}, new long[] {
                        (long) n * rowLength, rowLength, 1
                    }),
                    false,
                    new View(out.buffer(), dtype, out.offset(), new int[] {1, count, rowLength}, new long[] {
                        (long) count * rowLength, rowLength, 1
                    }));
        } finally {
            b.release(select);
        }
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
        sgd(b, param, grad, velocity, Factor.of(lr), momentum, nesterov);
    }

    /** See {@link Backend#sgdUpdate(View, View, View, View, double, boolean)}: lr·g as a product with the device scalar. */
    public static void sgdUpdate(
            Backend b, View param, View grad, View velocity, View lr, double momentum, boolean nesterov) {
        if (param.size() == 0) {
            return;
        }
        try (DeviceScalar factor = new DeviceScalar(b, lr, param.dtype())) {
            sgd(b, param, grad, velocity, factor, momentum, nesterov);
        }
    }

    private static void sgd(
            Backend b, View param, View grad, View velocity, Factor lr, double momentum, boolean nesterov) {
        if (param.size() == 0) {
            return;
        }
        try (Scratch step = new Scratch(b, param)) {
            lr.multiply(b, grad, step.view); // lr·g
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
        rmsprop(b, param, grad, meanSquare, Factor.of(lr), rho, eps);
    }

    /**
     * See {@link Backend#rmspropUpdate(View, View, View, View, double, double)}. The per-step-scalar forms round in
     * the order of the GPU kernels' formulas ({@code ms = rho·ms + (1 − rho)·g·g}, {@code p −= (lr·g) / √(ms + eps)}),
     * one rounding per operation, so that a capturing backend's replay equals its fused kernel wherever the
     * compiler contracts nothing into an FMA (the conformance kit's CaptureSpec is the judge).
     */
    public static void rmspropUpdate(
            Backend b, View param, View grad, View meanSquare, View lr, double rho, double eps) {
        if (param.size() == 0) {
            return;
        }
        try (DeviceScalar factor = new DeviceScalar(b, lr, param.dtype());
                Scratch t = new Scratch(b, param);
                Scratch u = new Scratch(b, param)) {
            b.unary(UnaryOp.MUL_SCALAR, grad, t.view, 1 - rho, 0);
            b.binary(BinaryOp.MUL, t.view, grad, t.view, 0); // (1 − rho)·g·g
            b.unary(UnaryOp.MUL_SCALAR, meanSquare, meanSquare, rho, 0);
            b.binary(BinaryOp.ADD, meanSquare, t.view, meanSquare, 0);
            b.unary(UnaryOp.ADD_SCALAR, meanSquare, t.view, eps, 0);
            b.unary(UnaryOp.SQRT, t.view, t.view, 0, 0);
            factor.multiply(b, grad, u.view); // lr·g
            b.binary(BinaryOp.DIV, u.view, t.view, u.view, 0);
            b.binary(BinaryOp.SUB, param, u.view, param, 0);
        }
    }

    private static void rmsprop(Backend b, View param, View grad, View meanSquare, Factor lr, double rho, double eps) {
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
            lr.multiply(b, t.view, t.view);
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
        adam(b, param, grad, m, v, Factor.of(alpha), beta1, beta2, eps, decay != 0 ? Factor.of(1 - decay) : null);
    }

    /**
     * See {@link Backend#adamUpdate(View, View, View, View, View, View, double, double, double)}: the decay factor
     * 1 − decay is formed on the device and always applied (× 1 when there is no decay); the step is
     * {@code (alpha·m) / (√v + eps)}, in the order of the GPU kernels (see the RMSprop form).
     */
    public static void adamUpdate(
            Backend b,
            View param,
            View grad,
            View m,
            View v,
            View alpha,
            View decay,
            double beta1,
            double beta2,
            double eps) {
        if (param.size() == 0) {
            return;
        }
        try (DeviceScalar step = new DeviceScalar(b, alpha, param.dtype());
                DeviceScalar keep = new DeviceScalar(b, decay, param.dtype());
                Scratch t = new Scratch(b, param);
                Scratch u = new Scratch(b, param)) {
            b.unary(UnaryOp.RSUB_SCALAR, keep.one, keep.one, 1, 0); // 1 − decay
            keep.multiply(b, param, param);
            adamMoments(b, grad, m, v, t.view, beta1, beta2, eps);
            step.multiply(b, m, u.view); // alpha·m
            b.binary(BinaryOp.DIV, u.view, t.view, u.view, 0);
            b.binary(BinaryOp.SUB, param, u.view, param, 0);
        }
    }

    /** Adam's moments in the kernels' order: m += (g − m)(1 − β1), v += (g² − v)(1 − β2); then t = √v + ε. */
    private static void adamMoments(
            Backend b, View grad, View m, View v, View t, double beta1, double beta2, double eps) {
        b.binary(BinaryOp.SUB, grad, m, t, 0);
        b.unary(UnaryOp.MUL_SCALAR, t, t, 1 - beta1, 0);
        b.binary(BinaryOp.ADD, m, t, m, 0);
        b.unary(UnaryOp.SQUARE, grad, t, 0, 0);
        b.binary(BinaryOp.SUB, t, v, t, 0);
        b.unary(UnaryOp.MUL_SCALAR, t, t, 1 - beta2, 0);
        b.binary(BinaryOp.ADD, v, t, v, 0);
        b.unary(UnaryOp.SQRT, v, t, 0, 0);
        b.unary(UnaryOp.ADD_SCALAR, t, t, eps, 0);
    }

    private static void adam(
            Backend b,
            View param,
            View grad,
            View m,
            View v,
            Factor alpha,
            double beta1,
            double beta2,
            double eps,
            Factor keep) {
        if (param.size() == 0) {
            return;
        }
        try (Scratch t = new Scratch(b, param)) {
            if (keep != null) {
                keep.multiply(b, param, param);
            }
            adamMoments(b, grad, m, v, t.view, beta1, beta2, eps);
            b.binary(BinaryOp.DIV, m, t.view, t.view, 0);
            alpha.multiply(b, t.view, t.view);
            b.binary(BinaryOp.SUB, param, t.view, param, 0);
        }
    }

    /**
     * See {@link Backend#unary(UnaryOp, View, View, View, double)}: the op with a binary twin (ADD_SCALAR, MUL_SCALAR,
     * RSUB_SCALAR, RDIV_SCALAR, POW_SCALAR, MAX_SCALAR, MIN_SCALAR) runs as that binary op against the device scalar
     * broadcast to x's shape, with no host read; any other op reads {@code a} on the host first.
     */
    public static void unary(Backend b, UnaryOp op, View x, View out, View a, double bArg) {
        BinaryOp twin = switch (op) {
            case ADD_SCALAR -> BinaryOp.ADD;
            case MUL_SCALAR -> BinaryOp.MUL;
            case RSUB_SCALAR -> BinaryOp.SUB;
            case RDIV_SCALAR -> BinaryOp.DIV;
            case POW_SCALAR -> BinaryOp.POW;
            case MAX_SCALAR -> BinaryOp.MAXIMUM;
            case MIN_SCALAR -> BinaryOp.MINIMUM;
            default -> null;
        };
        if (twin == null) {
            b.unary(op, x, out, scalar(b, a), bArg);
            return;
        }
        if (out.size() == 0) {
            return;
        }
        try (DeviceScalar s = new DeviceScalar(b, a, x.dtype())) {
            View broadcast = s.over(out.shape());
            if (op == UnaryOp.RSUB_SCALAR || op == UnaryOp.RDIV_SCALAR) {
                b.binary(twin, broadcast, x, out, 0);
            } else {
                b.binary(twin, x, broadcast, out, 0);
            }
        }
    }

    /** A multiplication by a per-step factor: a host double, or a device scalar. */
    private interface Factor {
        /** out = x · factor (out may be x). */
        void multiply(Backend b, View x, View out);

        static Factor of(double value) {
            return (b, x, out) -> b.unary(UnaryOp.MUL_SCALAR, x, out, value, 0);
        }
    }

    /** A rank-0 device scalar cast into a one-element buffer of the operands' type, seen broadcast where it is used. */
    private static final class DeviceScalar implements Factor, AutoCloseable {
        private final Backend backend;
        private final DeviceBuffer buffer;
        /** The one element, rank 0. */
        final View one;

        DeviceScalar(Backend backend, View value, DType dtype) {
            this.backend = backend;
            this.buffer = backend.allocate(dtype, 1);
            this.one = new View(buffer, dtype, 0, new int[0], new long[0]);
            backend.copy(new View(value.buffer(), value.dtype(), value.offset(), new int[0], new long[0]), one);
        }

        /** The value broadcast (stride 0) to {@code shape}. */
        View over(int[] shape) {
            return new View(buffer, one.dtype(), 0, shape.clone(), new long[shape.length]);
        }

        @Override
        public void multiply(Backend b, View x, View out) {
            b.binary(BinaryOp.MUL, x, over(out.shape()), out, 0);
        }

        @Override
        public void close() {
            backend.release(buffer);
        }
    }

    // ---------------------------------------------------------------- window ops

    /**
     * See {@link Backend#im2col}: the input padded into a temporary (when the window pads), then one copy of its
     * window view [groups, n, oh, ow, kh, kw, c/groups] (strides only, no gather) into cols.
     */
    public static void im2col(Backend b, View input, Window2d win, int groups, double padValue, View cols) {
        if (cols.size() == 0) {
            return;
        }
        DeviceBuffer temp = win.padded() ? b.allocate(input.dtype(), paddedSize(win)) : null;
        try {
            View src = temp == null ? input : padInto(b, input, win, padValue, temp);
            long[] s = src.strides();
            int cg = win.c() / groups;
            int[] shape = {groups, win.n(), win.oh(), win.ow(), win.kh(), win.kw(), cg};
            View windows = new View(src.buffer(), src.dtype(), src.offset(), shape, new long[] {
                s[3] * cg, s[0], s[1] * win.sh(), s[2] * win.sw(), s[1] * win.dh(), s[2] * win.dw(), s[3]
            });
            b.copy(windows, new View(cols.buffer(), cols.dtype(), cols.offset(), shape, View.contiguousStrides(shape)));
        } finally {
            if (temp != null) {
                b.release(temp);
            }
        }
    }

    /**
     * See {@link Backend#col2im}: zeros of the padded shape, then for each tap (i, j) its column block added into
     * the strided window of the taps (i, j) of every window (kh·kw adds), then the padding sliced off.
     */
    public static void col2im(Backend b, View cols, Window2d win, int groups, View gradInput) {
        if (gradInput.size() == 0) {
            return;
        }
        DType dtype = gradInput.dtype();
        DeviceBuffer temp = win.padded() ? b.allocate(dtype, paddedSize(win)) : null;
        DeviceBuffer sum = b.allocate(dtype, win.windows() * win.c());
        try {
            View target =
                    temp == null ? gradInput : View.contiguous(temp, win.n(), win.paddedH(), win.paddedW(), win.c());
            b.fill(target, 0);
            int cg = win.c() / groups;
            long k = (long) win.taps() * cg;
            int[] shape = {win.n(), win.oh(), win.ow(), groups, cg};
            long[] colStrides = {win.oh() * win.ow() * k, win.ow() * k, k, win.windows() * k, 1};
            View sums = View.contiguous(sum, shape);
            for (int i = 0; i < win.kh(); i++) {
                for (int j = 0; j < win.kw(); j++) {
                    View into = tapWindows(target, win, i, j, shape, cg);
                    View tap =
                            new View(cols.buffer(), dtype, cols.offset() + (i * win.kw() + j) * cg, shape, colStrides);
                    b.binary(BinaryOp.ADD, into, tap, sums, 0); // into a contiguous sum: outputs are contiguous
                    b.copy(sums, into);
                }
            }
            if (temp != null) {
                b.copy(interior(target, win), gradInput);
            }
        } finally {
            b.release(sum);
            if (temp != null) {
                b.release(temp);
            }
        }
    }

    /**
     * See {@link Backend#maxPool2d}: a max reduction over the taps of the window view of the input padded with
     * −∞, copied into contiguous rows first (every backend's fast path). The argmax, when asked for, is an
     * ARGMAX reduction of the same rows, whose tap numbers become flat input indices by a table written from
     * the host ({@link #inputIndices}), one {@code where} per tap.
     */
    public static void maxPool2d(Backend b, View input, Window2d win, View out, View argmax) {
        if (out.size() == 0) {
            return;
        }
        DeviceBuffer temp = win.padded() ? b.allocate(input.dtype(), paddedSize(win)) : null;
        DeviceBuffer rows = b.allocate(input.dtype(), out.size() * win.taps());
        try {
            View src = temp == null ? input : padInto(b, input, win, Double.NEGATIVE_INFINITY, temp);
            long[] s = src.strides();
            View windows = new View(
                    src.buffer(),
                    src.dtype(),
                    src.offset(),
                    new int[] {win.n(), win.oh(), win.ow(), win.c(), win.kh(), win.kw()},
                    new long[] {s[0], s[1] * win.sh(), s[2] * win.sw(), s[3], s[1] * win.dh(), s[2] * win.dw()});
            b.copy(windows, View.contiguous(rows, windows.shape()));
            View taps = View.contiguous(rows, win.n(), win.oh(), win.ow(), win.c(), win.taps());
            b.reduce(ReduceOp.MAX, taps, 1, out);
            if (argmax != null) {
                argmax(b, taps, win, argmax);
            }
        } finally {
            b.release(rows);
            if (temp != null) {
                b.release(temp);
            }
        }
    }

    /** The flat input index of the first maximum of each row of {@code taps} [n, oh, ow, c, kh·kw]. */
    private static void argmax(Backend b, View taps, Window2d win, View argmax) {
        int[] shape = argmax.shape();
        long size = argmax.size();
        DeviceBuffer tap = b.allocate(DType.INT32, size);
        DeviceBuffer match = b.allocate(DType.INT32, size);
        DeviceBuffer numbers = b.allocate(DType.INT32, win.taps());
        DeviceBuffer table = inputIndices(b, win);
        try {
            View tapOf = View.contiguous(tap, shape);
            b.reduce(ReduceOp.ARGMAX, taps, 1, tapOf);
            b.write(numbers, 0, (int[]) iota(DType.INT32, win.taps()), 0, win.taps());
            View matches = View.contiguous(match, shape);
            for (int t = 0; t < win.taps(); t++) {
                View number = new View(numbers, DType.INT32, t, shape, new long[shape.length]);
                b.binary(BinaryOp.EQ, tapOf, number, matches, 0);
                b.where(matches, tableOf(table, t, shape), argmax, argmax);
            }
        } finally {
            b.release(tap);
            b.release(match);
            b.release(numbers);
            b.release(table);
        }
    }

    /**
     * See {@link Backend#maxPool2dBackward}: per tap, gradOut where argmax is that tap's input index (else 0),
     * added into the tap's strided window of zeros of the padded shape, as {@link #col2im} does.
     */
    public static void maxPool2dBackward(Backend b, View gradOut, View argmax, Window2d win, View gradInput) {
        if (gradInput.size() == 0) {
            return;
        }
        DType dtype = gradInput.dtype();
        long size = gradOut.size();
        DeviceBuffer temp = win.padded() ? b.allocate(dtype, paddedSize(win)) : null;
        DeviceBuffer routed = b.allocate(dtype, size);
        DeviceBuffer match = b.allocate(DType.INT32, size);
        DeviceBuffer zero = b.allocate(dtype, 1);
        DeviceBuffer table = inputIndices(b, win);
        try {
            View target =
                    temp == null ? gradInput : View.contiguous(temp, win.n(), win.paddedH(), win.paddedW(), win.c());
            b.fill(target, 0);
            b.fill(View.contiguous(zero, 1), 0);
            int[] shape = {win.n(), win.oh(), win.ow(), 1, win.c()};
            int[] flat = gradOut.shape();
            View zeros = new View(zero, dtype, 0, flat, new long[flat.length]);
            View matches = View.contiguous(match, flat);
            View routedFlat = View.contiguous(routed, flat);
            for (int t = 0; t < win.taps(); t++) {
                b.binary(BinaryOp.EQ, argmax, tableOf(table, t, flat), matches, 0);
                b.where(matches, gradOut, zeros, routedFlat);
                View into = tapWindows(target, win, t / win.kw(), t % win.kw(), shape, win.c());
                View sum = View.contiguous(routed, shape);
                b.binary(BinaryOp.ADD, into, sum, sum, 0);
                b.copy(sum, into);
            }
            if (temp != null) {
                b.copy(interior(target, win), gradInput);
            }
        } finally {
            b.release(routed);
            b.release(match);
            b.release(zero);
            b.release(table);
            if (temp != null) {
                b.release(temp);
            }
        }
    }

    private static long paddedSize(Window2d win) {
        return (long) win.n() * win.paddedH() * win.paddedW() * win.c();
    }

    /** input [n, h, w, c] copied into the interior of {@code temp} [n, ph, pw, c] filled with value. */
    private static View padInto(Backend b, View input, Window2d win, double value, DeviceBuffer temp) {
        View padded = View.contiguous(temp, win.n(), win.paddedH(), win.paddedW(), win.c());
        b.fill(padded, value);
        b.copy(input, interior(padded, win));
        return padded;
    }

    /** The unpadded [n, h, w, c] part of a padded tensor. */
    private static View interior(View padded, Window2d win) {
        long[] s = padded.strides();
        return new View(
                padded.buffer(),
                padded.dtype(),
                padded.offset() + win.top() * s[1] + win.left() * s[2],
                new int[] {win.n(), win.h(), win.w(), win.c()},
                s);
    }

    /** The cells of a padded tensor that tap (i, j) of each window reads, as [n, oh, ow, groups, c/groups]. */
    private static View tapWindows(View padded, Window2d win, int i, int j, int[] shape, int cg) {
        long[] s = padded.strides();
        return new View(
                padded.buffer(),
                padded.dtype(),
                padded.offset() + i * win.dh() * s[1] + j * win.dw() * s[2],
                shape,
                new long[] {s[0], s[1] * win.sh(), s[2] * win.sw(), s[3] * cg, s[3]});
    }

    /**
     * INT32 [taps, n, oh, ow, c]: the flat input index each tap of each window reads, −1 on padding (so that
     * padding never matches an argmax). Built on the device as image + row + column + channel offsets, broadcast
     * from four short host vectors (a row or column on padding carries an offset below −(any index), which the
     * final maximum with −1 turns into −1), so the host writes kh·oh + kw·ow + n + c values, not the table.
     */
    private static DeviceBuffer inputIndices(Backend b, Window2d win) {
        int n = win.n(), c = win.c(), kh = win.kh(), kw = win.kw(), oh = win.oh(), ow = win.ow();
        int rowSize = Math.multiplyExact(win.w(), c), image = Math.multiplyExact(win.h(), rowSize);
        int elements = Math.multiplyExact(n, image);
        Math.multiplyExact(2, elements + 1); // two offsets on padding must not overflow
        int outside = -(elements + 1);
        int rows = n, columns = rows + kh * oh, channels = columns + kw * ow, minusOne = channels + c;
        int[] parts = new int[minusOne + 1];
        for (int t = 0; t < n; t++) {
            parts[t] = t * image;
        }
        for (int i = 0; i < kh; i++) {
            for (int y = 0; y < oh; y++) {
                int row = y * win.sh() + i * win.dh() - win.top();
                parts[rows + i * oh + y] = row >= 0 && row < win.h() ? row * rowSize : outside;
            }
        }
        for (int j = 0; j < kw; j++) {
            for (int x = 0; x < ow; x++) {
                int col = x * win.sw() + j * win.dw() - win.left();
                parts[columns + j * ow + x] = col >= 0 && col < win.w() ? col * c : outside;
            }
        }
        for (int ch = 0; ch < c; ch++) {
            parts[channels + ch] = ch;
        }
        parts[minusOne] = -1;
        DeviceBuffer small = b.allocate(DType.INT32, parts.length);
        DeviceBuffer table = b.allocate(DType.INT32, Math.max(Math.multiplyExact(win.taps(), win.windows() * c), 1));
        try {
            b.write(small, 0, parts, 0, parts.length);
            int[] shape = {kh, kw, n, oh, ow, c};
            View out = View.contiguous(table, shape);
            b.binary(
                    BinaryOp.ADD,
                    part(small, 0, shape, 0, 0, 1, 0, 0, 0),
                    part(small, rows, shape, oh, 0, 0, 1, 0, 0),
                    out,
                    0);
            b.binary(BinaryOp.ADD, out, part(small, columns, shape, 0, ow, 0, 0, 1, 0), out, 0);
            b.binary(BinaryOp.ADD, out, part(small, channels, shape, 0, 0, 0, 0, 0, 1), out, 0);
            b.binary(BinaryOp.MAXIMUM, out, part(small, minusOne, shape, 0, 0, 0, 0, 0, 0), out, 0);
        } catch (RuntimeException e) {
            b.release(table);
            throw e;
        } finally {
            b.release(small);
        }
        return table;
    }

    /** Values of {@code small} from {@code offset}, broadcast to {@code shape} with the given strides. */
    private static View part(DeviceBuffer small, int offset, int[] shape, long... strides) {
        return new View(small, DType.INT32, offset, shape, strides);
    }

    /** Tap t's slice of the {@link #inputIndices} table, seen in {@code shape} ([n, oh, ow, c] in any grouping). */
    private static View tableOf(DeviceBuffer table, int t, int[] shape) {
        long size = 1;
        for (int extent : shape) {
            size *= extent;
        }
        return new View(table, DType.INT32, t * size, shape.clone(), View.contiguousStrides(shape));
    }

    /** 0, 1, …, n − 1 as a host array of the dtype's Java type. */
    private static Object iota(DType dtype, int n) {
        if (dtype == DType.INT32) {
            int[] values = new int[n];
            for (int i = 0; i < n; i++) {
                values[i] = i;
            }
            return values;
        }
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

    /** The value of a rank-0 (or one-element) view, read on the host: the defaults of the per-step-scalar forms. */
    public static double scalar(Backend b, View value) {
        return switch (value.dtype()) {
            case FLOAT64 -> {
                double[] out = new double[1];
                b.read(value.buffer(), value.offset(), out, 0, 1);
                yield out[0];
            }
            case FLOAT32 -> {
                float[] out = new float[1];
                b.read(value.buffer(), value.offset(), out, 0, 1);
                yield out[0];
            }
            default ->
                throw new IllegalArgumentException("a per-step scalar is FLOAT64 or FLOAT32, not " + value.dtype());
        };
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
