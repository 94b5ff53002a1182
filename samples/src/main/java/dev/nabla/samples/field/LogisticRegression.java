package dev.nabla.samples.field;

import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.TrainTest;
import dev.nabla.optim.SGD;
import dev.nabla.samples.cli.DigitData;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.plot.Charts;
import dev.nabla.samples.plot.Drawing;
import dev.nabla.tensor.NoGrad;
import dev.nabla.tensor.Tensor;
import dev.nabla.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The course's vectorized logistic regression, in the "cat / not-cat" setting of the course: here the binary
 * question is "is this digit a 0?" on the real MNIST digits (0 → y = 1, any other digit → y = 0), about one
 * image in ten being positive.
 *
 * <p>Samples are columns, as in the notes: X is n_x × m (784 × m), w is n_x × 1, b a scalar, and
 * <pre>
 * Z = wᵀX + b      A = σ(Z)      J = −(1/m) Σ (Y log A + (1 − Y) log(1 − A))
 * dZ = A − Y       dw = (1/m) X dZᵀ       db = (1/m) Σ dZ       w := w − α dw,  b := b − α db
 * </pre>
 * Autograd computes dw and db from J; the program checks them once against the notes' formulas and against
 * a per-sample loop (the same numbers, far slower), then trains with batch gradient descent.
 */
public final class LogisticRegression {
    static final Options.Spec SPEC = Options.program(
                    "nabla-logistic-regression",
                    "Vectorized logistic regression, \"is it a 0?\" on the MNIST digits (the course's cat/not-cat "
                            + "setting on a real binary split): Z = wᵀX + b, A = σ(Z), dZ = A − Y, w := w − α·dw.")
            .epochs(100, "gradient-descent iterations over the training set")
            .batchSize(8000, "samples per update (8000: the whole embedded training set, batch gradient descent)")
            .data()
            .positiveDoubleOption("lr", "ALPHA", 0.5, "learning rate α")
            .intOption("positive", "DIGIT", 0, "the digit that counts as y = 1 (the \"cat\")")
            .example("nabla-logistic-regression --epochs 200 --lr 0.1 --positive 3");

