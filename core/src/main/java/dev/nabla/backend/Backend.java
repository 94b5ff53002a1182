package dev.nabla.backend;

/**
 * The backend SPI: everything a device must do for Nabla, and nothing more. A backend implements the
 * required primitives (the abstract methods: memory and transfers, fill, copy, unary, binary, where, reduce,
 * matmul, random); the fused operations (softmax, softmax cross-entropy, one-hot, bias + activation, the
 * optimizer updates) are default methods composed from them in {@link Compositions}, which a backend
 * overrides with a kernel where that pays. Every higher operation (the backward of each op, losses,
 * layers, optimizers) is written once in core in terms of these.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Validated input.</b> Core checks shapes, dtypes and backends before calling; a
 *       backend may assume its arguments are consistent (all views of this backend, outputs
 *       of the documented shapes, equal dtypes unless said otherwise).</li>
 *   <li><b>Outputs.</b> Output views are contiguous and do not overlap any input, except where
 *       a method says it works in place or allows a strided output. One exception holds for
 *       every elementwise method ({@link #unary}, {@link #binary}, {@link #where}, {@link #copy}):
 *       the output may be <em>the very same view</em> as an input (element i read, then element i
 *       written), which core uses to accumulate gradients in place.</li>
 *   <li><b>Asynchrony.</b> Compute and {@link #write} may return before the work is done, in
 *       the order of the calls (an in-order stream or queue). {@link #read} and
 *       {@link #synchronize} wait for all preceding work.</li>
 *   <li><b>Types.</b> All backends support FLOAT32 and INT32 ({@link #copy}, {@link #fill},
 *       comparisons, {@link #oneHot}, arg-reductions); FLOAT64 where {@link #supports} says so.</li>
 *   <li><b>Threads.</b> A backend may be called from any thread, one call at a time per
 *       backend instance unless it documents more (core serializes nothing).</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Short name used to select it: "cpu", "cuda", "opencl". */
    String name();

    /** Human-readable description of the device, e.g. "NVIDIA H100 80GB HBM3 (device 0)". */
    String deviceName();

    /**
     * Whether tensors of this element type can live on this backend. By default FLOAT32 and INT32, the types
     * core cannot do without; a backend that also keeps FLOAT64 or INT64 says so.
     */
    default boolean supports(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.INT32;
    }

    // ---------------------------------------------------------------- memory and transfer

    /**
     * A buffer of at least {@code elements} elements (contents undefined). Served from the
     * backend's cache when it can; otherwise from the device, and if the device is out of
     * memory the cache is emptied and the allocation retried once before throwing
     * {@link DeviceOutOfMemoryException}.
     */
    DeviceBuffer allocate(DType dtype, long elements);

    /** Gives a buffer back (to the cache, or to the device). Core calls it once per buffer. */
    void release(DeviceBuffer buffer);

    /** Counters for tests and tuning. */
    MemoryStats memoryStats();

    /** Frees every cached (unused) buffer back to the device; nothing to do for a backend without a cache. */
    default void emptyCache() {}

    /**
     * Copies {@code length} elements from a host array into {@code dst} starting at element
     * {@code dstOffset}. The array type matches the buffer: {@code float[]} for FLOAT32,
     * {@code double[]} for FLOAT64, {@code int[]} for INT32. The array may be reused by the
     * caller as soon as this returns.
     */
    void write(DeviceBuffer dst, long dstOffset, Object hostArray, int srcOffset, int length);

    /**
     * Copies whole rows of a FLOAT32 host matrix into {@code dst} one after another: row
     * {@code rows[first + k]} of {@code source} (its {@code rowLength} floats) lands at element
     * {@code dstOffset + k · rowLength}, for k in [0, count); with {@code rows} null the rows are
     * {@code first}, {@code first + 1}, …. This is how a shuffled batch reaches the device. The
     * caller has checked every index. As with {@link #write}, {@code source} may change as soon as
     * this returns.
     *
     * <p>The default gathers the rows into a reused host array and writes that; a backend whose
     * memory the host addresses directly gathers straight into the buffer instead.
     */
    default void writeRows(
            DeviceBuffer dst, long dstOffset, float[] source, int rowLength, int[] rows, int first, int count) {
        int length = Math.multiplyExact(count, rowLength);
        float[] staging = HostRows.staging(length);
        HostRows.copy(source, rowLength, rows, first, count, staging, 0);
        write(dst, dstOffset, staging, 0, length);
    }

    /**
     * Whether this backend's buffers are memory the host reads and writes directly (the CPU backend's Java arrays),
     * so that a batch is gathered straight into place from the host's data set ({@link #writeRows}) and a second
     * copy of the data set on the backend would only cost memory. {@code fit} keeps a data set resident
     * ({@link #gatherRows}) on backends where this is false. False by default.
     */
    default boolean hostAddressable() {
        return false;
    }

    /**
     * Gathers whole rows of a matrix that already lives on this backend: {@code out[k, :] = source[rows[k], :]}
     * for k in [0, count), with {@code source} [n, rowLength] and {@code out} [count, rowLength] contiguous and of
     * one dtype, and {@code rows} a contiguous INT32 view [count] (a slice of an epoch's order serves one batch).
     * This is how a batch of a data set kept on the device is made without a round trip through the host. The
     * caller has checked every index.
     *
     * <p>The default multiplies a one-hot selection by the source ({@link Compositions#gatherRows}): nothing is read
     * back to the host, but it costs n multiply-adds per element, so a backend overrides it with one kernel.
     */
    default void gatherRows(View source, View rows, View out) {
        Compositions.gatherRows(this, source, rows, out);
    }

    /** Copies {@code length} elements into a host array (typed as for {@link #write}); waits for pending work. */
    void read(DeviceBuffer src, long srcOffset, Object hostArray, int dstOffset, int length);

    /** Waits until all work queued so far has finished; nothing to do for a backend whose calls finish before they return. */
    default void synchronize() {}

    // ---------------------------------------------------------------- elementwise

    /** Sets every element of {@code out} (which may be strided) to {@code value}. */
    void fill(View out, double value);

    /**
     * Copies {@code src} into {@code dst} element by element; both have the same shape, either
     * may be strided (dst has no stride 0), and the dtypes may differ (a cast; float to int
     * truncates toward zero).
     */
    void copy(View src, View dst);

    /** out = op(x; a, b); x has out's shape (possibly strided or broadcast). Floating types only. */
    void unary(UnaryOp op, View x, View out, double a, double b);

    /**
     * out = op(x, y; a); x and y have out's shape (possibly strided or broadcast, stride 0).
     * Floating types only.
     */
    void binary(BinaryOp op, View x, View y, View out, double a);

    /** out = cond ≠ 0 ? x : y; all three inputs have out's shape (possibly strided or broadcast). */
    void where(View cond, View x, View y, View out);

    // ---------------------------------------------------------------- reductions

    /**
     * Reduces the last {@code reducedAxes} axes of {@code x}: {@code out} is contiguous with the
     * shape of x's leading {@code x.rank() − reducedAxes} axes. x may be strided (core permutes
     * the reduced axes to the end). {@code out} is INT32 for ARGMAX/ARGMIN, else x's dtype.
     */
    void reduce(ReduceOp op, View x, int reducedAxes, View out);

    // ---------------------------------------------------------------- matrix multiply

    /**
     * Batched matrix multiply: for each batch index, out = op(a) · op(b) where op transposes
     * when its flag is set.
     *
     * <p>a, b and out are rank 3, {@code [batch, rows, cols]} as stored. a and b have unit stride
     * on their last axis, any stride on the middle one (the leading dimension) and any stride,
     * including 0 for broadcasting, on the batch axis. With op(a) of shape [m, k] and op(b) of
     * shape [k, n], out is contiguous [batch, m, n].
     */
    void matmul(View a, boolean transposeA, View b, boolean transposeB, View out);

    // ---------------------------------------------------------------- optional fusions
    // Each is composed from the primitives above by default (Compositions); a backend overrides it with a kernel
    // of its own where a benchmark shows that pays, and the conformance kit checks the override against the
    // composition.

    /**
     * Softmax (or, if {@code log}, log-softmax) of each row of the contiguous matrix
     * x [rows, cols] into out [rows, cols]; stable for large inputs (subtracts the row max).
     */
    default void softmax(View x, View out, boolean log) {
        Compositions.softmax(this, x, out, log);
    }

    /**
     * Softmax cross-entropy of each row: probs = softmax(logits), loss[r] = −Σ_c targets[r, c] ·
     * log softmax(logits)[r, c] (computed from the log-softmax, never from log of a rounded
     * probability). logits, targets and probs are contiguous [rows, cols], loss is [rows].
     */
    default void softmaxCrossEntropy(View logits, View targets, View loss, View probs) {
        Compositions.softmaxCrossEntropy(this, logits, targets, loss, probs);
    }

    /** out[r, c] = (probs[r, c] − targets[r, c]) · gradLoss[r]; all contiguous. */
    default void softmaxCrossEntropyBackward(View probs, View targets, View gradLoss, View out) {
        Compositions.softmaxCrossEntropyBackward(this, probs, targets, gradLoss, out);
    }

    /** out[i, j] = 1 if indices[i] = j else 0; indices INT32 [n], out [n, classes] floating. */
    default void oneHot(View indices, View out) {
        Compositions.oneHot(this, indices, out);
    }

    /**
     * out[r, c] = activation(x[r, c] + bias[c]; a) for contiguous x and out [rows, cols] and bias
     * [cols]. {@code activation} is null for none, else one of RELU, LEAKY_RELU, SIGMOID, TANH,
     * SOFTPLUS, SWISH (parameter a as in {@link UnaryOp}).
     */
    default void biasActivation(View x, View bias, UnaryOp activation, double a, View out) {
        Compositions.biasActivation(this, x, bias, activation, a, out);
    }

    /**
     * The backward of {@link #biasActivation} for the activations whose derivative is a function of
     * the output ({@link BinaryOp#outputDerivativeOf}: RELU, SIGMOID, TANH): gradIn[r, c] =
     * activation′(out[r, c]) · gradOut[r, c] as that BinaryOp computes it, and gradBias[c] =
     * Σ_r gradIn[r, c]. out, gradOut and gradIn are contiguous [rows, cols], gradBias is [cols].
     *
     */
    default void biasActivationBackward(
            View out, View gradOut, UnaryOp activation, double a, View gradIn, View gradBias) {
        Compositions.biasActivationBackward(this, out, gradOut, activation, a, gradIn, gradBias);
    }

    // ---------------------------------------------------------------- window ops (NHWC, see Window2d)

    /**
     * im2col: writes the windows of {@code input} [n, h, w, c] (padded with {@code padValue} where a tap falls
     * outside it) into the contiguous matrix {@code cols} [groups, n·oh·ow, kh·kw·c/groups]: row (b, y, x) of
     * group g holds taps (i, j) in row-major order, each with the group's c/groups channels.
     */
    default void im2col(View input, Window2d window, int groups, double padValue, View cols) {
        Compositions.im2col(this, input, window, groups, padValue, cols);
    }

    /**
     * col2im, the adjoint of {@link #im2col}: gradInput [n, h, w, c] (contiguous, overwritten) becomes the sum,
     * over every window and tap, of the value of {@code cols} (contiguous, laid out as im2col writes it) at that
     * tap; taps that fall on padding are dropped.
     */
    default void col2im(View cols, Window2d window, int groups, View gradInput) {
        Compositions.col2im(this, cols, window, groups, gradInput);
    }

    /**
     * Max pooling (dilation 1, padding never wins): out [n, oh, ow, c] is the maximum of each window of input
     * [n, h, w, c], and {@code argmax} (INT32, same shape) the flat index into input (b·h·w·c + row·w·c +
     * column·c + channel) of its first maximum in tap order. All contiguous. {@code argmax} may be null: then
     * only the maxima are computed (the forward pass needs no more).
     */
    default void maxPool2d(View input, Window2d window, View out, View argmax) {
        Compositions.maxPool2d(this, input, window, out, argmax);
    }

    /**
     * The backward of {@link #maxPool2d}: gradInput (contiguous [n, h, w, c], overwritten) is zero except at
     * the flat indices in {@code argmax}, where it accumulates the gradOut of every window that chose it.
     */
    default void maxPool2dBackward(View gradOut, View argmax, Window2d window, View gradInput) {
        Compositions.maxPool2dBackward(this, gradOut, argmax, window, gradInput);
    }

    /**
     * Fills {@code out} (contiguous, floating) with draws of {@code kind} from Philox4x32-10 with
     * key {@code seed} and blocks starting at {@code counter}, exactly as {@link Philox#sample}.
     */
    void random(RandomKind kind, long seed, long counter, double a, double b, View out);

    // ---------------------------------------------------------------- optimizer updates (in place, contiguous, same
    // size)

    /**
     * SGD as Keras does it. Without velocity (null): p −= lr·g. With velocity v:
     * v = momentum·v − lr·g; then p += v, or with Nesterov p += momentum·v − lr·g.
     */
    default void sgdUpdate(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        Compositions.sgdUpdate(this, param, grad, velocity, lr, momentum, nesterov);
    }

    /** RMSprop as Keras 3 does it: ms = rho·ms + (1 − rho)·g²; p −= lr·g / √(ms + eps). */
    default void rmspropUpdate(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        Compositions.rmspropUpdate(this, param, grad, meanSquare, lr, rho, eps);
    }

    /**
     * Adam as Keras 3 does it, with the bias corrections folded into {@code alpha}
     * (= lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)) by core: first p ·= (1 − decay) (decoupled weight decay,
     * AdamW; 0 for Adam), then m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂); p −= alpha·m / (√v + eps).
     */
    default void adamUpdate(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        Compositions.adamUpdate(this, param, grad, m, v, alpha, beta1, beta2, eps, decay);
    }

    // ---------------------------------------------------------------- per-step scalars read from the device
    // The forms of the updates above whose per-step scalars (a scheduled learning rate, Adam's bias-corrected
    // step) come from device memory: a rank-0 view, FLOAT64 where the backend supports it (the very double the
    // host computed), else FLOAT32. A captured step ({@link #capture}) calls them, and the host writes the next
    // step's values before each replay, outside the graph. The compositions read nothing back (they multiply
    // by the scalar broadcast on the device), so a capturing backend gets them for free; the conformance kit's
    // CaptureSpec checks that a captured fit ends with the eager fit's weights bit for bit.

    /**
     * {@link #unary} with the parameter {@code a} read from the rank-0 view {@code a}: ADD_SCALAR, MUL_SCALAR,
     * RSUB_SCALAR, RDIV_SCALAR, POW_SCALAR, MAX_SCALAR and MIN_SCALAR (other ops read {@code a} on the host).
     */
    default void unary(UnaryOp op, View x, View out, View a, double b) {
        Compositions.unary(this, op, x, out, a, b);
    }

    /** {@link #sgdUpdate(View, View, View, double, double, boolean)} with the learning rate read from {@code lr}. */
    default void sgdUpdate(View param, View grad, View velocity, View lr, double momentum, boolean nesterov) {
        Compositions.sgdUpdate(this, param, grad, velocity, lr, momentum, nesterov);
    }

    /** {@link #rmspropUpdate(View, View, View, double, double, double)} with the learning rate read from {@code lr}. */
    default void rmspropUpdate(View param, View grad, View meanSquare, View lr, double rho, double eps) {
        Compositions.rmspropUpdate(this, param, grad, meanSquare, lr, rho, eps);
    }

    /**
     * {@link #adamUpdate(View, View, View, View, double, double, double, double, double)} with alpha and decay
     * read from the device.
     */
    default void adamUpdate(
            View param, View grad, View m, View v, View alpha, View decay, double beta1, double beta2, double eps) {
        Compositions.adamUpdate(this, param, grad, m, v, alpha, decay, beta1, beta2, eps);
    }

    // ---------------------------------------------------------------- graph capture

    /**
     * Captures the device work of {@code step} (one training step: forward, backward, optimizer
     * update) as a graph that {@link StepGraph#replay()} runs again, or returns null where this
     * backend cannot capture (the default). {@code fit} uses it when the shapes of a step repeat
     * ({@code FitOptions.graphCapture}); docs/cuda.md, "Graph capture", tells the whole story.
     *
     * <p>Contract:
     * <ul>
     *   <li><b>Recording, not running.</b> While {@code step} runs, every compute call, fill and
     *       copy is recorded with its views and scalars and <em>not</em> run: when capture
     *       returns, the device state is as before, and the caller replays the graph once to
     *       apply the captured step itself.</li>
     *   <li><b>Same buffers.</b> Replay reads and writes the buffers of the recorded views. Inputs
     *       that change from step to step go through buffers the caller refills before each replay
     *       (the batch) and rank-0 scalar views (the per-step forms of the updates above), never
     *       through a host {@code double} baked into the graph.</li>
     *   <li><b>A private pool.</b> Buffers allocated during capture come from a pool of the graph:
     *       released during capture, they go back to that pool (and may serve a later allocation
     *       of the same capture); released after it, they stay the graph's. None moves or is
     *       handed out elsewhere while the graph lives; {@link StepGraph#close()} frees them.
     *       Buffers the step reads that were allocated before capture (weights, optimizer slots,
     *       metric sums) must stay alive while the graph lives; the caller sees to that.</li>
     *   <li><b>What cannot be captured.</b> A host read ({@link #read}), {@link #synchronize()}, a
     *       random draw (its counter would be baked in) and anything else the graph cannot hold
     *       make capture throw {@link CaptureUnsupportedException}; the recorded work is dropped
     *       and nothing of it has run, so the caller runs the step eagerly instead. A host
     *       {@link #write} during capture is recorded as a constant: the values as they were when
     *       written.</li>
     *   <li>Other exceptions of {@code step} propagate after the recording is dropped.</li>
     * </ul>
     */
    default StepGraph capture(Runnable step) {
        return null;
    }

    /** Releases the device and everything cached; the backend is unusable afterwards. */
    @Override
    void close();
}
