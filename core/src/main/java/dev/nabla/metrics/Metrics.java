package dev.nabla.metrics;

import java.util.Locale;

/**
 * Metrics by their Keras names. {@code "accuracy"} (or {@code "acc"}) picks its kind from the
 * shapes, as Keras does: binary when the model has one output per sample, sparse categorical
 * when targets are single labels and the output has several classes, else categorical.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The metric called {@code name}, logged under that name, for targets and outputs of these
     * per-sample shapes.
     */
    public static Metric get(String name, int[] targetShape, int[] outputShape) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "accuracy", "acc" -> accuracy(name, targetShape, outputShape);
            case "categorical_accuracy" -> new CategoricalAccuracy(name);
            case "sparse_categorical_accuracy" -> new SparseCategoricalAccuracy(name);
            case "binary_accuracy" -> new BinaryAccuracy(name, 0.5);
            case "precision" -> new Precision(name, 0.5);
            case "recall" -> new Recall(name, 0.5);
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError(name);
            default ->
                throw new IllegalArgumentException("unknown metric '" + name + "'; expected one of accuracy, "
                        + "categorical_accuracy, sparse_categorical_accuracy, binary_accuracy, precision, recall, mae");
        };
    }

    private static Metric accuracy(String name, int[] targetShape, int[] outputShape) {
        int classes = outputShape.length == 0 ? 1 : outputShape[outputShape.length - 1];
        if (classes == 1) {
            return new BinaryAccuracy(name, 0.5);
        }
        boolean singleLabel = targetShape.length == 0
                || targetShape.length < outputShape.length
                || targetShape[targetShape.length - 1] == 1;
        return singleLabel ? new SparseCategoricalAccuracy(name) : new CategoricalAccuracy(name);
    }
}
