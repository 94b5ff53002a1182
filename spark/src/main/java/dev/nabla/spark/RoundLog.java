package dev.nabla.spark;

import java.util.Map;

/**
 * One round of {@link SparkTrainer#fit}: where it was, its training loss and metrics (over every
 * sample the partitions trained on in the round), and what it cost.
 *
 * <pre>{@code
 * for (RoundLog r : history.rounds()) {
 *     System.out.printf("round %d: %.3f s, of which %.3f s training%n", r.round(), r.seconds(), r.computeSeconds());
 * }
 * }</pre>
 *
 * @param round the round's index over the whole run, from 0
 * @param epoch the epoch, from 0
 * @param roundInEpoch the round's index in its epoch, from 0
 * @param steps the local steps every partition took
 * @param logs "loss" and the compiled metrics
 * @param seconds the round's wall time on the driver: broadcast, tasks, aggregation, update
 * @param computeSeconds the slowest task's training time (its {@code fit} call)
 * @param floatsPerPartition the floats broadcast to, and sent back by, each partition (weights and
 *     optimizer state); 4 bytes each
 * @param retriedTasks tasks whose result came from a retry (a failed attempt before)
 */
public record RoundLog(
        long round,
        int epoch,
        int roundInEpoch,
        int steps,
        Map<String, Double> logs,
        double seconds,
        double computeSeconds,
        long floatsPerPartition,
        int retriedTasks) {}
