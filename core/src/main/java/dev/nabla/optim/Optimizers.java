package dev.nabla.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Optimizers and schedules by their Keras names ("sgd", "adam" …) and from saved configs. */
public final class Optimizers {
    private Optimizers() {}

    /** The optimizer called {@code name} with Keras' defaults: sgd, rmsprop, adam, adamw. */
    public static Optimizer get(String name) {
        return fromConfig(name, Map.of());
    }

    /** The optimizer of a saved config ({@link Optimizer#config()}). */
    public static Optimizer fromConfig(String name, Map<String, Object> config) {
        LearningRateSchedule lr = config.containsKey("learning_rate") ? schedule(config.get("learning_rate")) : null;
        String key = name.trim().toLowerCase(Locale.ROOT);
        Optimizer optimizer = switch (key) {
            case "sgd" ->
                new SGD(
                        lr != null ? lr : LearningRateSchedule.constant(0.01),
                        number(config, "momentum", 0),
                        Boolean.TRUE.equals(config.get("nesterov")));
            case "rmsprop" ->
                new RMSprop(
                        lr != null ? lr : LearningRateSchedule.constant(0.001),
                        number(config, "rho", 0.9),
                        number(config, "epsilon", 1e-7));
            case "adam" ->
                new Adam(
                        lr != null ? lr : LearningRateSchedule.constant(0.001),
                        number(config, "beta_1", 0.9),
                        number(config, "beta_2", 0.999),
                        number(config, "epsilon", 1e-7));
            case "adamw" ->
                new AdamW(
                        lr != null ? lr : LearningRateSchedule.constant(0.001),
                        number(config, "weight_decay", 0.004),
                        number(config, "beta_1", 0.9),
                        number(config, "beta_2", 0.999),
                        number(config, "epsilon", 1e-7));
            default ->
                throw new IllegalArgumentException(
                        "unknown optimizer '" + name + "'; expected one of sgd, rmsprop, adam, adamw");
        };
        optimizerConfig(optimizer, config);
        return optimizer;
    }

    private static void optimizerConfig(Optimizer optimizer, Map<String, Object> config) {
        if (config.get("clipnorm") instanceof Number n) {
            optimizer.clipnorm(n.doubleValue());
        }
        if (config.get("clipvalue") instanceof Number n) {
            optimizer.clipvalue(n.doubleValue());
        }
        if (config.get("global_clipnorm") instanceof Number n) {
            optimizer.globalClipnorm(n.doubleValue());
        }
        if (config.get("weight_decay") instanceof Number n) {
            optimizer.weightDecay(n.doubleValue());
        }
    }

    /** A learning rate from a config value: a number, or {class_name, config} of a schedule. */
    @SuppressWarnings("unchecked")
    public static LearningRateSchedule schedule(Object value) {
        if (value instanceof Number n) {
            return LearningRateSchedule.constant(n.doubleValue());
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("learning rate must be a number or a schedule config, got " + value);
        }
        String name = (String) map.get("class_name");
        Map<String, Object> c = (Map<String, Object>) map.get("config");
        return switch (name) {
            case "Constant" -> LearningRateSchedule.constant(number(c, "value", 0));
            case "PiecewiseConstantDecay" ->
                new PiecewiseConstantDecay(longs((List<?>) c.get("boundaries")), doubles((List<?>) c.get("values")));
            case "ExponentialDecay" ->
                new ExponentialDecay(
                        number(c, "initial_learning_rate", 0),
                        (long) number(c, "decay_steps", 1),
                        number(c, "decay_rate", 1),
                        Boolean.TRUE.equals(c.get("staircase")));
            case "PolynomialDecay" ->
                new PolynomialDecay(
                        number(c, "initial_learning_rate", 0),
                        (long) number(c, "decay_steps", 1),
                        number(c, "end_learning_rate", 0.0001),
                        number(c, "power", 1),
                        Boolean.TRUE.equals(c.get("cycle")));
            default ->
                throw new IllegalArgumentException("unknown learning-rate schedule '" + name
                        + "'; expected PiecewiseConstantDecay, ExponentialDecay or PolynomialDecay");
        };
    }

    private static double number(Map<String, Object> config, String key, double fallback) {
        Object value = config.get(key);
        return value instanceof Number n ? n.doubleValue() : fallback;
    }

    private static long[] longs(List<?> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).longValue();
        }
        return out;
    }

    private static double[] doubles(List<?> values) {
        List<Double> list = new ArrayList<>();
        for (Object v : values) {
            list.add(((Number) v).doubleValue());
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
