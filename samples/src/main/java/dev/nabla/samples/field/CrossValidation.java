package dev.nabla.samples.field;

import dev.nabla.data.CrossValidationResult;
import dev.nabla.data.Dataset;
import dev.nabla.data.Fold;
import dev.nabla.data.KFold;
import dev.nabla.io.Json;
import dev.nabla.losses.CategoricalCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.samples.cli.DigitData;
import dev.nabla.samples.cli.HistoryFiles;
import dev.nabla.samples.cli.Job;
import dev.nabla.samples.cli.Options;
import dev.nabla.samples.cli.SampleRunner;
import dev.nabla.samples.cli.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * K-fold cross-validation as the course describes it: k runs, each fold the test set once, the mean of the
 * scores. {@link KFold#crossValidate} takes the data and a function from a fold to its score; the function
 * builds a fresh model from a factory, trains it on the other k − 1 folds and scores it on this one.
 */
public final class CrossValidation {
    static final Options.Spec SPEC = Options.program(
                    "nabla-kfold",
                    "K-fold cross-validation of a 784-128 relu-10 softmax network on the training digits: the score "
                            + "of each fold and their mean.")
            .epochs(3, "training epochs per fold")
            .batchSize(128)
            .data()
            .intOption("k", "K", 5, "number of folds")
            .example("nabla-kfold --k 10 --epochs 5");

    private CrossValidation() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return SampleRunner.run(SPEC, args, CrossValidation::crossValidate);
    }

    private static void crossValidate(Job job) {
        Options options = job.options();
        int k = options.integer("k");
        DigitData.Digits loaded = DigitData.open(options);
        Dataset data = loaded.data().train().toCategorical(10);
        if (k < 2 || k > data.size()) {
            throw new UsageException(
                    "--k is " + k + "; expected between 2 and the number of samples (" + data.size() + ")");
        }
        RandomSeed.set(options.seed());
        Supplier<Sequential> factory = () -> {
            Sequential model = new Sequential(new Input(784), new Dense(128, "relu"), new Dense(10, "softmax"));
            model.compile(new Adam(1e-3), new CategoricalCrossentropy(), "accuracy");
            return model;
        };
        FitOptions fit = new FitOptions()
                .epochs(options.epochs())
                .batchSize(options.batchSize())
                .seed(options.seed())
                .verbose(0);
        System.out.printf(
                Locale.ROOT,
                "%d-fold cross-validation on %,d %s, %d epochs per fold%n",
                k,
                data.size(),
                loaded.kind().items(),
                options.epochs());

        CrossValidationResult result = KFold.crossValidate(data, k, options.seed(), (Fold fold) -> {
            try (Sequential model = factory.get()) {
                model.fit(fold.train(), fit);
                double accuracy = model.evaluate(fold.test()).get("accuracy");
                System.out.printf(
                        Locale.ROOT,
                        "  fold %d: trained on %,d, tested on %,d: accuracy %.2f%%%n",
                        fold.index() + 1,
                        fold.train().size(),
                        fold.test().size(),
                        100 * accuracy);
                return accuracy;
            }
        });
        System.out.printf(
                Locale.ROOT,
                "mean accuracy %.2f%% ± %.2f%% (standard deviation over %d folds)%n",
                100 * result.mean(),
                100 * result.standardDeviation(),
                k);

        StringBuilder csv = new StringBuilder("fold,accuracy\n");
        List<Double> scores = result.scores();
        for (int i = 0; i < scores.size(); i++) {
            csv.append(i + 1)
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.6f", scores.get(i)))
                    .append('\n');
        }
        job.output().wrote(HistoryFiles.writeAtomically(job.output().file("kfold.csv"), csv.toString()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("k", (long) k);
        json.put("scores", scores);
        json.put("mean", result.mean());
        json.put("standard_deviation", result.standardDeviation());
        job.output().wrote(HistoryFiles.writeAtomically(job.output().file("kfold.json"), Json.write(json) + "\n"));
    }
}
