package dev.nabla.nn.initializers;

import java.util.Locale;
import java.util.Map;

/**
 * Initializers by their Keras names: {@code "glorot_uniform"}, {@code "he_normal"},
 * {@code "zeros"} … (snake case or class name), and from the configs saved in model files.
 */
public final class Initializers {
    private Initializers() {}

    /** The unseeded initializer called {@code name}, e.g. {@code Initializers.get("he_uniform")}. */
    public static Initializer get(String name) {
        return fromConfig(name, Map.of());
    }

    /** The initializer {@code name} with the arguments of {@link Initializer#config()}. */
    public static Initializer fromConfig(String name, Map<String, Object> config) {
        Long seed = config.get("seed") instanceof Number n ? n.longValue() : null;
        String key = name.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (key) {
            case "zeros", "zero" -> new Zeros();
            case "ones", "one" -> new Ones();
            case "constant" -> new Constant(number(config, "value", 0));
            case "glorotuniform", "xavieruniform" -> new GlorotUniform(seed);
            case "glorotnormal", "xaviernormal" -> new GlorotNormal(seed);
            case "heuniform" -> new HeUniform(seed);
            case "henormal" -> new HeNormal(seed);
            case "lecununiform" -> new LecunUniform(seed);
            case "lecunnormal" -> new LecunNormal(seed);
            case "randomnormal" -> new RandomNormal(number(config, "mean", 0), number(config, "stddev", 0.05), seed);
            case "randomuniform" ->
                new RandomUniform(number(config, "minval", -0.05), number(config, "maxval", 0.05), seed);
            case "variancescaling" ->
                new VarianceScaling(
                        number(config, "scale", 1),
                        VarianceScaling.Mode.valueOf(String.valueOf(config.getOrDefault("mode", "fan_in"))
                                .toUpperCase(Locale.ROOT)),
                        VarianceScaling.Distribution.valueOf(
                                String.valueOf(config.getOrDefault("distribution", "normal"))
                                        .toUpperCase(Locale.ROOT)),
                        seed);
            default ->
                throw new IllegalArgumentException("unknown initializer '" + name + "'; expected one of zeros, ones, "
                        + "constant, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, "
                        + "random_normal, random_uniform, variance_scaling");
        };
    }

    private static double number(Map<String, Object> config, String key, double fallback) {
        Object value = config.get(key);
        return value instanceof Number n ? n.doubleValue() : fallback;
    }
}
