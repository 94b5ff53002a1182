package dev.nabla.activations;

import dev.nabla.backend.UnaryOp;
import dev.nabla.tensor.Tensor;
import java.util.Locale;
import java.util.Map;

/**
 * The activation functions a layer can apply, by their Keras 3 names ({@code "relu"},
 * {@code "gelu"}, {@code "softmax"} …); docs/model.md lists them with their formulas.
 *
 * <pre>{@code
 * new Dense(512, "gelu");                        // by name, as in Keras
 * new Dense(10, Activations.SOFTMAX);            // or by constant
 * }</pre>
 *
 * <p>Each elementwise activation is one constant here: either a backend primitive with a fused
 * kernel ({@link #fused()} not null: it runs in one pass with the bias of a
 * {@code dev.nabla.nn.Dense} layer), or a {@link #forward} and a {@link #derivative} composed of
 * tensor ops, which therefore run on every backend. Adding an activation means adding a constant.
 * LEAKY_RELU uses the slope 0.01 of the course notes (Keras 3's function defaults to 0.2); softmax
 * and log_softmax work along the last axis.
 */
public enum Activations {
    /** x */
    LINEAR("linear", 0) {
        @Override
        public Tensor apply(Tensor x) {
            return x;
        }
    },
    /** max(0, x) */
    RELU("relu", UnaryOp.RELU, 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.relu();
        }
    },
    /** x if x &gt; 0 else 0.01·x */
    LEAKY_RELU("leaky_relu", UnaryOp.LEAKY_RELU, 0.01) {
        @Override
        Tensor forward(Tensor x) {
            return x.leakyRelu(parameter());
        }
    },
    /** 1 / (1 + e^(−x)) */
    SIGMOID("sigmoid", UnaryOp.SIGMOID, 1) {
        @Override
        Tensor forward(Tensor x) {
            return x.sigmoid(parameter());
        }
    },
    /** tanh x */
    TANH("tanh", UnaryOp.TANH, 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.tanh();
        }
    },
    /** ln(1 + eˣ) */
    SOFTPLUS("softplus", UnaryOp.SOFTPLUS, 1) {
        @Override
        Tensor forward(Tensor x) {
            return x.softplus(parameter());
        }
    },
    /** x · sigmoid(x), also called silu */
    SWISH("swish", UnaryOp.SWISH, 1) {
        @Override
        Tensor forward(Tensor x) {
            return x.swish(parameter());
        }
    },
    /** eˣ / Σ eˣ along the last axis */
    SOFTMAX("softmax", 0) {
        @Override
        public Tensor apply(Tensor x) {
            return x.softmax(-1);
        }
    },
    /** x − log Σ eˣ along the last axis */
    LOG_SOFTMAX("log_softmax", 0) {
        @Override
        public Tensor apply(Tensor x) {
            return x.logSoftmax(-1);
        }
    },
    /** x if x &gt; 0 else α(eˣ − 1), α = 1 */
    ELU("elu", 1.0) {
        @Override
        Tensor forward(Tensor x) {
            return elu(x, parameter());
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return eluDerivative(x, parameter());
        }
    },
    /** λ · elu(x) with α = 1.6732632423543772 and λ = 1.0507009873554805 (self-normalizing) */
    SELU("selu", 1.6732632423543772) {
        @Override
        Tensor forward(Tensor x) {
            return elu(x, parameter()).mul(SELU_SCALE);
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return eluDerivative(x, parameter()).mul(SELU_SCALE);
        }
    },
    /** max(0, x) + min(0, α(e^(x/α) − 1)), α = 1 */
    CELU("celu", 1.0) {
        @Override
        Tensor forward(Tensor x) {
            double alpha = parameter();
            return x.maximum(0).add(x.minimum(0).div(alpha).exp().sub(1).mul(alpha));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.minimum(0).div(parameter()).exp().mul(x.le(0)).add(x.gt(0));
        }
    },
    /** x · Φ(x), Φ the standard normal distribution function (Keras' gelu, approximate=False) */
    GELU("gelu", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.mul(normalCdf(x));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return normalCdf(x).add(x.mul(x.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI))));
        }
    },
    /** x/2 · (1 + tanh(√(2/π)(x + 0.044715x³))) (Keras' gelu, approximate=True) */
    GELU_TANH("gelu_tanh", 0.044715) {
        @Override
        Tensor forward(Tensor x) {
            return x.mul(0.5).mul(geluTanh(x, parameter()).add(1));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            double c = Math.sqrt(2 / Math.PI);
            Tensor t = geluTanh(x, parameter());
            Tensor du = x.square().mul(3 * parameter() * c).add(c);
            return t.add(1).mul(0.5).add(x.mul(0.5).mul(t.square().rsub(1)).mul(du));
        }
    },
    /** x · tanh(softplus(x)) */
    MISH("mish", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.mul(x.softplus().tanh());
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            Tensor t = x.softplus().tanh();
            return t.add(x.mul(t.square().rsub(1)).mul(x.sigmoid()));
        }
    },
    /** x / (1 + |x|) */
    SOFTSIGN("softsign", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.div(x.abs().add(1));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.abs().add(1).square().reciprocal();
        }
    },
    /** relu6(x + 3) / 6 (Keras 3's definition) */
    HARD_SIGMOID("hard_sigmoid", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.div(6).add(0.5).clip(0, 1);
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return inside(x, -3, 3).div(6);
        }
    },
    /** x · hard_sigmoid(x), also called hard_swish */
    HARD_SILU("hard_silu", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.mul(x.div(6).add(0.5).clip(0, 1));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.div(6).add(0.5).clip(0, 1).add(x.mul(inside(x, -3, 3)).div(6));
        }
    },
    /** min(max(0, x), 6) */
    RELU6("relu6", 6) {
        @Override
        Tensor forward(Tensor x) {
            return x.clip(0, parameter());
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return inside(x, 0, parameter());
        }
    },
    /** eˣ */
    EXPONENTIAL("exponential", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.exp();
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return y.mul(1.0);
        }
    },
    /** min(max(−1, x), 1) */
    HARD_TANH("hard_tanh", 1) {
        @Override
        Tensor forward(Tensor x) {
            return x.clip(-parameter(), parameter());
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return inside(x, -parameter(), parameter());
        }
    },
    /** log(sigmoid(x)) = −softplus(−x), without overflow */
    LOG_SIGMOID("log_sigmoid", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.neg().softplus().neg();
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.neg().sigmoid();
        }
    },
    /** x − tanh x */
    TANH_SHRINK("tanh_shrink", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.sub(x.tanh());
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.tanh().square();
        }
    },
    /** x − λ if x &gt; λ, x + λ if x &lt; −λ, else 0; λ = 0.5 */
    SOFT_SHRINK("soft_shrink", 0.5) {
        @Override
        Tensor forward(Tensor x) {
            return x.sub(x.clip(-parameter(), parameter()));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.abs().gt(parameter());
        }
    },
    /** x if |x| &gt; λ else 0; λ = 0.5 */
    HARD_SHRINK("hard_shrink", 0.5) {
        @Override
        Tensor forward(Tensor x) {
            return x.mul(x.abs().gt(parameter()));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.abs().gt(parameter());
        }
    },
    /** (x + √(x² + b)) / 2, b = 4 */
    SQUAREPLUS("squareplus", 4) {
        @Override
        Tensor forward(Tensor x) {
            return x.add(x.square().add(parameter()).sqrt()).mul(0.5);
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.div(x.square().add(parameter()).sqrt()).add(1).mul(0.5);
        }
    },
    /** 0 if x ≤ −1, (x + 1)²/4 if −1 &lt; x &lt; 1, x if x ≥ 1 */
    SPARSE_PLUS("sparse_plus", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.clip(-1, 1).add(1).square().mul(0.25).add(x.sub(1).maximum(0));
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return x.add(1).mul(0.5).clip(0, 1);
        }
    },
    /** 0 if x ≤ −1, (x + 1)/2 if −1 &lt; x &lt; 1, 1 if x ≥ 1 */
    SPARSE_SIGMOID("sparse_sigmoid", 0) {
        @Override
        Tensor forward(Tensor x) {
            return x.add(1).mul(0.5).clip(0, 1);
        }

        @Override
        Tensor derivative(Tensor x, Tensor y) {
            return inside(x, -1, 1).mul(0.5);
        }
    };

    private static final double SELU_SCALE = 1.0507009873554805;

    /** Other names Keras accepts for the same function. */
    private static final Map<String, Activations> ALIASES =
            Map.of("silu", SWISH, "leakyrelu", LEAKY_RELU, "hard_swish", HARD_SILU, "gelu_approximate", GELU_TANH);

    private final String kerasName;
    private final UnaryOp fused;
    private final double parameter;

    /** A backend primitive: its forward is the primitive, which has its own gradient and a fused bias kernel. */
    Activations(String kerasName, UnaryOp fused, double parameter) {
        this.kerasName = kerasName;
        this.fused = fused;
        this.parameter = parameter;
    }

    /** A composition: the constant gives {@link #forward} and {@link #derivative}, or {@link #apply}. */
    Activations(String kerasName, double parameter) {
        this(kerasName, null, parameter);
    }

    /** The Keras name, e.g. "leaky_relu". */
    public String kerasName() {
        return kerasName;
    }

    /** The elementwise op of {@link Tensor#biasActivation}, or null for the composed ones. */
    public UnaryOp fused() {
        return fused;
    }

    /** The function's constant (slope, β, α, λ, b or 6), or 0 where it has none. */
    public double parameter() {
        return parameter;
    }

    /** This function applied to {@code x}, recorded for autograd. LINEAR returns {@code x} itself. */
    public Tensor apply(Tensor x) {
        return fused != null ? forward(x) : x.elementwise(kerasName, this::forward, this::derivative);
    }

    /** y = f(x) from tensor ops (a primitive's own op, with its own gradient, where {@link #fused()} is set). */
    Tensor forward(Tensor x) {
        throw new UnsupportedOperationException(kerasName + " has no composed forward");
    }

    /** dy/dx from the input and the output; a composed constant overrides it. */
    Tensor derivative(Tensor x, Tensor y) {
        throw new UnsupportedOperationException(kerasName + " has no composed derivative");
    }

    /** The activation called {@code name} (Keras name, any case; null, "" or "none" is linear). */
    public static Activations get(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("none")) {
            return LINEAR;
        }
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (ALIASES.containsKey(key)) {
            return ALIASES.get(key);
        }
        for (Activations a : values()) {
            if (a.kerasName.equals(key)) {
                return a;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Activations a : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(a.kerasName);
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of " + names);
    }

    // ---------------------------------------------------------------- shared by several constants

    private static Tensor elu(Tensor x, double alpha) {
        // exp of min(x, 0): the unused branch never overflows into inf · 0
        return x.maximum(0).add(x.minimum(0).exp().sub(1).mul(alpha));
    }

    private static Tensor eluDerivative(Tensor x, double alpha) {
        return x.minimum(0).exp().mul(alpha).mul(x.le(0)).add(x.gt(0));
    }

    /** 1 where low &lt; x &lt; high, else 0. */
    private static Tensor inside(Tensor x, double low, double high) {
        return x.gt(low).mul(x.lt(high));
    }

    private static Tensor geluTanh(Tensor x, double cubic) {
        return x.square().mul(cubic).add(1).mul(x).mul(Math.sqrt(2 / Math.PI)).tanh();
    }

    /** erfc(t) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0: relative error below 1.2e−7 everywhere. */
    private static final double[] ERFC = {
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277
    };

    /**
     * Φ(x) = erfc(−x/√2)/2 from primitives (Numerical Recipes' erfc, Chebyshev-fitted), so it runs
     * on every backend; accurate to about 1e−7, the precision of FLOAT32.
     */
    private static Tensor normalCdf(Tensor x) {
        Tensor z = x.abs().mul(Math.sqrt(0.5));
        Tensor t = z.mul(0.5).add(1).reciprocal();
        Tensor p = t.mul(ERFC[ERFC.length - 1]).add(ERFC[ERFC.length - 2]);
        for (int i = ERFC.length - 3; i >= 0; i--) {
            p = p.mul(t).add(ERFC[i]);
        }
        Tensor erfcOfZ = t.mul(p.sub(z.square()).exp());
        // x ≤ 0: Φ = erfc(z)/2; x > 0: Φ = 1 − erfc(z)/2
        return erfcOfZ.mul(0.5).add(x.gt(0).mul(erfcOfZ.rsub(1)));
    }
}
