package dev.nabla.spark;

import dev.nabla.callbacks.History;
import java.util.Collections;
import java.util.List;

/**
 * What {@link SparkTrainer#fit} returns: the per-epoch {@link History} that {@code Model.fit}
 * returns (loss, metrics and validation scores; epochs of a resumed run included), and the rounds
 * this run trained.
 *
 * <pre>{@code
 * SparkHistory h = trainer.fit(samples);
 * double loss = h.history().last("loss");
 * int rounds = h.rounds().size();
 * }</pre>
 */
public final class SparkHistory {
    private final History history;
    private final List<RoundLog> rounds;
    private final long resumedAtRound;

    SparkHistory(History history, List<RoundLog> rounds, long resumedAtRound) {
        this.history = history;
        this.rounds = Collections.unmodifiableList(rounds);
        this.resumedAtRound = resumedAtRound;
    }

    /** Loss, metrics and "val_…" per epoch, as {@code Model.fit} gives them. */
    public History history() {
        return history;
    }

    /** The rounds trained by this call, in order. */
    public List<RoundLog> rounds() {
        return rounds;
    }

    /** The round this call started at: 0, or the round after the checkpoint's when it resumed. */
    public long resumedAtRound() {
        return resumedAtRound;
    }

    @Override
    public String toString() {
        return "SparkHistory[" + rounds.size() + " rounds from round " + resumedAtRound + ", " + history + "]";
    }
}
