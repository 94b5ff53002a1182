package dev.nabla.samples.web;

/**
 * What the network says about one box: the most probable digit, its probability, and all ten
 * probabilities (index = digit). {@code empty} boxes (no ink) carry the network's output too, but
 * the page shows them as empty rather than as a guess.
 */
public record Prediction(int digit, double probability, float[] probabilities, boolean empty) {
    /** The prediction of one row of softmax output. */
    static Prediction of(float[] probabilities, boolean empty) {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return new Prediction(best, probabilities[best], probabilities.clone(), empty);
    }
}
