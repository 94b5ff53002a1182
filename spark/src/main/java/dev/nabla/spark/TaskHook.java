package dev.nabla.spark;

import java.io.Serializable;

/**
 * Runs in each task before it trains (tests inject faults with it: a hook that throws makes Spark
 * retry the task, as it would after a lost executor).
 */
@FunctionalInterface
interface TaskHook extends Serializable {
    /** Called on the executor with the round's global index (0-based) and the task's partition. */
    void beforeTraining(long round, int partition);
}