    private LogisticRegression() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, LogisticRegression::train);
    }

    /** y = 1 for {@code positive}, 0 for every other digit; target shape {1}. */
    static Dataset binary(Dataset digits, int positive) {
        int[] labels = digits.labels();
        float[] y = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = labels[i] == positive ? 1 : 0;
        }
        return Dataset.of(digits.features(), digits.featureShape(), y, new int[] {1});
    }

    /** A = σ(wᵀX + b) for X of n_x × m: 1 × m. */
    static Tensor forward(Tensor w, Tensor b, Tensor x) {
        return w.t().matmul(x).add(b).sigmoid();
    }

    /**
     * J = −(1/m) Σ (Y log A + (1 − Y) log(1 − A)), written with Z so that it stays finite when σ(Z) rounds to
     * 0 or 1 in float: log A = −softplus(−Z) and log(1 − A) = −softplus(Z), hence J = mean(softplus(Z) − Y·Z).
     */
    static Tensor cost(Tensor w, Tensor b, Tensor x, Tensor y) {
        Tensor z = w.t().matmul(x).add(b);
        return z.softplus().sub(y.mul(z)).mean();
    }

    @SuppressWarnings("try") // the scopes release what their blocks make
    private static void train(Job job) {
        Options options = job.options();
        int positive = options.integer("positive");
        if (positive < 0 || positive > 9) {
            throw new dev.nabla.samples.cli.UsageException("--positive is " + positive + "; expected a class 0–9");
        }
        DigitData.Digits loaded = DigitData.open(options);
        TrainTest digits = loaded.data();
        // "digit 3" on MNIST, "class 3 (Dress)" on Fashion-MNIST
        String positiveClass = loaded.kind().digits()
                ? "digit " + positive
                : "class " + positive + " (" + loaded.kind().className(positive) + ")";
        Dataset train = binary(digits.train(), positive);
        Dataset test = binary(digits.test(), positive);
        double share = mean(train.targets());
        System.out.printf(
                Locale.ROOT,
                "y = 1 for %s: %.1f%% of the training set (always answering \"not %d\" " + "scores %.1f%%)%n",
                positiveClass,
                100 * share,
                positive,
                100 * (1 - share));

        int nx = train.featureSize();
        double alpha = options.real("lr");
        int batchSize = Math.min(options.batchSize(), train.size());
        Map<String, List<Double>> history = new LinkedHashMap<>();
        for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
            history.put(k, new ArrayList<>());
        }
        try (Tensor w = Tensor.zeros(nx, 1).requiresGrad(true);
                Tensor b = Tensor.zeros(1).requiresGrad(true);
                SGD gd = new SGD(alpha)) {
            checkGradients(train, w, b);
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                for (Batch batch : train.batches(batchSize, true, options.seed() + epoch, job.backend())) {
                    try (batch;
                            TensorScope scope = TensorScope.open()) {
                        Tensor x = batch.x().t(); // n_x × m: one column per sample
                        Tensor y = batch.y().t(); // 1 × m
                        cost(w, b, x, y).backward(); // w.grad() = dw, b.grad() = db
                        gd.step(List.of(w, b)); // w := w − α·dw, b := b − α·db
                    }
                }
                double[] trainScores = scores(w, b, train, job);
                double[] testScores = scores(w, b, test, job);
                history.get("loss").add(trainScores[0]);
                history.get("accuracy").add(trainScores[1]);
                history.get("val_loss").add(testScores[0]);
                history.get("val_accuracy").add(testScores[1]);
                int e = epoch + 1;
                if (e == 1 || e == options.epochs() || e % Math.max(1, options.epochs() / 10) == 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "iteration %4d: cost %.4f, train accuracy %.2f%%, test cost %.4f, "
                                    + "test accuracy %.2f%%%n",
                            e,
                            trainScores[0],
                            100 * trainScores[1],
                            testScores[0],
                            100 * testScores[1]);
                }
            }
        }
        HistoryFiles.write(history, job.output(), "history");
        Drawing.charts(() -> Charts.saveHistoryCharts(
                        history,
                        "logistic regression, " + positiveClass + " vs the rest",
                        job.output().dir(),
                        ""))
                .forEach(job.output()::wrote);
    }

    /**
     * Once, on up to 2,000 samples: autograd's dw and db against the notes' dZ = A − Y, dw = (1/m)·X·dZᵀ,
     * db = (1/m)·Σ dZ, and the vectorized gradient against a loop over the samples one at a time.
     */
    @SuppressWarnings("try") // the scopes release what their blocks make
    private static void checkGradients(Dataset train, Tensor w, Tensor b) {
        Dataset part = train.slice(0, Math.min(2000, train.size()));
        int m = part.size();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(part.features(), m, part.featureSize()).t();
            Tensor y = Tensor.of(part.targets(), 1, m);
            cost(w, b, x, y).backward();
            float[] autogradDw = w.grad().toFloatArray();
            float autogradDb = (float) b.grad().item();
            w.zeroGrad();
            b.zeroGrad();
            try (NoGrad off = NoGrad.enter()) {
                Tensor dz = forward(w, b, x).sub(y); // A − Y
                float[] dw = x.matmul(dz.t()).div(m).toFloatArray(); // (1/m)·X·dZᵀ
                double db = dz.sum().item() / m; // (1/m)·Σ dZ
                long start = System.nanoTime();
                x.matmul(forward(w, b, x).sub(y).t()).div(m).toFloatArray(); // timed once warm
                double vectorizedMs = (System.nanoTime() - start) / 1e6;
                start = System.nanoTime();
                float[] loopDw = new float[part.featureSize()];
                for (int i = 0; i < m; i++) { // the loop vectorization replaces
                    Tensor xi = x.slice(1, i, i + 1); // n_x × 1
                    Tensor dzi = forward(w, b, xi).sub(y.slice(1, i, i + 1)); // a − y
                    float[] contribution = xi.mul(dzi).toFloatArray(); // dw_j += x_j·(a − y)
                    for (int j = 0; j < loopDw.length; j++) {
                        loopDw[j] += contribution[j] / m;
                    }
                    xi.close();
                    dzi.close();
                }
                double loopMs = (System.nanoTime() - start) / 1e6;
                System.out.printf(
                        Locale.ROOT,
                        "gradient check on %d samples: |dw(autograd) − dw(notes)| ≤ %.2e, "
                                + "|db(autograd) − db(notes)| = %.2e%n",
                        m,
                        maxDifference(autogradDw, dw),
                        Math.abs(autogradDb - db));
                System.out.printf(
                        Locale.ROOT,
                        "vectorized dw in %.1f ms, per-sample loop in %.0f ms " + "(|difference| ≤ %.2e)%n",
                        vectorizedMs,
                        loopMs,
                        maxDifference(loopDw, dw));
            }
        }
    }

    /** {cost, accuracy} of the current w, b over a whole set. */
    @SuppressWarnings("try") // the scopes release what their blocks make
    private static double[] scores(Tensor w, Tensor b, Dataset data, Job job) {
        double cost = 0;
        double correct = 0;
        try (NoGrad off = NoGrad.enter()) {
            for (Batch batch : data.batches(4096, false, 0, job.backend())) {
                try (batch;
                        TensorScope scope = TensorScope.open()) {
                    Tensor x = batch.x().t();
                    Tensor y = batch.y().t();
                    cost += cost(w, b, x, y).item() * batch.size();
                    correct += forward(w, b, x).gt(0.5).eq(y).sum().item(); // prediction: A > 0.5
                }
            }
        }
        return new double[] {cost / data.size(), correct / data.size()};
    }

    private static double mean(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s / values.length;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
