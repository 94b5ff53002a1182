package dev.nabla.samples.train;

import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.samples.cli.UsageException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The MNIST networks of the course examples and two convolutional ones (samples/README.md, "nabla-train"), by name, with the loss, optimizer,
 * learning rate and batch size the course trains them with. Options given on the command line override the
 * preset's.
 */
public enum Preset {
    /** 784-512 tanh-10 softmax, MSE, SGD 0.01, batch 128 (the notes: 89.5 % after 50 epochs). */
    MLP_SGD("mlp-sgd", "784-512:tanh-10:softmax", "mse", "sgd", 0.01),
    /** 784-512 tanh-10 softmax, MSE, Adam 0.001, batch 128 (the notes: 98.19 %). */
    MLP_ADAM("mlp-adam", "784-512:tanh-10:softmax", "mse", "adam", 0.001),
    /** 784-1024-512-512 relu-10 softmax, categorical cross-entropy, Adam 0.0001, batch 128 (≈ 98 %). */
    DEEP_MLP("deep-mlp", "784-1024:relu-512:relu-512:relu-10:softmax", "categorical_crossentropy", "adam", 1e-4),
    /**
     * LeNet-5 as docs/model.md writes it: the 784 pixels as a 28×28×1 image, conv 6@5×5 same and 16@5×5, each
     * relu and 2×2 max pooling, then Dense 120-84 relu and 10 softmax; categorical cross-entropy, Adam 0.001.
     */
    LENET(
            "lenet",
            "784-reshape28x28x1-conv6k5same:relu-pool2-conv16k5:relu-pool2-flatten-120:relu-84:relu-10:softmax",
            "categorical_crossentropy",
            "adam",
            0.001),
    /**
     * The Keras MNIST convnet with "same" padding: conv 32@3×3 and 64@3×3, each relu and 2×2 max pooling, Dense 128
     * relu, dropout 0.5 and 10 softmax; categorical cross-entropy, Adam 0.001. Same padding keeps the borders (28 →
     * 14 → 7), worth about half a point on Fashion-MNIST over "valid".
     */
    CNN(
            "cnn",
            "784-reshape28x28x1-conv32k3same:relu-pool2-conv64k3same:relu-pool2-flatten-128:relu-dropout0.5-10:softmax",
            "categorical_crossentropy",
            "adam",
            0.001);

    /** The batch size of every preset, the notes' 128. */
    public static final int BATCH_SIZE = 128;

    private final String id;
    private final String network;
    private final String loss;
    private final String optimizer;
    private final double learningRate;

    Preset(String id, String network, String loss, String optimizer, double learningRate) {
        this.id = id;
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.learningRate = learningRate;
    }

    public String id() {
        return id;
    }

    public NetworkSpec network() {
        return NetworkSpec.parse(network);
    }

    public String loss() {
        return loss;
    }

    public String optimizer() {
        return optimizer;
    }

    public double learningRate() {
        return learningRate;
    }

    /** A new optimizer of the preset's kind and learning rate, constant. */
    public Optimizer newOptimizer() {
        return optimizer.equals("sgd") ? new SGD(learningRate) : new Adam(learningRate);
    }

    /** Whether {@code text} names a preset (a spec has digits and dashes, a preset letters). */
    public static boolean isPreset(String text) {
        return Arrays.stream(values()).anyMatch(p -> p.id.equals(text.strip().toLowerCase(Locale.ROOT)));
    }

    /** The preset called {@code id}. */
    public static Preset of(String id) {
        for (Preset p : values()) {
            if (p.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new UsageException("unknown preset '" + id + "'; expected one of " + names()
                + " or a network spec like 784-512:tanh-10:softmax");
    }

    /** "mlp-sgd, mlp-adam, deep-mlp, lenet, cnn". */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Preset::id).toList());
    }

    @Override
    public String toString() {
        return id + " (" + network + ", " + loss + ", " + optimizer + " " + learningRate + ")";
    }
}
