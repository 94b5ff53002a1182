package dev.nabla.opencl;

import static dev.nabla.opencl.OpenClTestSupport.assertClose;
import static dev.nabla.opencl.OpenClTestSupport.backend;
import static dev.nabla.opencl.OpenClTestSupport.download;
import static dev.nabla.opencl.OpenClTestSupport.downloadDouble;
import static dev.nabla.opencl.OpenClTestSupport.empty;
import static dev.nabla.opencl.OpenClTestSupport.release;
import static dev.nabla.opencl.OpenClTestSupport.upload;
import static dev.nabla.opencl.OpenClTestSupport.uploadInt;
import static dev.nabla.opencl.OpenClTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.backend.DType;
import dev.nabla.backend.Philox;
import dev.nabla.backend.RandomKind;
import dev.nabla.backend.UnaryOp;
import dev.nabla.backend.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Softmax, cross-entropy, one-hot, bias + activation, Philox draws and optimizer updates against the reference. */
class OpenClNeuralKernelsTest {

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {1, 10, 300})
    void softmaxAndLogSoftmaxOfRows(int cols) {
        int rows = 7;
        float[] x = values(rows * cols, cols, -20, 20);
        x[0] = 80; // large inputs stay finite: the row max is subtracted
        View in = upload(x, rows, cols);
        View soft = empty(DType.FLOAT32, rows, cols);
        View logSoft = empty(DType.FLOAT32, rows, cols);
        backend().softmax(in, soft, false);
        backend().softmax(in, logSoft, true);
        float[] s = download(soft), ls = download(logSoft);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                assertClose(Math.exp(x[i] - max) / sum, s[i], 1e-5, 1e-7, "softmax " + i);
                assertClose(x[i] - max - Math.log(sum), ls[i], 1e-5, 1e-5, "log-softmax " + i);
            }
        }
        release(in, soft, logSoft);
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {10, 100})
    void softmaxCrossEntropyAndItsBackward(int cols) {
        int rows = 5;
        float[] logits = values(rows * cols, 3, -5, 5);
        float[] targets = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            targets[r * cols + (r * 7) % cols] = 0.75f;
            targets[r * cols + (r * 3 + 1) % cols] += 0.25f;
        }
        float[] gradLoss = {1, 0.5f, -2, 0, 3};
        View x = upload(logits, rows, cols), t = upload(targets, rows, cols), g = upload(gradLoss, rows);
        View loss = empty(DType.FLOAT32, rows),
                probs = empty(DType.FLOAT32, rows, cols),
                grad = empty(DType.FLOAT32, rows, cols);
        backend().softmaxCrossEntropy(x, t, loss, probs);
        backend().softmaxCrossEntropyBackward(probs, t, g, grad);
        float[] l = download(loss), p = download(probs), d = download(grad);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0, expectedLoss = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, logits[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(logits[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double logSoftmax = logits[i] - max - Math.log(sum);
                expectedLoss -= targets[i] * logSoftmax;
                assertClose(Math.exp(logSoftmax), p[i], 1e-5, 1e-7, "probs " + i);
                assertClose((p[i] - targets[i]) * gradLoss[r], d[i], 1e-6, 1e-7, "gradient " + i);
            }
            assertClose(expectedLoss, l[r], 1e-5, 1e-6, "loss of row " + r);
        }
        release(x, t, g, loss, probs, grad);
    }

    @Test
    void oneHotRows() {
        View idx = uploadInt(new int[] {2, 0, 3}, 3);
        View out = empty(DType.FLOAT32, 3, 4);
        backend().oneHot(idx, out);
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, download(out));
        release(idx, out);
    }

    @ParameterizedTest
    @EnumSource(
            value = UnaryOp.class,
            names = {"RELU", "LEAKY_RELU", "SIGMOID", "TANH", "SOFTPLUS", "SWISH"})
    void biasActivationFusesTheBiasAndTheActivation(UnaryOp activation) {
        int rows = 4, cols = 9;
        float[] x = values(rows * cols, 5, -3, 3), bias = values(cols, 6, -1, 1);
        View xv = upload(x, rows, cols), bv = upload(bias, cols), out = empty(DType.FLOAT32, rows, cols);
        double a = activation == UnaryOp.LEAKY_RELU ? 0.1 : 1.3;
        backend().biasActivation(xv, bv, activation, a, out);
        float[] got = download(out);
        for (int i = 0; i < x.length; i++) {
            double pre = (float) (x[i] + bias[i % cols]);
            assertClose(activation.apply(pre, a, 0), got[i], 4e-6, 1e-7, activation + " at " + i);
        }
        backend().biasActivation(xv, bv, null, 0, out);
        got = download(out);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + bias[i % cols], got[i], 0, "no activation at " + i);
        }
        release(xv, bv, out);
    }

    @ParameterizedTest
    @EnumSource(RandomKind.class)
    void philoxDrawsAreTheReferenceNumbers(RandomKind kind) {
        long seed = 0x1234_5678_9ABCL, counter = (1L << 32) - 3; // the block counter crosses into its high word
        double a = kind == RandomKind.DROPOUT_MASK ? 0.9 : kind == RandomKind.NORMAL ? 1.5 : -2;
        double b = kind == RandomKind.NORMAL ? 0.5 : 3;
        int n = 1001;
        View out = empty(DType.FLOAT32, n);
        backend().random(kind, seed, counter, a, b, out);
        float[] got = download(out);
        for (int i = 0; i < n; i++) {
            float expected = (float) Philox.sample(kind, seed, counter, i, a, b);
            if (kind == RandomKind.NORMAL) { // cos and log of OpenCL C differ from Java's in the last double bits
                assertClose(expected, got[i], 1e-6, 1e-6, kind + " element " + i);
            } else {
                assertEquals(expected, got[i], 0, kind + " element " + i);
            }
        }
        release(out);
    }

    @Test
    void philoxDrawsInDoublePrecision() {
        assumeTrue(backend().supports(DType.FLOAT64), "no cl_khr_fp64");
        View out = empty(DType.FLOAT64, 33);
        backend().random(RandomKind.UNIFORM, 7, 11, -1, 1, out);
        double[] got = downloadDouble(out);
        for (int i = 0; i < got.length; i++) {
            assertEquals(Philox.sample(RandomKind.UNIFORM, 7, 11, i, -1, 1), got[i], 0, "element " + i);
        }
        release(out);
    }

    @Test
    void sgdWithoutAndWithMomentumAndNesterov() {
        float[] p0 = {1, -2, 3}, g = {0.5f, 0.25f, -1}, v0 = {0.1f, 0, -0.2f};
        double lr = 0.1, mu = 0.9;
        View p = upload(p0, 3), gv = upload(g, 3), v = upload(v0, 3);
        backend().sgdUpdate(p, gv, null, lr, 0, false);
        float[] plain = download(p);
        for (int i = 0; i < 3; i++) {
            assertClose(p0[i] - lr * g[i], plain[i], 1e-6, 1e-7, "plain " + i);
        }
        for (boolean nesterov : new boolean[] {false, true}) {
            backend().write(p.buffer(), 0, p0, 0, 3);
            backend().write(v.buffer(), 0, v0, 0, 3);
            backend().sgdUpdate(p, gv, v, lr, mu, nesterov);
            float[] pg = download(p), vg = download(v);
            for (int i = 0; i < 3; i++) {
                double vel = mu * v0[i] - lr * g[i];
                assertClose(vel, vg[i], 1e-6, 1e-7, "velocity " + i);
                assertClose(p0[i] + (nesterov ? mu * vel - lr * g[i] : vel), pg[i], 1e-6, 1e-7, "param " + i);
            }
        }
        release(p, gv, v);
    }

    @Test
    void rmspropAndAdamUpdates() {
        float[] p0 = {1, -2, 3},
                g = {0.5f, 0.25f, -1},
                ms0 = {0.01f, 0, 0.5f},
                m0 = {0.1f, -0.1f, 0},
                v0 = {0.01f, 0.2f, 0};
        View p = upload(p0, 3), gv = upload(g, 3), ms = upload(ms0, 3);
        backend().rmspropUpdate(p, gv, ms, 0.01, 0.9, 1e-7);
        float[] pr = download(p), msr = download(ms);
        for (int i = 0; i < 3; i++) {
            double meanSquare = 0.9 * ms0[i] + 0.1 * g[i] * g[i];
            assertClose(meanSquare, msr[i], 1e-6, 1e-9, "mean square " + i);
            assertClose(p0[i] - 0.01 * g[i] / Math.sqrt(meanSquare + 1e-7), pr[i], 1e-6, 1e-7, "rmsprop param " + i);
        }
        View pa = upload(p0, 3), m = upload(m0, 3), v = upload(v0, 3);
        double alpha = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-7, decay = 0.01;
        backend().adamUpdate(pa, gv, m, v, alpha, b1, b2, eps, decay);
        float[] pg = download(pa), mg = download(m), vg = download(v);
        for (int i = 0; i < 3; i++) {
            double mi = m0[i] + (g[i] - m0[i]) * (1 - b1);
            double vi = v0[i] + (g[i] * g[i] - v0[i]) * (1 - b2);
            assertClose(mi, mg[i], 1e-6, 1e-9, "m " + i);
            assertClose(vi, vg[i], 1e-6, 1e-9, "v " + i);
            assertClose(p0[i] * (1 - decay) - alpha * mi / (Math.sqrt(vi) + eps), pg[i], 1e-6, 1e-7, "adam param " + i);
        }
        release(p, gv, ms, pa, m, v);
    }
}
