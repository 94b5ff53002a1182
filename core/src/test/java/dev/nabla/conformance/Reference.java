package dev.nabla.conformance;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Philox;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.UnaryOp;
import java.util.Arrays;
import java.util.List;

/**
 * The plain FLOAT64 host reference: every SPI primitive and tensor op as a simple loop over
 * {@link HostArray}s. Element semantics come from {@link UnaryOp#apply}, {@link BinaryOp#apply}
 * and {@link Philox#sample}, so a backend kernel that disagrees with the SPI's own definition
 * fails. Written for clarity, not speed.
 */
final class Reference {
    private Reference() {}

    // ------------------------------------------------------------------ elementwise

    static HostArray unary(UnaryOp op, HostArray x, double a, double b) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.apply(x.data[i], a, b);
        }
        return HostArray.of(out, x.shape);
    }

    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        "reference: cannot broadcast " + Arrays.toString(a) + " and " + Arrays.toString(b));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    static HostArray binary(BinaryOp op, HostArray x, HostArray y, double a) {
        int[] shape = broadcastShape(x.shape, y.shape);
        double[] out = new double[(int) HostArray.size(shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.apply(x.data[x.sourceIndex(i, shape)], y.data[y.sourceIndex(i, shape)], a);
        }
        return HostArray.of(out, shape);
    }

    static HostArray where(HostArray cond, HostArray x, HostArray y) {
        int[] shape = broadcastShape(broadcastShape(cond.shape, x.shape), y.shape);
        double[] out = new double[(int) HostArray.size(shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = cond.data[cond.sourceIndex(i, shape)] != 0
                    ? x.data[x.sourceIndex(i, shape)]
                    : y.data[y.sourceIndex(i, shape)];
        }
        return HostArray.of(out, shape);
    }

    // ------------------------------------------------------------------ reductions

    enum Reduce {
        SUM,
        MAX,
        MIN,
        ARGMAX,
        ARGMIN
    }

    /** Normalized, sorted axes; all axes when none are given. */
    static int[] axes(int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] normalized = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            normalized[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        Arrays.sort(normalized);
        return normalized;
    }

    /**
     * Reduces {@code axes} of x. ARGMAX/ARGMIN give the index into the row-major flattening of
     * the reduced axes, the first on ties. SUM carries Σ|x| as its error scale.
     */
    static HostArray reduce(Reduce op, HostArray x, int[] axesArg, boolean keepDims) {
        int[] axes = axes(axesArg, x.rank());
        boolean[] reduced = new boolean[x.rank()];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] keptShape = new int[x.rank()];
        int[] reducedShape = new int[axes.length];
        for (int i = 0, r = 0; i < x.rank(); i++) {
            keptShape[i] = reduced[i] ? 1 : x.shape[i];
            if (reduced[i]) {
                reducedShape[r++] = x.shape[i];
            }
        }
        int outSize = (int) HostArray.size(keptShape);
        double[] out = new double[outSize];
        double[] scale = new double[outSize];
        int[] position = new int[outSize];
        double initial = switch (op) {
            case SUM -> 0;
            case MAX, ARGMAX -> Double.NEGATIVE_INFINITY;
            case MIN, ARGMIN -> Double.POSITIVE_INFINITY;
        };
        Arrays.fill(out, initial);
        Arrays.fill(position, -1);
        int[] keptStrides = HostArray.strides(keptShape);
        int[] reducedStrides = HostArray.strides(reducedShape);
        for (int flat = 0; flat < x.size(); flat++) {
            int[] index = HostArray.unravel(flat, x.shape);
            int o = 0, inner = 0;
            for (int i = 0, r = 0; i < index.length; i++) {
                if (reduced[i]) {
                    inner += index[i] * reducedStrides[r++];
                } else {
                    o += index[i] * keptStrides[i];
                }
            }
            double v = x.data[flat];
            switch (op) {
                case SUM -> {
                    out[o] += v;
                    scale[o] += Math.abs(v);
                }
                case MAX -> out[o] = Math.max(out[o], v);
                case MIN -> out[o] = Math.min(out[o], v);
                case ARGMAX -> { // elements of one output arrive in increasing inner order: strict > keeps the first
                    if (position[o] < 0 || v > out[o]) {
                        out[o] = v;
                        position[o] = inner;
                    }
                }
                case ARGMIN -> {
                    if (position[o] < 0 || v < out[o]) {
                        out[o] = v;
                        position[o] = inner;
                    }
                }
            }
        }
        if (op == Reduce.ARGMAX || op == Reduce.ARGMIN) {
            for (int o = 0; o < outSize; o++) {
                out[o] = position[o];
            }
        }
        int[] shape = keepDims ? keptShape : dropAxes(x.shape, reduced);
        HostArray result = HostArray.of(out, shape);
        return op == Reduce.SUM ? result.withScale(scale) : result;
    }

    private static int[] dropAxes(int[] shape, boolean[] drop) {
        int kept = 0;
        for (boolean d : drop) {
            kept += d ? 0 : 1;
        }
        int[] out = new int[kept];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (!drop[i]) {
                out[k++] = shape[i];
            }
        }
        return out;
    }

    static int count(HostArray x, int[] axesArg) {
        int n = 1;
        for (int a : axes(axesArg, x.rank())) {
            n *= x.shape[a];
        }
        return n;
    }

    static HostArray mean(HostArray x, int[] axes, boolean keepDims) {
        HostArray sum = reduce(Reduce.SUM, x, axes, keepDims);
        int n = count(x, axes);
        double[] out = new double[sum.size()];
        double[] scale = new double[sum.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sum.data[i] / n;
            scale[i] = sum.scale[i] / n;
        }
        return HostArray.of(out, sum.shape).withScale(scale);
    }

    /** Population variance (divides by n), two-pass; its error scale is the mean of x². */
    static HostArray variance(HostArray x, int[] axes, boolean keepDims) {
        HostArray mu = mean(x, axes, true);
        HostArray deviation = binary(BinaryOp.SUB, x, mu, 0);
        HostArray squares = unary(UnaryOp.SQUARE, deviation, 0, 0);
        HostArray variance = mean(squares, axes, keepDims);
        HostArray meanSquare = mean(unary(UnaryOp.SQUARE, x, 0, 0), axes, keepDims);
        return variance.withScale(meanSquare.data);
    }

    // ------------------------------------------------------------------ matrix products

    /** numpy matmul: 1-D operands promoted (and the added axis removed), batch axes broadcast. */
    static HostArray matmul(HostArray a, HostArray b) {
        boolean vectorA = a.rank() == 1, vectorB = b.rank() == 1;
        HostArray left = vectorA ? a.reshape(1, a.shape[0]) : a;
        HostArray right = vectorB ? b.reshape(b.shape[0], 1) : b;
        int m = left.shape[left.rank() - 2], k = left.shape[left.rank() - 1];
        int n = right.shape[right.rank() - 1];
        if (right.shape[right.rank() - 2] != k) {
            throw new IllegalArgumentException("reference matmul: inner extents differ");
        }
        int[] batch = broadcastShape(
                Arrays.copyOf(left.shape, left.rank() - 2), Arrays.copyOf(right.shape, right.rank() - 2));
        int batches = (int) HostArray.size(batch);
        HostArray leftB = left.broadcastTo(concat(batch, m, k));
        HostArray rightB = right.broadcastTo(concat(batch, k, n));
        double[] out = new double[batches * m * n];
        double[] scale = new double[out.length];
        for (int p = 0; p < batches; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, magnitude = 0;
                    for (int l = 0; l < k; l++) {
                        double term = leftB.data[(p * m + i) * k + l] * rightB.data[(p * k + l) * n + j];
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                    out[(p * m + i) * n + j] = sum;
                    scale[(p * m + i) * n + j] = magnitude;
                }
            }
        }
        int[] shape = concat(batch, m, n);
        if (vectorA && vectorB) {
            shape = batch;
        } else if (vectorA) {
            shape = concat(batch, n);
        } else if (vectorB) {
            shape = concat(batch, m);
        }
        return HostArray.of(out, shape).withScale(scale);
    }

    static int[] concat(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ------------------------------------------------------------------ neural ops

    /** Softmax or log-softmax along {@code axis}, subtracting the max; log-softmax's error scale is |x| + |x − max| + log Σ. */
    static HostArray softmax(HostArray x, int axisArg, boolean log) {
        int axis = axisArg < 0 ? axisArg + x.rank() : axisArg;
        double[] out = new double[x.size()];
        double[] scale = new double[x.size()];
        int extent = x.shape[axis];
        int stride = HostArray.strides(x.shape)[axis];
        for (int flat = 0; flat < x.size(); flat++) {
            int[] index = HostArray.unravel(flat, x.shape);
            if (index[axis] != 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < extent; i++) {
                max = Math.max(max, x.data[flat + i * stride]);
            }
            double sum = 0;
            for (int i = 0; i < extent; i++) {
                sum += Math.exp(x.data[flat + i * stride] - max);
            }
            for (int i = 0; i < extent; i++) {
                double shifted = x.data[flat + i * stride] - max;
                out[flat + i * stride] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                scale[flat + i * stride] =
                        log ? Math.abs(x.data[flat + i * stride]) + Math.abs(shifted) + Math.log(sum) : 0;
            }
        }
        return HostArray.of(out, x.shape).withScale(scale);
    }

    /** 1 at the first largest entry along {@code axis}, 0 elsewhere. */
    static HostArray hardmax(HostArray x, int axisArg) {
        int axis = axisArg < 0 ? axisArg + x.rank() : axisArg;
        HostArray index = reduce(Reduce.ARGMAX, x, new int[] {axis}, true);
        double[] out = new double[x.size()];
        for (int flat = 0; flat < x.size(); flat++) {
            int[] multi = HostArray.unravel(flat, x.shape);
            int position = multi[axis];
            multi[axis] = 0;
            out[flat] = index.get(multi) == position ? 1 : 0;
        }
        return HostArray.of(out, x.shape);
    }

    /** One-hot rows: shape [..., classes]. */
    static HostArray oneHot(HostArray indices, int classes) {
        double[] out = new double[indices.size() * classes];
        for (int i = 0; i < indices.size(); i++) {
            out[i * classes + (int) indices.data[i]] = 1;
        }
        return HostArray.of(out, concat(indices.shape, classes));
    }

    /** Per-row −Σ t·log softmax(x) for [rows, cols] logits and targets. */
    static HostArray softmaxCrossEntropy(HostArray logits, HostArray targets) {
        HostArray logSoftmax = softmax(logits, 1, true);
        int rows = logits.shape[0], cols = logits.shape[1];
        double[] loss = new double[rows];
        double[] scale = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double term = targets.data[r * cols + c] * logSoftmax.data[r * cols + c];
                loss[r] -= term;
                scale[r] += Math.abs(targets.data[r * cols + c]) * logSoftmax.scaleAt(r * cols + c);
            }
        }
        return HostArray.of(loss, rows).withScale(scale);
    }

    /** activation(x[r, c] + bias[c]; a); activation null for none. */
    static HostArray biasActivation(HostArray x, HostArray bias, UnaryOp activation, double a) {
        HostArray sum = binary(BinaryOp.ADD, x, bias, 0);
        return activation == null ? sum : unary(activation, sum, a, 0);
    }

    /** Draws exactly as {@link Philox#sample}. */
    static HostArray random(RandomKind kind, long seed, long counter, double a, double b, int... shape) {
        double[] out = new double[(int) HostArray.size(shape)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Philox.sample(kind, seed, counter, i, a, b);
        }
        return HostArray.of(out, shape);
    }

    // ------------------------------------------------------------------ copies

    static HostArray concat(List<HostArray> parts, int axis) {
        int[] shape = parts.get(0).shape.clone();
        shape[axis] = 0;
        for (HostArray p : parts) {
            shape[axis] += p.shape[axis];
        }
        double[] out = new double[(int) HostArray.size(shape)];
        int[] outStrides = HostArray.strides(shape);
        int offset = 0;
        for (HostArray p : parts) {
            for (int flat = 0; flat < p.size(); flat++) {
                int[] index = HostArray.unravel(flat, p.shape);
                index[axis] += offset;
                int target = 0;
                for (int i = 0; i < index.length; i++) {
                    target += index[i] * outStrides[i];
                }
                out[target] = p.data[flat];
            }
            offset += p.shape[axis];
        }
        return HostArray.of(out, shape);
    }

    static HostArray stack(List<HostArray> parts, int axis) {
        List<HostArray> expanded = parts.stream()
                .map(p -> {
                    int[] shape = new int[p.rank() + 1];
                    for (int i = 0, k = 0; i < shape.length; i++) {
                        shape[i] = i == axis ? 1 : p.shape[k++];
                    }
                    return p.reshape(shape);
                })
                .toList();
        return concat(expanded, axis);
    }

    // ------------------------------------------------------------------ optimizer updates (Backend's formulas)

    /** Returns {param, velocity} after one SGD step (velocity null for plain SGD). */
    static double[][] sgd(double[] p, double[] g, double[] v, double lr, double momentum, boolean nesterov) {
        double[] param = p.clone();
        double[] velocity = v == null ? null : v.clone();
        for (int i = 0; i < param.length; i++) {
            if (velocity == null) {
                param[i] -= lr * g[i];
            } else {
                velocity[i] = momentum * velocity[i] - lr * g[i];
                param[i] += nesterov ? momentum * velocity[i] - lr * g[i] : velocity[i];
            }
        }
        return new double[][] {param, velocity};
    }

    /** Returns {param, meanSquare} after one RMSprop step. */
    static double[][] rmsprop(double[] p, double[] g, double[] ms, double lr, double rho, double eps) {
        double[] param = p.clone();
        double[] meanSquare = ms.clone();
        for (int i = 0; i < param.length; i++) {
            meanSquare[i] = rho * meanSquare[i] + (1 - rho) * g[i] * g[i];
            param[i] -= lr * g[i] / Math.sqrt(meanSquare[i] + eps);
        }
        return new double[][] {param, meanSquare};
    }

    /** Returns {param, m, v} after one Adam(W) step with the bias corrections folded into alpha. */
    static double[][] adam(
            double[] p,
            double[] g,
            double[] m0,
            double[] v0,
            double alpha,
            double beta1,
            double beta2,
            double eps,
            double decay) {
        double[] param = p.clone();
        double[] m = m0.clone();
        double[] v = v0.clone();
        for (int i = 0; i < param.length; i++) {
            param[i] *= 1 - decay;
            m[i] += (g[i] - m[i]) * (1 - beta1);
            v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
            param[i] -= alpha * m[i] / (Math.sqrt(v[i]) + eps);
        }
        return new double[][] {param, m, v};
    }

    // ------------------------------------------------------------------ convolution and pooling (NHWC, plain loops)

    /** {before, out} along one axis for a window of effective extent {@code effective}, as TensorFlow. */
    static int[] window(int in, int effective, int stride, boolean same) {
        if (!same) {
            return new int[] {0, (in - effective) / stride + 1};
        }
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {total / 2, out};
    }

    /** conv2d of x [n, h, w, c] with kernel [kh, kw, c/groups, filters]; s is Σ|term|. */
    static HostArray conv2d(HostArray x, HostArray kernel, int[] strides, boolean same, int[] dilation, int groups) {
        int n = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3];
        int kh = kernel.shape[0], kw = kernel.shape[1], cg = kernel.shape[2], filters = kernel.shape[3];
        int fg = filters / groups;
        int[] rows = window(h, (kh - 1) * dilation[0] + 1, strides[0], same);
        int[] cols = window(w, (kw - 1) * dilation[1] + 1, strides[1], same);
        int oh = rows[1], ow = cols[1];
        double[] out = new double[n * oh * ow * filters];
        double[] scale = new double[out.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int z = 0; z < ow; z++) {
                    for (int f = 0; f < filters; f++) {
                        int group = f / fg;
                        double sum = 0, magnitude = 0;
                        for (int i = 0; i < kh; i++) {
                            int r = y * strides[0] + i * dilation[0] - rows[0];
                            for (int j = 0; j < kw; j++) {
                                int q = z * strides[1] + j * dilation[1] - cols[0];
                                if (r < 0 || r >= h || q < 0 || q >= w) {
                                    continue; // zero padding
                                }
                                for (int k = 0; k < cg; k++) {
                                    double term = x.get(b, r, q, group * cg + k) * kernel.get(i, j, k, f);
                                    sum += term;
                                    magnitude += Math.abs(term);
                                }
                            }
                        }
                        int at = ((b * oh + y) * ow + z) * filters + f;
                        out[at] = sum;
                        scale[at] = magnitude;
                    }
                }
            }
        }
        return HostArray.of(out, n, oh, ow, filters).withScale(scale);
    }

    /** maxPool2d (max = true) or avgPool2d of x [n, h, w, c]: padded cells never count. */
    static HostArray pool2d(HostArray x, int[] pool, int[] strides, boolean same, boolean max) {
        int n = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3];
        int[] rows = window(h, pool[0], strides[0], same);
        int[] cols = window(w, pool[1], strides[1], same);
        int oh = rows[1], ow = cols[1];
        double[] out = new double[n * oh * ow * c];
        double[] scale = new double[out.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int z = 0; z < ow; z++) {
                    for (int k = 0; k < c; k++) {
                        double best = Double.NEGATIVE_INFINITY, sum = 0, magnitude = 0;
                        int count = 0;
                        for (int i = 0; i < pool[0]; i++) {
                            int r = y * strides[0] + i - rows[0];
                            for (int j = 0; j < pool[1]; j++) {
                                int q = z * strides[1] + j - cols[0];
                                if (r < 0 || r >= h || q < 0 || q >= w) {
                                    continue;
                                }
                                double v = x.get(b, r, q, k);
                                best = Math.max(best, v);
                                sum += v;
                                magnitude += Math.abs(v);
                                count++;
                            }
                        }
                        int at = ((b * oh + y) * ow + z) * c + k;
                        out[at] = max ? best : sum / count;
                        scale[at] = max ? Math.abs(best) : magnitude / count;
                    }
                }
            }
        }
        return HostArray.of(out, n, oh, ow, c).withScale(scale);
    }

    /** x copied into an array filled with {@code value}, widths[axis] = {before, after}. */
    static HostArray pad(HostArray x, int[][] widths, double value) {
        int[] shape = new int[x.rank()];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = x.shape[a] + widths[a][0] + widths[a][1];
        }
        double[] out = new double[(int) HostArray.size(shape)];
        Arrays.fill(out, value);
        int[] outStrides = HostArray.strides(shape);
        for (int i = 0; i < x.size(); i++) {
            int[] index = HostArray.unravel(i, x.shape);
            int at = 0;
            for (int a = 0; a < shape.length; a++) {
                at += (index[a] + widths[a][0]) * outStrides[a];
            }
            out[at] = x.data[i];
        }
        return HostArray.of(out, shape);
    }
}
