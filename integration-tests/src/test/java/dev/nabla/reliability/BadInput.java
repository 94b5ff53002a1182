package dev.nabla.reliability;

import java.util.List;

/**
 * One row of the bad-input table: a bad call, the exception it must raise, and what the message
 * must say — the problem and the expectation.
 *
 * @param area      the part of the API ("tensor", "fit", "files" …)
 * @param problem   what is wrong, in words
 * @param code      the call, as a user would write it (for docs/errors.md)
 * @param type      the exception it raises
 * @param problemSays     fragments of the message that name the problem
 * @param expectationSays fragments of the message that say what was expected
 * @param call      runs the call against a fresh {@link Fixture}
 */
record BadInput(
        String area,
        String problem,
        String code,
        Class<? extends Throwable> type,
        List<String> problemSays,
        List<String> expectationSays,
        Call call) {

    /** The bad call. */
    @FunctionalInterface
    interface Call {
        void run(Fixture f) throws Exception;
    }

    @Override
    public String toString() {
        return area + ": " + problem;
    }
}
