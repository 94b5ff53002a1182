package dev.nabla.tensor;

import dev.nabla.backend.Backend;
import dev.nabla.backend.Backends;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array on a {@link Backend}, with reverse-mode autograd.
 *
 * <p>A tensor is a handle: shape, strides, dtype and a reference to a buffer that lives where
 * its backend keeps it. Views ({@link #reshape}, {@link #transpose}, {@link #slice},
 * {@link #broadcastTo}, {@link #squeeze}, {@link #unsqueeze}) share the buffer; operations make
 * new tensors. Device work is asynchronous: only host reads ({@link #toFloatArray}, {@link #item},
 * {@link #toString}) wait for it.
 *
 * <pre>{@code
 * Tensor w = Tensor.of(new float[] {0.5f, -1f}, 2, 1).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
 * Tensor loss = x.matmul(w).sigmoid().mean();
 * loss.backward();
 * System.out.println(w.grad());
 * }</pre>
 *
 * <p><b>Lifetime.</b> Tensors are {@link AutoCloseable}; a {@link TensorScope} closes those made
 * inside it. Closing a view never invalidates other views of the same buffer; the buffer goes
 * back to the backend when the last of them is closed.
 *
 * <p><b>Threads.</b> A tensor may be read from several threads at once; it must not be closed
 * while another thread uses it. Autograd recording ({@link NoGrad}) and scopes are per thread.
 */
public final class Tensor implements AutoCloseable {
    final Storage storage;
    final View view;
    private volatile boolean closed;
    private boolean requiresGrad;
    Node gradFn;
    private Tensor grad;

    Tensor(Storage storage, View view) {
        this.storage = storage;
        this.view = view;
        storage.retain();
        TensorScope.track(this);
    }

    /** A new, uninitialized contiguous tensor. */
    static Tensor empty(Backend backend, dev.nabla.backend.DType dtype, int[] shape) {
        int[] checked = Shapes.validated(shape);
        if (!backend.supports(dtype)) {
            throw new UnsupportedOperationException("backend '" + backend.name() + "' does not support " + dtype
                    + "; expected FLOAT32 or INT32 there (FLOAT64 runs on the cpu backend)");
        }
        var buffer = backend.allocate(dtype, Shapes.size(checked));
        return new Tensor(new Storage(backend, buffer), View.contiguous(buffer, checked));
    }

    /** A new handle on the same buffer with another layout (no autograd recorded). */
    Tensor alias(View layout) {
        return new Tensor(storage, layout);
    }

    // ------------------------------------------------------------------ creation

    /** Creation on an explicit backend: {@code Tensor.on(backend).zeros(2, 3)}. */
    public static TensorFactory on(Backend backend) {
        return new TensorFactory(backend);
    }

    /** Creation on the default backend ({@link Backends#current()}). */
    public static TensorFactory factory() {
        return new TensorFactory(Backends.current());
    }

    /** FLOAT32 zeros of {@code shape} on the default backend. */
    public static Tensor zeros(int... shape) {
        return factory().zeros(shape);
    }

    /** FLOAT32 ones of {@code shape} on the default backend. */
    public static Tensor ones(int... shape) {
        return factory().ones(shape);
    }

    /** FLOAT32 tensor of {@code shape} filled with {@code value} on the default backend. */
    public static Tensor full(double value, int... shape) {
        return factory().full(value, shape);
    }

    /** FLOAT32 [start, start + step, …) below {@code end}, like numpy's arange. */
    public static Tensor arange(double start, double end, double step) {
        return factory().arange(start, end, step);
    }

    /** A FLOAT32 tensor holding {@code data} in row-major order with the given shape (default: 1-D). */
    public static Tensor of(float[] data, int... shape) {
        return factory().of(data, shape);
    }

    /** A FLOAT64 tensor holding {@code data}. */
    public static Tensor of(double[] data, int... shape) {
        return factory().of(data, shape);
    }

    /** An INT32 tensor holding {@code data} (labels, indices). */
    public static Tensor of(int[] data, int... shape) {
        return factory().of(data, shape);
    }

    /** A FLOAT32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        return factory().of(rows);
    }

    /** A FLOAT32 scalar (rank 0). */
    public static Tensor scalar(double value) {
        return factory().scalar(value);
    }

    /** Uniform on [low, high), FLOAT32, reproducible from {@code seed} on every backend. */
    public static Tensor uniform(long seed, double low, double high, int... shape) {
        return factory().uniform(new Generator(seed), low, high, shape);
    }

    /** Normal with the given mean and standard deviation, FLOAT32, reproducible from {@code seed}. */
    public static Tensor normal(long seed, double mean, double std, int... shape) {
        return factory().normal(new Generator(seed), mean, std, shape);
    }

    /** Concatenation along an existing axis (a copy). */
    public static Tensor concat(List<Tensor> tensors, int axis) {
        return ShapeOps.concat(tensors, axis);
    }

    /** Stacking along a new axis (a copy). */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        return ShapeOps.stack(tensors, axis);
    }

    /** out = cond ≠ 0 ? x : y, with broadcasting. */
    public static Tensor where(Tensor cond, Tensor x, Tensor y) {
        return Elementwise.where(cond, x, y);
    }

    /** How many buffers the Cleaner backstop had to release because their tensors were never closed. */
    public static long cleanerReleases() {
        return Storage.CLEANER_RELEASES.get();
    }

    // ------------------------------------------------------------------ properties

    public int[] shape() {
        return view.shape().clone();
    }

    /** Extent of {@code axis} (negative counts from the end). */
    public int shape(int axis) {
        return view.shape()[Shapes.axis("shape", axis, rank())];
    }

    /** Element strides (0 on broadcast axes). */
    public long[] strides() {
        return view.strides().clone();
    }

    public int rank() {
        return view.rank();
    }

    public long size() {
        return view.size();
    }

    public DType dtype() {
        return view.dtype();
    }

    public Backend backend() {
        return storage.backend;
    }

    public boolean isContiguous() {
        return view.isContiguous();
    }

    /** The SPI view of this tensor, for backends and extensions. */
    public View view() {
        Checks.open(this, "view");
        return view;
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ autograd

    /** Marks a leaf tensor as a variable whose gradient {@link #backward()} accumulates in {@link #grad()}. */
    public Tensor requiresGrad(boolean value) {
        Checks.open(this, "requiresGrad");
        if (value && !dtype().isFloating()) {
            throw new IllegalArgumentException(
                    "only floating-point tensors can require gradients; this one is " + dtype());
        }
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad can be set on leaf tensors only; this one is the result of "
                    + gradFn.op + " (use detach() to make a leaf)");
        }
        this.requiresGrad = value;
        return this;
    }

    /** Whether this is a leaf that collects gradients. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether gradients flow through this tensor (a variable, or the result of an op on one). */
    public boolean tracksGrad() {
        return requiresGrad || gradFn != null;
    }

    /** The accumulated gradient of a leaf, or null before any backward pass. */
    public Tensor grad() {
        return grad;
    }

    /** Drops the accumulated gradient (closing it). */
    public void zeroGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** Replaces the gradient (used by the autograd engine and optimizers; takes ownership). */
    void setGrad(Tensor value) {
        grad = value;
    }

    /** Back-propagates from this scalar: accumulates d(this)/d(leaf) into every leaf's {@link #grad()}. */
    public void backward() {
        Autograd.backward(this, null);
    }

    /** Back-propagates with an explicit output gradient of this tensor's shape. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient);
    }

    /** A new handle on the same data that is cut from the graph. */
    public Tensor detach() {
        Checks.open(this, "detach");
        return alias(view);
    }

    // ------------------------------------------------------------------ host reads

    /** The elements in row-major order as floats (waits for pending work). */
    public float[] toFloatArray() {
        return HostIO.toFloatArray(this);
    }

    /** The elements in row-major order as doubles (waits for pending work). */
    public double[] toDoubleArray() {
        return HostIO.toDoubleArray(this);
    }

    /** The elements in row-major order as ints (floats truncated toward zero). */
    public int[] toIntArray() {
        return HostIO.toIntArray(this);
    }

    /** The value of a one-element tensor (waits for pending work). */
    public double item() {
        Checks.open(this, "item");
        if (size() != 1) {
            throw new IllegalStateException("item() needs a tensor of exactly one element; this one has shape "
                    + Shapes.str(view.shape()) + " (" + size() + " elements)");
        }
        return toDoubleArray()[0];
    }

    /** Prints like numpy: nested brackets, aligned columns, summarized when large. */
    @Override
    public String toString() {
        if (closed) {
            return "Tensor(closed, shape=" + Shapes.str(view.shape()) + ", " + dtype() + ")";
        }
        return Format.numpy(this);
    }

    // ------------------------------------------------------------------ copies and conversion

    /** A contiguous tensor with the same values (a copy unless already contiguous). */
    public Tensor contiguous() {
        return ShapeOps.contiguous(this);
    }

    /** A copy in another element type. */
    public Tensor to(DType dtype) {
        return ShapeOps.cast(this, dtype);
    }

    /** A copy on another backend (through the host). */
    public Tensor to(Backend backend) {
        return ShapeOps.transfer(this, backend);
    }

    /** A contiguous copy that does not share this tensor's buffer. */
    public Tensor copy() {
        return ShapeOps.copy(this);
    }

    // ------------------------------------------------------------------ views

    /** The same elements in another shape; one extent may be −1 (inferred). A view when contiguous. */
    public Tensor reshape(int... shape) {
        return ShapeOps.reshape(this, shape);
    }

    /** Flattens everything after the first axis: [n, …] → [n, product]. */
    public Tensor flatten() {
        return rank() <= 1 ? reshape(-1) : reshape(shape(0), -1);
    }

    /** Reorders axes: result axis i is this tensor's axis {@code axes[i]}. */
    public Tensor permute(int... axes) {
        return ShapeOps.permute(this, axes);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
    }

    /** The transpose of a matrix (swaps the last two axes). */
    public Tensor t() {
        if (rank() < 2) {
            throw new IllegalArgumentException(
                    "t() needs a tensor of rank ≥ 2; this one has shape " + Shapes.str(view.shape()));
        }
        return transpose(-2, -1);
    }

    /** Elements start, start + step, … below end along {@code axis} (negative start/end count from the end). */
    public Tensor slice(int axis, int start, int end, int step) {
        return ShapeOps.slice(this, axis, start, end, step);
    }

    /** Elements [start, end) along {@code axis}. */
    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Index {@code index} along {@code axis}, removing that axis. */
    public Tensor select(int axis, int index) {
        int a = Shapes.axis("select", axis, rank());
        int i = index < 0 ? index + view.shape()[a] : index;
        return slice(a, i, i + 1).squeeze(a);
    }

    /** Repeats this tensor along axes of extent 1 (and new leading axes) without copying. */
    public Tensor broadcastTo(int... shape) {
        return ShapeOps.broadcastTo(this, shape);
    }

    /** Removes every axis of extent 1, or just {@code axis}. */
    public Tensor squeeze(int... axis) {
        return ShapeOps.squeeze(this, axis);
    }

    /** Inserts an axis of extent 1 at {@code axis}. */
    public Tensor unsqueeze(int axis) {
        return ShapeOps.unsqueeze(this, axis);
    }

    // ------------------------------------------------------------------ elementwise, two operands (numpy broadcasting)

    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    public Tensor pow(Tensor exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other);
    }
    /** 1 where equal, else 0 (same dtype as the operands). */
    public Tensor eq(Tensor other) {
        return Elementwise.binary(BinaryOp.EQ, this, other);
    }

    public Tensor ne(Tensor other) {
        return Elementwise.binary(BinaryOp.NE, this, other);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.binary(BinaryOp.LT, this, other);
    }

    public Tensor le(Tensor other) {
        return Elementwise.binary(BinaryOp.LE, this, other);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.binary(BinaryOp.GT, this, other);
    }

    public Tensor ge(Tensor other) {
        return Elementwise.binary(BinaryOp.GE, this, other);
    }

    // ------------------------------------------------------------------ elementwise with a scalar

    public Tensor add(double value) {
        return Elementwise.unary(UnaryOp.ADD_SCALAR, this, value, 0);
    }

    public Tensor sub(double value) {
        return Elementwise.unary(UnaryOp.ADD_SCALAR, this, -value, 0);
    }

    public Tensor mul(double value) {
        return Elementwise.unary(UnaryOp.MUL_SCALAR, this, value, 0);
    }

    public Tensor div(double value) {
        return Elementwise.unary(UnaryOp.MUL_SCALAR, this, 1.0 / value, 0);
    }
    /** value − this */
    public Tensor rsub(double value) {
        return Elementwise.unary(UnaryOp.RSUB_SCALAR, this, value, 0);
    }
    /** value / this */
    public Tensor rdiv(double value) {
        return Elementwise.unary(UnaryOp.RDIV_SCALAR, this, value, 0);
    }

    public Tensor pow(double exponent) {
        return Elementwise.unary(UnaryOp.POW_SCALAR, this, exponent, 0);
    }

    public Tensor maximum(double value) {
        return Elementwise.unary(UnaryOp.MAX_SCALAR, this, value, 0);
    }

    public Tensor minimum(double value) {
        return Elementwise.unary(UnaryOp.MIN_SCALAR, this, value, 0);
    }
    /** Limits every element to [min, max]. */
    public Tensor clip(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException(
                    "clip: min " + min + " is greater than max " + max + "; expected min ≤ max");
        }
        return Elementwise.unary(UnaryOp.CLIP, this, min, max);
    }

    public Tensor gt(double value) {
        return Elementwise.unary(UnaryOp.GT_SCALAR, this, value, 0);
    }

    public Tensor ge(double value) {
        return Elementwise.unary(UnaryOp.GE_SCALAR, this, value, 0);
    }

    public Tensor lt(double value) {
        return Elementwise.unary(UnaryOp.LT_SCALAR, this, value, 0);
    }

    public Tensor le(double value) {
        return Elementwise.unary(UnaryOp.LE_SCALAR, this, value, 0);
    }

    public Tensor eq(double value) {
        return Elementwise.unary(UnaryOp.EQ_SCALAR, this, value, 0);
    }

    // ------------------------------------------------------------------ elementwise functions

    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this, 0, 0);
    }

    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this, 0, 0);
    }

    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this, 0, 0);
    }

    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this, 0, 0);
    }

    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this, 0, 0);
    }

    public Tensor square() {
        return Elementwise.unary(UnaryOp.SQUARE, this, 0, 0);
    }
    /** 1 / x */
    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this, 0, 0);
    }

    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this, 0, 0);
    }

    // ------------------------------------------------------------------ activations (of the course notes)

    /** Heaviside step h(x): 1 if x &gt; 0 else 0. */
    public Tensor step() {
        return Elementwise.unary(UnaryOp.STEP, this, 0, 0);
    }
    /** The perceptron's step: 1 if x &gt; 0 else −1. */
    public Tensor bipolarStep() {
        return Elementwise.unary(UnaryOp.BIPOLAR_STEP, this, 0, 0);
    }

    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this, 0, 0);
    }
    /** x if x &gt; 0 else 0.01·x */
    public Tensor leakyRelu() {
        return leakyRelu(0.01);
    }

    public Tensor leakyRelu(double slope) {
        return Elementwise.unary(UnaryOp.LEAKY_RELU, this, slope, 0);
    }

    public Tensor sigmoid() {
        return sigmoid(1);
    }
    /** 1 / (1 + e^(−βx)) */
    public Tensor sigmoid(double beta) {
        return Elementwise.unary(UnaryOp.SIGMOID, this, beta, 0);
    }
    /** The standard hyperbolic tangent. */
    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this, 0, 0);
    }
    /**
     * The course notes' "hyperbolic tangent" with slope β: 2 / (1 + e^(−βx)) − 1, which equals tanh(βx/2)
     * (so β = 2 gives the standard tanh).
     */
    public Tensor tanh(double beta) {
        return mul(beta / 2).tanh();
    }

    public Tensor softplus() {
        return softplus(1);
    }
    /** ln(1 + e^(βx)) / β */
    public Tensor softplus(double beta) {
        return Elementwise.unary(UnaryOp.SOFTPLUS, this, beta, 0);
    }

    public Tensor swish() {
        return swish(1);
    }
    /** x / (1 + e^(−βx)) */
    public Tensor swish(double beta) {
        return Elementwise.unary(UnaryOp.SWISH, this, beta, 0);
    }

    /**
     * An elementwise function given by its forward and its derivative, both written with tensor ops
     * (as {@code torch.autograd.Function}): autograd records one node whose backward is
     * {@code g · derivative(x, y)}, and the intermediate tensors of either are released at once.
     *
     * <pre>{@code
     * Tensor y = x.elementwise("softsign",
     *         t -> t.div(t.abs().add(1)),                          // forward: x / (1 + |x|)
     *         (t, out) -> t.abs().add(1).square().reciprocal());  // dy/dx = 1 / (1 + |x|)²
     * }</pre>
     *
     * @param name       the op's name in errors, NaN checks and the graph
     * @param forward    y = f(x), a new tensor of x's shape and dtype
     * @param derivative f'(x) from the input and the output, elementwise
     */
    public Tensor elementwise(String name, UnaryOperator<Tensor> forward, BinaryOperator<Tensor> derivative) {
        return Elementwise.custom(name, this, forward, derivative);
    }

    /** e^x / Σ e^x along {@code axis}, stable for large inputs. */
    public Tensor softmax(int axis) {
        return NeuralOps.softmax(this, axis, false);
    }
    /** log(softmax(x)) along {@code axis}, computed directly (stable). */
    public Tensor logSoftmax(int axis) {
        return NeuralOps.softmax(this, axis, true);
    }
    /** 1 at the largest entry along {@code axis} (the first on ties), 0 elsewhere. */
    public Tensor hardmax(int axis) {
        return NeuralOps.hardmax(this, axis);
    }
    /** One-hot rows of an INT32 index tensor: shape [..., classes], FLOAT32. */
    public Tensor oneHot(int classes) {
        return NeuralOps.oneHot(this, classes);
    }

    /**
     * Per-row softmax cross-entropy of logits [n, c] against target probabilities [n, c]
     * (one-hot or soft): −Σ t·log softmax(x), shape [n]; its gradient is softmax(x) − t.
     */
    public Tensor softmaxCrossEntropy(Tensor targets) {
        return NeuralOps.softmaxCrossEntropy(this, targets);
    }

    /** activation(x + bias) in one pass for x [n, f] and bias [f]; activation null for none. */
    public Tensor biasActivation(Tensor bias, UnaryOp activation, double parameter) {
        return NeuralOps.biasActivation(this, bias, activation, parameter);
    }

    /** Inverted dropout: zeroes each element with probability {@code rate} and scales the rest by 1/(1 − rate). */
    public Tensor dropout(double rate, Generator generator) {
        return NeuralOps.dropout(this, rate, generator);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum over {@code axes} (all when none given). */
    public Tensor sum(int... axes) {
        return Reductions.sum(this, axes, false);
    }

    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    public Tensor mean(int... axes) {
        return Reductions.mean(this, axes, false);
    }

    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    public Tensor max(int... axes) {
        return Reductions.extreme(this, axes, false, true);
    }

    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.extreme(this, axes, keepDims, true);
    }

    public Tensor min(int... axes) {
        return Reductions.extreme(this, axes, false, false);
    }

    public Tensor min(int[] axes, boolean keepDims) {
        return Reductions.extreme(this, axes, keepDims, false);
    }
    /** Population variance (divides by n) over {@code axes}. */
    public Tensor variance(int... axes) {
        return Reductions.variance(this, axes, false);
    }

    public Tensor variance(int[] axes, boolean keepDims) {
        return Reductions.variance(this, axes, keepDims);
    }
    /** INT32 index of the largest element along {@code axis} (first on ties). */
    public Tensor argmax(int axis) {
        return Reductions.arg(this, axis, false, true);
    }

    public Tensor argmax(int axis, boolean keepDims) {
        return Reductions.arg(this, axis, keepDims, true);
    }

    public Tensor argmin(int axis) {
        return Reductions.arg(this, axis, false, false);
    }
    /** INT32 index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return reshape(-1).argmax(0);
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with numpy semantics: [.., m, k] · [.., k, n] → [.., m, n], batch axes
     * broadcast, 1-D operands promoted (and the added axis removed). Transposed views are passed
     * to the backend's GEMM as transposes, without copies.
     */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    // ------------------------------------------------------------------ convolution and pooling (NHWC)

    /**
     * 2-D convolution (cross-correlation, as Keras' Conv2D) of this NHWC input [batch, height, width, channels]
     * with {@code kernel} [kh, kw, channels / groups, filters] (Keras' layout): result [batch, oh, ow, filters].
     * With {@code groups} g the channels split into g consecutive groups and filters f·(filters/g) … of group f
     * see only theirs; {@code groups == channels} is a depthwise convolution (Keras' DepthwiseConv2D with
     * depth multiplier filters/channels). For NCHW data use {@code x.permute(0, 2, 3, 1)} and permute the
     * result back with {@code permute(0, 3, 1, 2)}.
     *
     * @param strides  {height, width} steps between windows (null: {1, 1})
     * @param padding  {@link Padding#VALID} or {@link Padding#SAME} (TensorFlow's rule)
     * @param dilation {height, width} steps between kernel taps (null: {1, 1})
     * @param groups   ≥ 1, dividing both channels and filters
     */
    public Tensor conv2d(Tensor kernel, int[] strides, Padding padding, int[] dilation, int groups) {
        return Convolutions.conv2d(this, kernel, strides, padding, dilation, groups);
    }

    /** {@link #conv2d(Tensor, int[], Padding, int[], int)} with strides {1, 1}, VALID, dilation {1, 1}, groups 1. */
    public Tensor conv2d(Tensor kernel) {
        return conv2d(kernel, new int[] {1, 1}, Padding.VALID, new int[] {1, 1}, 1);
    }

    /**
     * The largest value of each poolSize window of this NHWC input, per channel. SAME pads with −∞, so
     * padding never wins. The gradient goes to the first maximum of each window (row-major order within the
     * window) on ties, as in TensorFlow and PyTorch.
     *
     * @param strides {height, width} steps between windows (null: poolSize, as Keras)
     */
    public Tensor maxPool2d(int[] poolSize, int[] strides, Padding padding) {
        return Convolutions.maxPool2d(this, poolSize, strides, padding);
    }

    /**
     * The mean of each poolSize window of this NHWC input, per channel. With SAME the mean is over the
     * window's unpadded cells only (as Keras and TensorFlow).
     *
     * @param strides {height, width} steps between windows (null: poolSize, as Keras)
     */
    public Tensor avgPool2d(int[] poolSize, int[] strides, Padding padding) {
        return Convolutions.avgPool2d(this, poolSize, strides, padding);
    }

    /**
     * A copy of this tensor inside a new one filled with {@code value}: {@code widths[axis] = {before, after}}
     * cells are added on each side of every axis.
     */
    public Tensor pad(int[][] widths, double value) {
        return Convolutions.pad(this, widths, value);
    }

    // ------------------------------------------------------------------ in-place (no autograd)

    /**
     * Overwrites this tensor's elements with {@code source}'s (broadcast to this shape), as they were before
     * the call even when {@code source} is a view of this tensor's storage ({@code x.assign(x.t())}). Not
     * recorded by autograd.
     */
    public Tensor assign(Tensor source) {
        ShapeOps.assign(this, source);
        return this;
    }

    // ------------------------------------------------------------------ lifetime

    /** Releases this handle; the buffer goes back to the backend when no view of it remains. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        TensorScope.forget(this);
        if (grad != null) {
            grad.close();
            grad = null;
        }
        // gradFn stays: a closed intermediate still links the graph (only its data is gone)
        storage.drop();
    }

    String describe() {
        return Shapes.str(view.shape()) + " " + dtype() + " on " + backend().name();
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    static int[] concatShape(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
