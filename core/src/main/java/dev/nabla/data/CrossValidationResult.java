package dev.nabla.data;

import java.util.List;

/**
 * The scores of a K-fold cross-validation, one per fold in fold order, and their mean.
 *
 * @param scores the score of each fold (fold 0 first)
 * @param mean   the arithmetic mean of the scores
 */
public record CrossValidationResult(List<Double> scores, double mean) {
    public CrossValidationResult {
        scores = List.copyOf(scores);
    }

    /** A result whose mean is computed from {@code scores}. */
    public static CrossValidationResult of(List<Double> scores) {
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return new CrossValidationResult(scores, scores.isEmpty() ? Double.NaN : sum / scores.size());
    }

    /** The population standard deviation of the scores (how much the folds disagree). */
    public double standardDeviation() {
        double squares = 0;
        for (double s : scores) {
            squares += (s - mean) * (s - mean);
        }
        return Math.sqrt(squares / scores.size());
    }

    @Override
    public String toString() {
        return String.format(
                "%d-fold cross-validation: mean %.4f ± %.4f, folds %s",
                scores.size(), mean, standardDeviation(), scores);
    }
}
