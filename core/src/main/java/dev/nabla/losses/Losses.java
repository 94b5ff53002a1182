package dev.nabla.losses;

import java.util.Locale;
import java.util.Map;

/** Losses by their Keras names ("mse", "categorical_crossentropy" …) and from saved configs. */
public final class Losses {
    private Losses() {}

    /** The loss called {@code name}: mse / mean_squared_error, sum_of_squares, binary_crossentropy, … */
    public static Loss get(String name) {
        return fromConfig(name, Map.of());
    }

    public static Loss fromConfig(String name, Map<String, Object> config) {
        boolean logits = Boolean.TRUE.equals(config.get("from_logits"));
        String key = name.trim().toLowerCase(Locale.ROOT).replace("_", "");
        return switch (key) {
            case "mse", "meansquarederror" -> new MeanSquaredError();
            case "sumofsquares", "sse" -> new SumOfSquares();
            case "binarycrossentropy", "bce" -> new BinaryCrossentropy(logits);
            case "categoricalcrossentropy", "cce" -> new CategoricalCrossentropy(logits);
            case "sparsecategoricalcrossentropy" -> new SparseCategoricalCrossentropy(logits);
            default ->
                throw new IllegalArgumentException(
                        "unknown loss '" + name + "'; expected one of mean_squared_error (mse), "
                                + "sum_of_squares, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy");
        };
    }
}
