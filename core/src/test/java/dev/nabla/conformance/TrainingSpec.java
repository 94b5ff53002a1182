package dev.nabla.conformance;

import dev.nabla.backend.DType;
import dev.nabla.backend.UnaryOp;
import dev.nabla.tensor.Generator;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A short training run: a 4–8–3 MLP (tanh hidden layer, softmax cross-entropy) trained by
 * autograd and plain SGD on fixed seeded data must follow the FLOAT64 host reference, a
 * hand-written forward and backward pass in double, step by step to the final loss.
 */
abstract class TrainingSpec extends Spec {

    protected TrainingSpec(Kit kit) {
        super(kit);
    }

    private static final int SAMPLES = 64, FEATURES = 4, HIDDEN = 8, CLASSES = 3, STEPS = 60;
    private static final double LEARNING_RATE = 0.5;

    /** Features in [−2, 2) and a label from a fixed linear rule, as float values. */
    private static double[][] data() {
        SplittableRandom random = new SplittableRandom(2024);
        double[] x = new double[SAMPLES * FEATURES];
        double[] y = new double[SAMPLES * CLASSES];
        for (int s = 0; s < SAMPLES; s++) {
            double[] score = new double[CLASSES];
            for (int f = 0; f < FEATURES; f++) {
                double v = (float) random.nextDouble(-2, 2);
                x[s * FEATURES + f] = v;
                score[0] += v * (f == 0 ? 1 : 0.2);
                score[1] += v * (f == 1 ? 1 : -0.3);
                score[2] += v * (f % 2 == 0 ? -0.5 : 0.5);
            }
            int label = score[0] >= score[1] && score[0] >= score[2] ? 0 : score[1] >= score[2] ? 1 : 2;
            y[s * CLASSES + label] = 1;
        }
        return new double[][] {x, y};
    }

    @Test
    @DisplayName("a 4–8–3 MLP trained for 60 SGD steps follows the FLOAT64 reference to the final loss")
    void mlpFollowsTheReference() {
        double[][] data = data();
        for (DType dtype : kit.floatTypes) {
            Tensor x = kit.upload(HostArray.of(data[0], SAMPLES, FEATURES), dtype);
            Tensor y = kit.upload(HostArray.of(data[1], SAMPLES, CLASSES), dtype);
            Generator generator = new Generator(7);
            Tensor w1 = t.random(dtype, dev.nabla.backend.RandomKind.NORMAL, generator, 0, 0.5, FEATURES, HIDDEN)
                    .requiresGrad(true);
            Tensor b1 = t.zeros(dtype, HIDDEN).requiresGrad(true);
            Tensor w2 = t.random(dtype, dev.nabla.backend.RandomKind.NORMAL, generator, 0, 0.5, HIDDEN, CLASSES)
                    .requiresGrad(true);
            Tensor b2 = t.zeros(dtype, CLASSES).requiresGrad(true);
            Tensor[] parameters = {w1, b1, w2, b2};
            // the reference starts from the very same weights
            double[][] reference = {w1.toDoubleArray(), b1.toDoubleArray(), w2.toDoubleArray(), b2.toDoubleArray()};
            double first = Double.NaN, last = Double.NaN;
            Tolerance tolerance = Tolerance.composite(dtype);
            for (int step = 0; step < STEPS; step++) {
                double loss;
                try (TensorScope scope = TensorScope.open()) {
                    Tensor hidden = x.matmul(w1).biasActivation(b1, UnaryOp.TANH, 0);
                    Tensor logits = hidden.matmul(w2).add(b2);
                    Tensor mean = logits.softmaxCrossEntropy(y).mean();
                    mean.backward();
                    loss = mean.item();
                }
                for (Tensor p : parameters) {
                    backend.sgdUpdate(p.view(), p.grad().view(), null, LEARNING_RATE, 0, false);
                    p.zeroGrad();
                }
                double expected = referenceStep(reference, data[0], data[1]);
                if (step == 0 || step == STEPS - 1 || step % 20 == 0) {
                    kit.assertValue(
                            "loss at step " + step + " in " + dtype,
                            expected,
                            loss,
                            tolerance.atol() + tolerance.rtol() * Math.abs(expected));
                }
                first = step == 0 ? loss : first;
                last = loss;
            }
            kit.assertTrue("the loss fell from " + first + " to " + last + " in " + dtype, last < 0.6 * first);
            String[] names = {"W1", "b1", "W2", "b2"};
            for (int i = 0; i < parameters.length; i++) {
                kit.assertClose(
                        names[i] + " after training in " + dtype,
                        HostArray.of(reference[i], parameters[i].shape()),
                        parameters[i],
                        new Tolerance(tolerance.atol() * 10, tolerance.rtol() * 10));
                parameters[i].close();
            }
        }
    }

    /** One forward, backward and SGD step in double; returns the loss before the update. */
    private static double referenceStep(double[][] p, double[] x, double[] y) {
        double[] w1 = p[0], b1 = p[1], w2 = p[2], b2 = p[3];
        double[] h = new double[SAMPLES * HIDDEN];
        double[] dw1 = new double[w1.length],
                db1 = new double[b1.length],
                dw2 = new double[w2.length],
                db2 = new double[b2.length];
        double loss = 0;
        for (int s = 0; s < SAMPLES; s++) {
            for (int j = 0; j < HIDDEN; j++) {
                double z = b1[j];
                for (int f = 0; f < FEATURES; f++) {
                    z += x[s * FEATURES + f] * w1[f * HIDDEN + j];
                }
                h[s * HIDDEN + j] = Math.tanh(z);
            }
            double[] logits = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                logits[c] = b2[c];
                for (int j = 0; j < HIDDEN; j++) {
                    logits[c] += h[s * HIDDEN + j] * w2[j * CLASSES + c];
                }
                max = Math.max(max, logits[c]);
            }
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += Math.exp(logits[c] - max);
            }
            double[] dLogits = new double[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                double logProbability = logits[c] - max - Math.log(sum);
                loss -= y[s * CLASSES + c] * logProbability / SAMPLES;
                dLogits[c] = (Math.exp(logProbability) - y[s * CLASSES + c]) / SAMPLES;
                db2[c] += dLogits[c];
            }
            for (int j = 0; j < HIDDEN; j++) {
                double dh = 0;
                for (int c = 0; c < CLASSES; c++) {
                    dw2[j * CLASSES + c] += h[s * HIDDEN + j] * dLogits[c];
                    dh += w2[j * CLASSES + c] * dLogits[c];
                }
                double dz = dh * (1 - h[s * HIDDEN + j] * h[s * HIDDEN + j]);
                db1[j] += dz;
                for (int f = 0; f < FEATURES; f++) {
                    dw1[f * HIDDEN + j] += x[s * FEATURES + f] * dz;
                }
            }
        }
        double[][] grads = {dw1, db1, dw2, db2};
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < p[i].length; k++) {
                p[i][k] -= LEARNING_RATE * grads[i][k];
            }
        }
        return loss;
    }
}
