package com.example;

import dev.nabla.data.Dataset;
import dev.nabla.losses.BinaryCrossentropy;
import dev.nabla.nn.Dense;
import dev.nabla.nn.FitOptions;
import dev.nabla.nn.Input;
import dev.nabla.nn.RandomSeed;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/** Learns XOR with a 2-8-1 network: the smallest problem a single neuron cannot solve. */
public class Xor {
    public static void main(String[] args) {
        float[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        float[][] y = {{0}, {1}, {1}, {0}};
        Dataset data = Dataset.of(x, y);

        RandomSeed.set(42); // the same initial weights on every run
        try (Sequential model = new Sequential(
                new Input(2),
                new Dense(8, "tanh"),
                new Dense(1, "sigmoid"))) {
            model.compile(new Adam(0.05), new BinaryCrossentropy(), "accuracy");
            model.fit(data, new FitOptions().epochs(300).batchSize(4).verbose(0));

            Map<String, Double> scores = model.evaluate(data);
            try (Tensor p = model.predict(Tensor.of(x))) {
                System.out.printf("loss %.4f, accuracy %.2f, P(y = 1) = %s%n",
                        scores.get("loss"), scores.get("accuracy"), Arrays.toString(p.toFloatArray()));
            }
        }
    }
}
