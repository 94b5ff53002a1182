package dev.nabla.nn;

import dev.nabla.backend.Backend;
import dev.nabla.io.ModelFile;
import dev.nabla.io.ModelFormatException;
import dev.nabla.losses.Loss;
import dev.nabla.losses.Losses;
import dev.nabla.metrics.Metric;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.Optimizers;
import dev.nabla.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model as the sections of a {@link ModelFile} and back: architecture (with the compile
 * settings), weights and optimizer state. {@link Model#save} and {@link Model#load} use it;
 * reading and writing the file itself is {@link ModelFile}'s part.
 */
final class SavedModel {
    private static final Logger LOG = LoggerFactory.getLogger(SavedModel.class);

    private SavedModel() {}

    // ================================================================== saving

    /** Writes {@code model} and {@code metadata} to {@code path} atomically. */
    static void save(Model model, Path path, Map<String, Object> metadata) {
        ModelFile.write(path, contents(model, metadata), "model '" + model.name() + "'");
    }

    /** What the file of {@code model} holds: OPTM state only when the model is compiled and built. */
    static ModelFile.Contents contents(Model model, Map<String, Object> metadata) {
        Map<String, ModelFile.StoredTensor> weights = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (Parameter p : model.isBuilt() ? model.weights() : List.<Parameter>of()) {
            weights.put(p.name(), new ModelFile.StoredTensor(p.name(), p.shape(), p.get()));
            order.add(p.name());
        }
        Long iterations = null;
        Map<String, List<ModelFile.StoredTensor>> slots = new LinkedHashMap<>();
        if (model.isCompiled() && model.isBuilt()) {
            Optimizer optimizer = model.optimizer();
            iterations = optimizer.iterations();
            List<String> slotNames = optimizer.slotNames();
            for (Parameter p : model.trainableWeights()) {
                List<Tensor> values = optimizer.slots(p.value());
                if (values == null) {
                    continue;
                }
                List<ModelFile.StoredTensor> stored = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    stored.add(new ModelFile.StoredTensor(
                            slotNames.get(i),
                            values.get(i).shape(),
                            values.get(i).toFloatArray()));
                }
                slots.put(p.name(), stored);
            }
        }
        return new ModelFile.Contents(architecture(model), weights, order, iterations, slots, metadata);
    }

    private static Map<String, Object> architecture(Model model) {
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("format", "nabla-model");
        arch.put("format_version", ModelFile.VERSION);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", model.typeName());
        m.put("config", model.config());
        arch.put("model", m);
        arch.put(
                "build_input_shape",
                model.isBuilt()
                        ? Layer.toList(model.layers().get(0).inputShapes().get(0))
                        : null);
        arch.put("saved_on_backend", model.isBuilt() ? model.backend().name() : null);
        if (model.isCompiled()) {
            Map<String, Object> compile = new LinkedHashMap<>();
            Map<String, Object> optimizer = new LinkedHashMap<>();
            optimizer.put("class_name", model.optimizer().name());
            optimizer.put("config", model.optimizer().config());
            compile.put("optimizer", optimizer);
            Map<String, Object> loss = new LinkedHashMap<>();
            loss.put("class_name", model.loss().name());
            loss.put("config", model.loss().config());
            compile.put("loss", loss);
            List<Object> metrics = new ArrayList<>();
            for (Object metric : model.metrics()) {
                metrics.add(metric instanceof Metric mo ? mo.name() : metric);
            }
            compile.put("metrics", metrics);
            arch.put("compile", compile);
        }
        return arch;
    }

    // ================================================================== loading

    /** Reads, checks and builds the model of {@code path} on {@code backend}. */
    static Model load(Path path, Backend backend) {
        byte[] bytes = ModelFile.readBytes(path);
        try {
            return build(ModelFile.parse(bytes), backend);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(path + ": " + e.getMessage(), e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static Model build(ModelFile.Contents contents, Backend backend) {
        Map<String, Object> arch = contents.architecture();
        List<Layer> layers = new ArrayList<>();
        Model model = null;
        try { // found by fuzzing: a missing or mistyped entry must be a ModelFormatException too
            Map<String, Object> modelEntry = (Map<String, Object>) arch.get("model");
            String className = (String) modelEntry.get("class_name");
            Map<String, Object> config = (Map<String, Object>) modelEntry.get("config");
            for (Object o : (List<Object>) config.get("layers")) {
                Map<String, Object> entry = (Map<String, Object>) o;
                layers.add(LayerRegistry.create(
                        (String) entry.get("class_name"), (Map<String, Object>) entry.get("config")));
            }
            model = switch (className) {
                case "Sequential" -> {
                    Sequential s = new Sequential((String) config.get("name"));
                    layers.forEach(s::add);
                    yield s;
                }
                case "Functional" -> Functional.fromConfig(config, layers);
                default ->
                    throw new ModelFormatException(
                            "unknown model class '" + className + "'; expected Sequential or Functional");
            };
            model.backend(backend);
            Object shape = arch.get("build_input_shape");
            if (shape instanceof List<?> list) {
                model.build(Layer.toInts(list));
            }
            restoreWeights(model, contents);
            restoreCompile(model, arch, contents);
            return model;
        } catch (ModelFormatException e) {
            closeAll(model, layers);
            throw e;
        } catch (RuntimeException e) {
            closeAll(model, layers);
            throw new ModelFormatException("the file describes a model that cannot be built: " + e.getMessage(), e);
        }
    }

    private static void closeAll(Model model, List<Layer> layers) {
        if (model != null) {
            model.close();
        } else {
            layers.forEach(Layer::close);
        }
    }

    private static void restoreWeights(Model model, ModelFile.Contents contents) {
        List<Parameter> weights = model.isBuilt() ? model.weights() : List.of();
        Map<String, ModelFile.StoredTensor> stored = contents.weights();
        if (weights.size() != stored.size()) {
            throw new ModelFormatException(
                    "the architecture has " + weights.size() + " weights but the file stores " + stored.size());
        }
        for (Parameter p : weights) {
            ModelFile.StoredTensor t = stored.get(p.name());
            if (t == null) {
                throw new ModelFormatException(
                        "the file stores no values for weight " + p.name() + "; it has " + stored.keySet());
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new ModelFormatException("weight " + p.name() + " is stored with shape "
                        + Arrays.toString(t.shape()) + " but the architecture gives it " + Arrays.toString(p.shape()));
            }
        }
        for (Parameter p : weights) {
            p.set(stored.get(p.name()).values());
        }
    }

    @SuppressWarnings("unchecked")
    private static void restoreCompile(Model model, Map<String, Object> arch, ModelFile.Contents contents) {
        if (!(arch.get("compile") instanceof Map<?, ?> compile)) {
            return;
        }
        Map<String, Object> opt = (Map<String, Object>) compile.get("optimizer");
        Map<String, Object> lossEntry = (Map<String, Object>) compile.get("loss");
        Optimizer optimizer =
                Optimizers.fromConfig((String) opt.get("class_name"), (Map<String, Object>) opt.get("config"));
        Loss loss;
        try {
            loss = Losses.fromConfig(
                    (String) lossEntry.get("class_name"), (Map<String, Object>) lossEntry.get("config"));
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "The model was compiled with loss '{}', which this Nabla does not know; it is loaded uncompiled",
                    lossEntry.get("class_name"));
            optimizer.close();
            return;
        }
        List<String> metrics = new ArrayList<>();
        for (Object m : (List<Object>) compile.get("metrics")) {
            try {
                dev.nabla.metrics.Metrics.get((String) m, new int[] {2}, new int[] {2})
                        .close();
                metrics.add((String) m);
            } catch (IllegalArgumentException e) {
                LOG.warn("Dropping metric '{}' of the saved model: not a built-in metric", m);
            }
        }
        model.compile(optimizer, loss, metrics.toArray(new String[0]));
        if (contents.iterations() != null) {
            optimizer.iterations(contents.iterations());
        }
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : model.trainableWeights()) {
            byName.put(p.name(), p);
        }
        for (Map.Entry<String, List<ModelFile.StoredTensor>> e :
                contents.optimizerSlots().entrySet()) {
            Parameter p = byName.get(e.getKey());
            if (p == null) {
                throw new ModelFormatException(
                        "the optimizer state names weight " + e.getKey() + ", which is not a trainable weight");
            }
            List<float[]> values = new ArrayList<>();
            for (ModelFile.StoredTensor t : e.getValue()) {
                if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new ModelFormatException("optimizer state '" + t.name() + "' of " + p.name() + " has shape "
                            + Arrays.toString(t.shape()) + "; expected " + Arrays.toString(p.shape()));
                }
                values.add(t.values());
            }
            optimizer.setSlots(p.value(), values);
        }
    }
}
