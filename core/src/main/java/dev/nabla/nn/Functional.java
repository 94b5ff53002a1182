package dev.nabla.nn;

import dev.nabla.activations.Activations;
import dev.nabla.backend.Backend;
import dev.nabla.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model built from a graph of layers (Keras' functional API): one {@link Input}, one output,
 * and any directed acyclic graph in between, so skip (residual) connections and merges work;
 * a layer applied twice shares its weights.
 *
 * <pre>{@code
 * SymbolicTensor in = Input.of(16);
 * SymbolicTensor h = new Dense(16, "relu").apply(in);
 * SymbolicTensor sum = new Add().apply(h, in);                  // skip connection
 * Model model = Model.of(in, new Dense(3, "softmax").apply(sum));
 * }</pre>
 *
 * <p>Not yet: several inputs or several outputs (every example of the course notes has one of each).
 */
public final class Functional extends Model {
    private final SymbolicTensor input;
    private final SymbolicTensor output;
    private final List<SymbolicTensor> nodes;
    private final List<Layer> layers;

    Functional(SymbolicTensor input, SymbolicTensor output, String name) {
        super(name);
        if (!(input.layer() instanceof Input)) {
            throw new IllegalArgumentException("Model.of: the input must come from Input.of(shape); got the output of "
                    + input.layer().name());
        }
        this.input = input;
        this.output = output;
        this.nodes = topologicalOrder(input, output);
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Layer> ordered = new ArrayList<>();
        for (SymbolicTensor node : nodes) {
            if (seen.add(node.layer())) {
                ordered.add(node.layer());
            }
        }
        checkUniqueNames(ordered);
        this.layers = Collections.unmodifiableList(ordered);
    }

    /** Nodes from the input to the output, each after its inputs; the output must depend only on the input. */
    private static List<SymbolicTensor> topologicalOrder(SymbolicTensor input, SymbolicTensor output) {
        List<SymbolicTensor> order = new ArrayList<>();
        Set<SymbolicTensor> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<SymbolicTensor> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {output, 0});
        onPath.add(output);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            SymbolicTensor node = (SymbolicTensor) frame[0];
            int next = (Integer) frame[1];
            if (node.inputs().isEmpty() && node != input) {
                throw new IllegalArgumentException(
                        "Model.of: the output depends on " + node.layer().name()
                                + ", an Input other than the model's input (several inputs are not supported yet)");
            }
            if (next < node.inputs().size()) {
                frame[1] = next + 1;
                SymbolicTensor in = node.inputs().get(next);
                if (!done.contains(in)) {
                    if (!onPath.add(in)) {
                        throw new IllegalArgumentException("Model.of: the graph has a cycle through "
                                + in.layer().name());
                    }
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                onPath.remove(node);
                done.add(node);
                order.add(node);
            }
        }
        if (!done.contains(input)) {
            throw new IllegalArgumentException("Model.of: the output does not depend on the input");
        }
        return order;
    }

    /** The graph's nodes in the order they run. */
    public List<SymbolicTensor> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public SymbolicTensor input() {
        return input;
    }

    public SymbolicTensor output() {
        return output;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public int[] inputShape() {
        return input.shape();
    }

    @Override
    void buildLayers(Backend on, int[] inputShape) {
        for (SymbolicTensor node : nodes) {
            List<int[]> shapes = node == input
                    ? List.of(inputShape)
                    : node.inputs().stream().map(SymbolicTensor::shape).toList();
            node.layer().build(on, shapes);
        }
    }

    @Override
    Layer outputLayer() {
        return output.layer();
    }

    @Override
    Tensor call(Tensor x, boolean training, boolean withoutOutputActivation) {
        Map<SymbolicTensor, Tensor> values = new IdentityHashMap<>();
        values.put(input, input.layer().forward(List.of(x), training));
        for (SymbolicTensor node : nodes) {
            if (node == input) {
                continue;
            }
            List<Tensor> args = node.inputs().stream().map(values::get).toList();
            Tensor result = node == output && withoutOutputActivation
                    ? ((ActivatedLayer) node.layer()).callWithoutActivation(args.get(0), training)
                    : node.layer().forward(args, training);
            values.put(node, result);
        }
        return values.get(output);
    }

    @Override
    Activations outputActivation() {
        return output.layer() instanceof ActivatedLayer a && output.inputs().size() == 1 ? a.activation() : null;
    }

    @Override
    public String typeName() {
        return "Functional";
    }

    @Override
    List<String[]> summaryRows() {
        List<String[]> rows = new ArrayList<>();
        Map<Layer, Integer> uses = new IdentityHashMap<>();
        Map<SymbolicTensor, String> labels = new IdentityHashMap<>();
        for (SymbolicTensor node : nodes) {
            int use = uses.merge(node.layer(), 1, Integer::sum) - 1;
            labels.put(node, node.layer().name() + "[" + use + "][0]");
            List<String> from = node.inputs().stream().map(labels::get).toList();
            rows.add(new String[] {
                node.layer().name() + " (" + node.layer().typeName() + ")",
                Summary.shape(node.shape()),
                String.valueOf(use == 0 ? node.layer().countParams() : 0),
                String.join(", ", from)
            });
        }
        return rows;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        List<Object> layerConfigs = new ArrayList<>();
        for (Layer layer : layers) {
            layerConfigs.add(Summary.layerConfig(layer));
        }
        config.put("layers", layerConfigs);
        Map<SymbolicTensor, Integer> index = new IdentityHashMap<>();
        List<Object> nodeConfigs = new ArrayList<>();
        for (SymbolicTensor node : nodes) {
            index.put(node, index.size());
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("layer", layers.indexOf(node.layer()));
            n.put("inputs", node.inputs().stream().map(index::get).toList());
            nodeConfigs.add(n);
        }
        config.put("nodes", nodeConfigs);
        config.put("input", index.get(input));
        config.put("output", index.get(output));
        return config;
    }

    /** Rebuilds the graph of a saved config from its layers (made by the loader, in config order). */
    @SuppressWarnings("unchecked")
    public static Functional fromConfig(Map<String, Object> config, List<Layer> layers) {
        List<Object> nodeConfigs = (List<Object>) config.get("nodes");
        List<SymbolicTensor> nodes = new ArrayList<>();
        for (Object o : nodeConfigs) {
            Map<String, Object> n = (Map<String, Object>) o;
            Layer layer = layers.get(((Number) n.get("layer")).intValue());
            List<SymbolicTensor> inputs = new ArrayList<>();
            for (Object i : (List<Object>) n.get("inputs")) {
                int k = ((Number) i).intValue();
                if (k < 0 || k >= nodes.size()) {
                    throw new IllegalArgumentException(
                            "node " + nodes.size() + " reads node " + k + ", which is not before it");
                }
                inputs.add(nodes.get(k));
            }
            if (layer instanceof Input in) {
                if (!inputs.isEmpty()) {
                    throw new IllegalArgumentException("the Input " + in.name() + " cannot have inputs");
                }
                nodes.add(in.output());
            } else {
                nodes.add(layer.apply(inputs.toArray(new SymbolicTensor[0])));
            }
        }
        SymbolicTensor in = nodes.get(((Number) config.get("input")).intValue());
        SymbolicTensor out = nodes.get(((Number) config.get("output")).intValue());
        return new Functional(in, out, (String) config.get("name"));
    }
}
