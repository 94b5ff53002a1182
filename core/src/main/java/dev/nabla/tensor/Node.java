package dev.nabla.tensor;

/**
 * One recorded operation of the autograd graph: the inputs it read and how to turn the gradient
 * of its output into gradients of those inputs (written with the tensor API, so it runs on any
 * backend).
 */
final class Node {
    /** Gradients of the inputs (null where an input needs none) from the output's gradient. */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final String op;
    Tensor[] inputs;
    Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    void free() {
        inputs = null;
        backward = null;
    }
}
