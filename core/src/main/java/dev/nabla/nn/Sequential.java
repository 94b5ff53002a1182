package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.backend.Backend;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain stack of layers, each feeding the next, as Keras' {@code keras.Sequential}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Input(784),
 *         new Dense(512, "tanh"),
 *         new Dense(10, "softmax"));
 * // or
 * Sequential model = new Sequential();
 * model.add(new Dense(512, "tanh").inputShape(784));
 * model.add(new Dense(10, "softmax"));
 * }</pre>
 *
 * <p>The input shape comes from a leading {@link Input}, from the first layer's
 * {@code inputShape(...)}, from {@link #build}, or from the first data the model sees.
 */
public class Sequential extends Model {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    public Sequential(List<? extends Layer> layers) {
        super(null);
        layers.forEach(this::add);
    }

    /** A named, empty model. */
    public Sequential(String name) {
        super(name);
    }

    /** Appends a layer (before the model is built). */
    public Sequential add(Layer layer) {
        java.util.Objects.requireNonNull(layer, "layer");
        requireOpen();
        if (isBuilt()) {
            throw new IllegalStateException(
                    "add: model '" + name() + "' is already built; add layers before building or training it");
        }
        if (layer instanceof Input && !layers.isEmpty()) {
            throw new IllegalArgumentException("add: an Input can only be the first layer of a Sequential model");
        }
        if (layers.contains(layer)) {
            throw new IllegalArgumentException("add: layer '" + layer.name() + "' is already in this model");
        }
        List<Layer> next = new ArrayList<>(layers);
        next.add(layer);
        checkUniqueNames(next);
        layers.add(layer);
        return this;
    }

    /** Removes the last layer (before the model is built), as Keras' {@code pop}. */
    public Layer pop() {
        if (layers.isEmpty()) {
            throw new IllegalStateException("pop: the model has no layers");
        }
        if (isBuilt()) {
            throw new IllegalStateException("pop: model '" + name() + "' is already built");
        }
        return layers.remove(layers.size() - 1);
    }

    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public int[] inputShape() {
        if (layers.isEmpty()) {
            return null;
        }
        Layer first = layers.get(0);
        if (first.isBuilt()) {
            return first.inputShapes().get(0);
        }
        return first.declaredInputShape();
    }

    @Override
    void buildLayers(Backend on, int[] inputShape) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name() + "' has no layers");
        }
        int[] shape = inputShape;
        for (Layer layer : layers) {
            layer.build(on, shape);
            shape = layer.outputShape();
        }
    }

    @Override
    Layer outputLayer() {
        return layers.get(layers.size() - 1);
    }

    @Override
    Tensor call(Tensor x, boolean training, boolean withoutOutputActivation) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Tensor next = i == layers.size() - 1 && withoutOutputActivation
                    ? ((ActivatedLayer) layer).callWithoutActivation(h, training)
                    : layer.forward(List.of(h), training);
            h = next;
        }
        return h;
    }

    @Override
    Activations outputActivation() {
        return layers.isEmpty()
                ? null
                : layers.get(layers.size() - 1) instanceof ActivatedLayer a ? a.activation() : null;
    }

    @Override
    public String typeName() {
        return "Sequential";
    }

    @Override
    List<String[]> summaryRows() {
        List<String[]> rows = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Input) {
                continue;
            }
            rows.add(new String[] {
                layer.name() + " (" + layer.typeName() + ")",
                Summary.shape(layer.outputShape()),
                String.valueOf(layer.countParams())
            });
        }
        return rows;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        List<Object> list = new ArrayList<>();
        for (Layer layer : layers) {
            list.add(Summary.layerConfig(layer));
        }
        config.put("layers", list);
        return config;
    }
}
