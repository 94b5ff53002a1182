package dev.nabla.conformance;

import dev.nabla.activations.Activations;
import dev.nabla.backend.DType;
import dev.nabla.tensor.Tensor;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every elementwise activation by its Keras name, against a double-precision formula written
 * independently of the engine, and its gradient against central differences. A new activation
 * without a formula here fails {@link #everyElementwiseActivationHasAReference}.
 */
abstract class ActivationSpec extends Spec {
    private static final double SELU_ALPHA = 1.6732632423543772;
    private static final double SELU_SCALE = 1.0507009873554805;

    /** Keras 3's definitions (keras/src/activations/activations.py), in plain Java. */
    static final Map<Activations, DoubleUnaryOperator> REFERENCE = new EnumMap<>(Activations.class);

    static {
        REFERENCE.put(Activations.LINEAR, x -> x);
        REFERENCE.put(Activations.RELU, x -> Math.max(x, 0));
        REFERENCE.put(Activations.LEAKY_RELU, x -> x > 0 ? x : 0.01 * x);
        REFERENCE.put(Activations.SIGMOID, ActivationSpec::sigmoid);
        REFERENCE.put(Activations.TANH, Math::tanh);
        REFERENCE.put(Activations.SOFTPLUS, ActivationSpec::softplus);
        REFERENCE.put(Activations.SWISH, x -> x * sigmoid(x));
        REFERENCE.put(Activations.ELU, x -> x > 0 ? x : Math.expm1(x));
        REFERENCE.put(Activations.SELU, x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)));
        REFERENCE.put(Activations.CELU, x -> Math.max(x, 0) + Math.min(0, Math.expm1(x)));
        REFERENCE.put(Activations.GELU, x -> x * normalCdf(x));
        REFERENCE.put(
                Activations.GELU_TANH,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
        REFERENCE.put(Activations.MISH, x -> x * Math.tanh(softplus(x)));
        REFERENCE.put(Activations.SOFTSIGN, x -> x / (1 + Math.abs(x)));
        REFERENCE.put(Activations.HARD_SIGMOID, x -> Math.min(Math.max(x + 3, 0), 6) / 6);
        REFERENCE.put(Activations.HARD_SILU, x -> x * Math.min(Math.max(x + 3, 0), 6) / 6);
        REFERENCE.put(Activations.RELU6, x -> Math.min(Math.max(x, 0), 6));
        REFERENCE.put(Activations.EXPONENTIAL, Math::exp);
        REFERENCE.put(Activations.HARD_TANH, x -> Math.min(Math.max(x, -1), 1));
        REFERENCE.put(Activations.LOG_SIGMOID, x -> -softplus(-x));
        REFERENCE.put(Activations.TANH_SHRINK, x -> x - Math.tanh(x));
        REFERENCE.put(Activations.SOFT_SHRINK, x -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0);
        REFERENCE.put(Activations.HARD_SHRINK, x -> Math.abs(x) > 0.5 ? x : 0);
        REFERENCE.put(Activations.SQUAREPLUS, x -> (x + Math.sqrt(x * x + 4)) / 2);
        REFERENCE.put(Activations.SPARSE_PLUS, x -> x <= -1 ? 0 : x >= 1 ? x : (x + 1) * (x + 1) / 4);
        REFERENCE.put(Activations.SPARSE_SIGMOID, x -> x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2);
    }

    /** Where the functions change form: grid points keep 0.05 away, more than GradCheck's FLOAT32 step. */
    private static final double[] KINKS = {0, 0.5, -0.5, 1, -1, 3, -3, 6};

    protected ActivationSpec(Kit kit) {
        super(kit);
    }

    @Test
    @DisplayName("every elementwise activation has a reference formula in this spec")
    void everyElementwiseActivationHasAReference() {
        for (Activations a : Activations.values()) {
            if (!isRowwise(a)) {
                kit.assertEquals(
                        a.kerasName() + " has a reference formula in ActivationSpec", true, REFERENCE.containsKey(a));
            }
        }
    }

    @Test
    @DisplayName("each activation's forward matches Keras' formula from −8 to 8, in every float type")
    void forwardMatchesTheFormula() {
        HostArray x = grid();
        for (DType dtype : kit.floatTypes) {
            Tensor input = kit.upload(x, dtype);
            for (Map.Entry<Activations, DoubleUnaryOperator> e : REFERENCE.entrySet()) {
                kit.assertClose(
                        e.getKey().kerasName() + " in " + dtype,
                        map(x.roundedTo(dtype), e.getValue()),
                        e.getKey().apply(input),
                        tolerance(e.getKey(), dtype));
            }
        }
    }

    @Test
    @DisplayName("each activation stays finite and exact for inputs of magnitude 30 to 80")
    void largeInputsDoNotOverflow() {
        HostArray x = HostArray.of(new double[] {-80, -50, -30, 30, 50, 80}, 6);
        for (DType dtype : kit.floatTypes) {
            Tensor input = kit.upload(x, dtype);
            for (Map.Entry<Activations, DoubleUnaryOperator> e : REFERENCE.entrySet()) {
                if (e.getKey() != Activations.EXPONENTIAL) { // e⁸⁰ overflows FLOAT32 by definition
                    kit.assertClose(
                            e.getKey().kerasName() + " of large inputs in " + dtype,
                            map(x, e.getValue()),
                            e.getKey().apply(input),
                            tolerance(e.getKey(), dtype));
                }
            }
        }
    }

    @Test
    @DisplayName("each activation's gradient matches central differences")
    void gradientsMatchCentralDifferences() {
        for (Activations a : REFERENCE.keySet()) {
            if (a != Activations.LINEAR) {
                kit.assertGradients(a.kerasName(), in -> a.apply(in.get(0)), kit.upload(grid(), DType.FLOAT32));
            }
        }
        Tensor rows = kit.upload(kit.random(4100, Kit.Domain.ANY, DType.FLOAT32, 3, 5), DType.FLOAT32);
        kit.assertGradients("softmax", in -> Activations.SOFTMAX.apply(in.get(0)), rows);
        kit.assertGradients("log_softmax", in -> Activations.LOG_SOFTMAX.apply(in.get(0)), rows);
    }

    @Test
    @DisplayName("softmax and log_softmax work along the last axis")
    void rowwiseActivations() {
        for (DType dtype : kit.floatTypes) {
            HostArray x = kit.random(4200, Kit.Domain.ANY, dtype, 3, 5);
            Tensor input = kit.upload(x, dtype);
            kit.assertClose(
                    "softmax in " + dtype,
                    Reference.softmax(x, -1, false),
                    Activations.SOFTMAX.apply(input),
                    Tolerance.accumulated(dtype));
            kit.assertClose(
                    "log_softmax in " + dtype,
                    Reference.softmax(x, -1, true),
                    Activations.LOG_SOFTMAX.apply(input),
                    Tolerance.accumulated(dtype));
        }
    }

    private static boolean isRowwise(Activations a) {
        return a == Activations.SOFTMAX || a == Activations.LOG_SOFTMAX;
    }

    /** 64 points from −8 to 8, none within 0.05 of a kink. */
    private static HostArray grid() {
        double[] x = new double[64];
        for (int i = 0; i < x.length; i++) {
            double v = -8 + 16.0 * i / (x.length - 1) + 0.0123;
            for (double kink : KINKS) {
                if (Math.abs(v - kink) < 0.05) {
                    v = kink + Math.copySign(0.05, v - kink);
                }
            }
            x[i] = v;
        }
        return HostArray.of(x, 8, 8);
    }

    private static HostArray map(HostArray x, DoubleUnaryOperator f) {
        double[] y = new double[x.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.applyAsDouble(x.data[i]);
        }
        return HostArray.of(y, x.shape);
    }

    /** Several ops in a row; gelu's Φ is a polynomial fit good to about 1e−7 in any type. */
    private static Tolerance tolerance(Activations a, DType dtype) {
        return a == Activations.GELU ? new Tolerance(2e-6, 2e-6) : Tolerance.composite(dtype);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Φ(x) = erfc(−x/√2)/2. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** erfc: Taylor series of erf for |z| &lt; 2.5, Laplace's continued fraction beyond (both near 1e−15). */
    static double erfc(double z) {
        if (z <= -2.5) {
            return 2 - erfc(-z);
        }
        if (z >= 2.5) {
            double f = z;
            for (int k = 80; k >= 1; k--) {
                f = z + k / 2.0 / f;
            }
            return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
        }
        double sum = 0;
        double term = z; // (−1)ⁿ z^(2n+1) / n!
        for (int n = 0; n < 100; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 1 - 2 / Math.sqrt(Math.PI) * sum;
    }
}
