package dev.nabla.nn;

import dev.nabla.io.ModelFormatException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How a saved layer is made again from its class name and config (Keras' custom objects).
 * The built-in layers are registered; register your own before loading a model that uses them.
 *
 * <pre>{@code
 * LayerRegistry.register("Scale", config -> new Scale().fromConfig(config));
 * Model model = Model.load(Path.of("custom.nabla"));
 * }</pre>
 */
public final class LayerRegistry {
    private static final Map<String, Function<Map<String, Object>, Layer>> FACTORIES = new ConcurrentHashMap<>();

    static {
        register("Dense", Dense::fromConfig);
        register("Activation", Activation::fromConfig);
        register("Dropout", Dropout::fromConfig);
        register("BatchNormalization", BatchNormalization::fromConfig);
        register("Flatten", Flatten::fromConfig);
        register("InputLayer", Input::fromConfig);
        register("Add", Add::fromConfig);
        register("Concatenate", Concatenate::fromConfig);
        register("Conv2D", Conv2D::fromConfig);
        register("DepthwiseConv2D", DepthwiseConv2D::fromConfig);
        register("MaxPooling2D", MaxPooling2D::fromConfig);
        register("AveragePooling2D", AveragePooling2D::fromConfig);
        register("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig);
        register("GlobalMaxPooling2D", GlobalMaxPooling2D::fromConfig);
        register("Reshape", Reshape::fromConfig);
        register("ZeroPadding2D", ZeroPadding2D::fromConfig);
    }

    private LayerRegistry() {}

    /** Makes layers whose {@link Layer#typeName()} is {@code className} with {@code factory}. */
    public static void register(String className, Function<Map<String, Object>, Layer> factory) {
        FACTORIES.put(className, factory);
    }

    /** The layer of a saved {@code className} and {@code config}. */
    public static Layer create(String className, Map<String, Object> config) {
        Function<Map<String, Object>, Layer> factory = FACTORIES.get(className);
        if (factory == null) {
            throw new ModelFormatException("the model uses a layer of class '" + className
                    + "', which is not registered; "
                    + "known classes are " + new TreeSet<>(FACTORIES.keySet()) + " (register custom layers with "
                    + "LayerRegistry.register before loading)");
        }
        return factory.apply(config);
    }

    /** The registered class names. */
    public static Set<String> classNames() {
        return new TreeSet<>(FACTORIES.keySet());
    }
}
