package dev.nabla.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * K-fold cross-validation: cuts a data set into k folds; fold i is the test set of round i and the other
 * folds are its training set, so every sample is tested exactly once. Like scikit-learn's {@code KFold},
 * the first n mod k folds hold one sample more than the others.
 *
 * <pre>{@code
 * CrossValidationResult cv = KFold.crossValidate(iris, 5, 42, fold -> {
 *     try (Model model = buildModel()) {
 *         model.fit(fold.train(), options);
 *         return model.evaluate(fold.test()).accuracy();
 *     }
 * });
 * System.out.println(cv.mean());
 * }</pre>
 */
public final class KFold {
    private final int k;
    private final boolean shuffle;
    private final long seed;

    /**
     * @param k       the number of folds, at least 2
     * @param shuffle whether to shuffle the samples (with {@code seed}) before cutting; otherwise folds are
     *                consecutive runs of samples
     * @param seed    the shuffle's seed (ignored without shuffle)
     */
    public KFold(int k, boolean shuffle, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k is " + k + "; K-fold cross-validation needs at least 2 folds");
        }
        this.k = k;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    public int k() {
        return k;
    }

    /**
     * The k folds of {@code data}, fold 0 first.
     *
     * @throws IllegalArgumentException when the data set has fewer samples than folds
     */
    public List<Fold> split(Dataset data) {
        int[] order = order(data);
        List<Fold> folds = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            folds.add(fold(data, order, i));
        }
        return folds;
    }

    /** The sample order the folds are cut from (checked: at least k samples). */
    private int[] order(Dataset data) {
        int n = data.size();
        if (k > n) {
            throw new IllegalArgumentException(k + " folds need at least " + k + " samples; the data set has " + n);
        }
        return shuffle ? Permutation.of(n, seed) : identity(n);
    }

    /** Fold i: the i-th run of {@code order} is the test set, the rest (in order) the training set. */
    private Fold fold(Dataset data, int[] order, int i) {
        int n = order.length;
        int start = i * (n / k) + Math.min(i, n % k);
        int end = start + n / k + (i < n % k ? 1 : 0);
        int[] test = Arrays.copyOfRange(order, start, end);
        int[] train = new int[n - test.length];
        System.arraycopy(order, 0, train, 0, start);
        System.arraycopy(order, end, train, start, n - end);
        return new Fold(i, data.subset(train), data.subset(test));
    }

    /**
     * Runs {@code scoreOfFold} on each of the k shuffled folds of {@code data} (typically: build a fresh
     * model, fit it on {@code fold.train()}, return its score on {@code fold.test()}) and collects the
     * scores and their mean.
     *
     * @throws IllegalArgumentException when k &lt; 2 or k &gt; n
     * @throws IllegalStateException    when a fold's score is null
     */
    public static CrossValidationResult crossValidate(
            Dataset data, int k, long seed, Function<Fold, Double> scoreOfFold) {
        KFold folds = new KFold(k, true, seed);
        int[] order = folds.order(data);
        List<Double> scores = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Fold fold = folds.fold(data, order, i); // one fold in memory at a time
            Double score = scoreOfFold.apply(fold);
            if (score == null) {
                throw new IllegalStateException("the score of fold " + fold.index() + " is null; expected a number");
            }
            scores.add(score);
        }
        return CrossValidationResult.of(scores);
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    @Override
    public String toString() {
        return "KFold(k=" + k + (shuffle ? ", shuffled with seed " + seed : ", in order") + ")";
    }
}
