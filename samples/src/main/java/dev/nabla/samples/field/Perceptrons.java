package dev.nabla.samples.field;

import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.losses.BinaryCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.Arrays;
import java.util.Locale;

/**
 * The perceptrons of the course examples. A single perceptron o = τ(Σ uᵢxᵢ), x₀ = 1 the bias input and τ
 * the step to ±1, computes OR with u = (−0.5, 1, 1): O = τ(u·Xᵀ) = (−1, 1, 1, 1). XOR needs a hidden layer:
 * U¹ = [[−0.5, 1, 1], [1.5, −1, −1]], U² = [[−1, 1, 1]], bias prepended at each layer, O = (−1, 1, 1, −1);
 * for x = (0, 1) the hidden pre-activations are (0.5, 0.5). Then both are learned: OR with the perceptron
 * learning rule, XOR by training a 2-8 tanh-1 sigmoid network with back-propagation.
 */
public final class Perceptrons {
    static final Options.Spec SPEC = Options.program(
                    "nabla-perceptron",
                    "Perceptron OR and multilayer XOR with the course's weights (forward pass on the whole design "
                            + "matrix), then OR learned by the perceptron rule and XOR learned by back-propagation.")
            .epochs(400, "epochs of XOR training (the perceptron rule stops when OR has no error)")
            .batchSize(4, "XOR samples per batch (4: batch gradient descent)")
            .positiveDoubleOption("lr", "RATE", 0.05, "Adam's learning rate for XOR")
            .example("nabla-perceptron --epochs 1000 --seed 7");

    /** The four inputs, one per row. */
    static final float[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

    private Perceptrons() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, Perceptrons::demonstrate);
    }

    /** [1 | X]: the design matrix with the bias input x₀ = 1 prepended to every row. */
    static Tensor withBias(Tensor x) {
        return Tensor.concat(java.util.List.of(Tensor.ones(x.shape(0), 1), x), 1);
    }

    /** O = τ(U · [1 | X]ᵀ) for one layer of perceptrons, one row of U per perceptron: [units, samples]. */
    static Tensor layer(Tensor u, Tensor x) {
        return u.matmul(withBias(x).t()).bipolarStep();
    }

    @SuppressWarnings("try") // the scopes release what their blocks make
    private static void demonstrate(Job job) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(X);
            System.out.println("X = [[0,0],[0,1],[1,0],[1,1]], τ(s) = 1 if s > 0 else −1, x0 = 1 prepended");

            Tensor orU = Tensor.of(new float[] {-0.5f, 1, 1}, 1, 3);
            System.out.println(
                    "OR,  u = (−0.5, 1, 1):          O = " + row(layer(orU, x)) + "   (the course: (−1, 1, 1, 1))");

            Tensor u1 = Tensor.of(new float[][] {{-0.5f, 1, 1}, {1.5f, -1, -1}});
            Tensor u2 = Tensor.of(new float[][] {{-1, 1, 1}});
            Tensor hidden = layer(u1, x); // [2 units, 4 samples]
            Tensor out = layer(u2, hidden.t());
            System.out.println("XOR, U1 = [[−0.5, 1, 1], [1.5, −1, −1]], U2 = [[−1, 1, 1]]: O = " + row(out)
                    + "   (the course: (−1, 1, 1, −1))");
            Tensor pre = u1.matmul(withBias(Tensor.of(new float[][] {{0, 1}})).t());
            System.out.println(
                    "     hidden pre-activations for x = (0, 1): " + row(pre.t()) + "   (the course: (0.5, 0.5))");
        }
        learnOr();
        learnXor(job);
    }

    /** Rosenblatt's rule, one sample at a time: u += η·(y − o)·x, until an epoch makes no error. */
    @SuppressWarnings("try") // the scopes release what their blocks make
    private static void learnOr() {
        float[] targets = {-1, 1, 1, 1};
        try (Tensor u = Tensor.zeros(1, 3)) {
            int epoch = 0;
            int errors;
            do {
                errors = 0;
                epoch++;
                for (int i = 0; i < X.length; i++) {
                    try (TensorScope scope = TensorScope.open()) {
                        Tensor xi = withBias(Tensor.of(new float[][] {X[i]})); // [1, 3]
                        double o = u.matmul(xi.t()).bipolarStep().item();
                        if (o != targets[i]) {
                            errors++;
                            u.assign(u.add(xi.mul(0.5 * (targets[i] - o)))); // η = 0.5
                        }
                    }
                }
            } while (errors > 0 && epoch < 100);
            try (TensorScope scope = TensorScope.open()) {
                System.out.printf(
                        Locale.ROOT,
                        "OR learned by the perceptron rule in %d epochs: u = %s, O = %s%n",
                        epoch,
                        Arrays.toString(u.toFloatArray()),
                        row(layer(u, Tensor.of(X))));
            }
        }
    }

    /** XOR by back-propagation: 2-8 tanh-1 sigmoid, binary cross-entropy, Adam. */
    private static void learnXor(Job job) {
        Options options = job.options();
        RandomSeed.set(options.seed());
        Dataset xor = Dataset.of(X, new float[][] {{0}, {1}, {1}, {0}});
        try (Sequential model = new Sequential(new Input(2), new Dense(8, "tanh"), new Dense(1, "sigmoid"))) {
            model.compile(new Adam(options.real("lr")), new BinaryCrossentropy(), "accuracy");
            History history = model.fit(
                    xor,
                    new FitOptions()
                            .epochs(options.epochs())
                            .batchSize(options.batchSize())
                            .seed(options.seed())
                            .verbose(0));
            try (Tensor p = model.predict(Tensor.of(X))) {
                float[] probabilities = p.toFloatArray();
                StringBuilder bipolar = new StringBuilder("(");
                for (int i = 0; i < probabilities.length; i++) {
                    bipolar.append(i > 0 ? ", " : "").append(probabilities[i] > 0.5 ? "1" : "−1");
                }
                System.out.printf(
                        Locale.ROOT,
                        "XOR learned by back-propagation (2-8 tanh-1 sigmoid, Adam, %d epochs): "
                                + "loss %.4f, P(y = 1) = %s, O = %s)%n",
                        options.epochs(),
                        history.last("loss"),
                        format(probabilities),
                        bipolar);
            }
            HistoryFiles.write(history.history(), job.output(), "xor-history");
            Drawing.charts(() -> Charts.saveHistoryCharts(
                            history.history(),
                            "XOR, 2-8 tanh-1 sigmoid, Adam",
                            job.output().dir(),
                            "xor-"))
                    .forEach(job.output()::wrote);
        }
    }

    private static String row(Tensor t) {
        float[] v = t.toFloatArray();
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "")
                    .append(v[i] == Math.rint(v[i]) ? String.valueOf((int) v[i]) : String.valueOf(v[i]));
        }
        return s.append(')').toString();
    }

    private static String format(float[] v) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v[i]));
        }
        return s.append(')').toString();
    }
}
