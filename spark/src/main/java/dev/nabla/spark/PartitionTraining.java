package dev.nabla.spark;

import dev.nabla.backend.Backend;
import dev.nabla.callbacks.History;
import dev.nabla.data.Dataset;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Model;
import dev.nabla.nn.Parameter;
import dev.nabla.optim.Optimizer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One task of a round, on the executor: takes a model (kept from the last round, or loaded from the
 * broadcast file), sets its weights and optimizer state to the round's, trains the round's local
 * steps on the partition's shard with Nabla's own {@code fit} (so a step is exactly a single-process
 * step), and returns the new weights and state for averaging.
 */
final class PartitionTraining implements Function2<Integer, Iterator<Shard>, Iterator<Update>> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<TrainingSpec> spec;
    private final Broadcast<RoundState> state;

    PartitionTraining(Broadcast<TrainingSpec> spec, Broadcast<RoundState> state) {
        this.spec = spec;
        this.state = state;
    }

    @Override
    public Iterator<Update> call(Integer partition, Iterator<Shard> shards) {
        if (!shards.hasNext()) {
            return Collections.emptyIterator();
        }
        Shard shard = shards.next();
        TrainingSpec s = spec.value();
        RoundState r = state.value();
        TaskContext task = TaskContext.get();
        if (s.hook() != null) {
            s.hook().beforeTraining(r.round(), partition);
        }
        Backend backend = ExecutorBackends.of(s.backend(), task);
        String key = s.runId() + "@" + backend.name() + "#" + System.identityHashCode(backend);
        Model model = ExecutorModels.take(key, s.modelFile(), backend);
        boolean done = false;
        try {
            Update update = train(model, shard, s, r);
            update.retriedTasks = task != null && task.attemptNumber() > 0 ? 1 : 0;
            done = true;
            return List.of(update).iterator();
        } finally {
            if (done) {
                ExecutorModels.give(key, model);
            } else {
                model.close();
            }
        }
    }

    /** Sets {@code model} to the round's state, trains the round's steps, and returns the result. */
    static Update train(Model model, Shard shard, TrainingSpec s, RoundState r) {
        model.setWeights(Arrays.asList(r.weights()));
        Optimizer optimizer = model.optimizer();
        optimizer.reset();
        List<Parameter> trainable = model.trainableWeights();
        for (int i = 0; i < trainable.size(); i++) {
            if (r.slots()[i] != null) {
                optimizer.setSlots(trainable.get(i).value(), Arrays.asList(r.slots()[i]));
            }
        }
        optimizer.iterations(r.iterations());
        if (r.learningRate() != null) {
            optimizer.learningRate(r.learningRate());
        }
        Dataset data = shard.steps(r.fromStep(), r.toStep(), s.batchSize(), r.epoch(), s.shuffle(), s.seed());
        long start = System.nanoTime();
        History history = model.fit(
                data,
                new FitOptions()
                        .batchSize(s.batchSize())
                        .epochs(1)
                        .shuffle(false)
                        .seed(0)
                        .verbose(0));
        double seconds = (System.nanoTime() - start) / 1e9;

        Update u = Update.empty();
        u.partitions = 1;
        u.weights = model.getWeights().toArray(new float[0][]);
        u.slots = slotsOf(model);
        u.iterations = optimizer.iterations();
        u.samples = data.size();
        for (Map.Entry<String, List<Double>> e : history.history().entrySet()) {
            List<Double> values = e.getValue();
            u.weightedLogs.put(e.getKey(), values.get(values.size() - 1) * data.size());
        }
        u.maxComputeSeconds = seconds;
        return u;
    }

    /** The optimizer's state per trainable weight (null where it has none), on the host. */
    static float[][][] slotsOf(Model model) {
        List<Parameter> trainable = model.trainableWeights();
        float[][][] slots = new float[trainable.size()][][];
        for (int i = 0; i < slots.length; i++) {
            var values = model.optimizer().slots(trainable.get(i).value());
            if (values != null) {
                slots[i] = new float[values.size()][];
                for (int j = 0; j < values.size(); j++) {
                    slots[i][j] = values.get(j).toFloatArray();
                }
            }
        }
        return slots;
    }
}
