package dev.nabla.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine: records nodes as ops run and walks them backwards. The walk uses an
 * explicit stack, so a graph of any depth cannot overflow the Java stack.
 */
final class Autograd {
    private Autograd() {}

    /** Whether an op on these inputs must record a node. */
    static boolean needed(Tensor... inputs) {
        if (!NoGrad.isRecording()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.tracksGrad()) {
                return true;
            }
        }
        return false;
    }

    static Tensor record(Tensor out, String op, Tensor[] inputs, Node.Backward backward) {
        out.gradFn = new Node(op, inputs, backward);
        return out;
    }

    static void backward(Tensor root, Tensor seed) {
        Checks.open(root, "backward");
        if (!root.tracksGrad()) {
            throw new IllegalStateException("backward: the tensor " + root.describe()
                    + " does not depend on any tensor that requires gradients; expected a result of operations on "
                    + "tensors marked with requiresGrad(true)");
        }
        Tensor first;
        if (seed == null) {
            if (root.size() != 1) {
                throw new IllegalArgumentException(
                        "backward() without a gradient needs a one-element tensor; this one has shape "
                                + Shapes.str(root.view.shape())
                                + " — pass a gradient of that shape, or reduce it first (e.g. mean())");
            }
            first = Tensor.on(root.backend()).full(root.dtype(), 1.0, root.view.shape());
        } else {
            Checks.compatible("backward", root, seed);
            if (!java.util.Arrays.equals(seed.view.shape(), root.view.shape())) {
                throw new IllegalArgumentException("backward: gradient of shape " + Shapes.str(seed.view.shape())
                        + " does not match the tensor's shape " + Shapes.str(root.view.shape()));
            }
            first = seed.alias(seed.view);
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, first);
        try (NoGrad off = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                Node node = t.gradFn;
                if (node == null) {
                    if (t.requiresGrad()) {
                        accumulate(t, g);
                    } else {
                        g.close();
                    }
                    continue;
                }
                if (node.backward == null) {
                    g.close();
                    throw new IllegalStateException("backward: the graph through " + node.op
                            + " was already used by an earlier backward pass and freed; run the forward pass again");
                }
                Tensor[] inputGrads = NanCheck.duringBackwardOf(node.op, node.backward, g);
                Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                seen.add(g);
                for (int k = 0; k < node.inputs.length; k++) {
                    Tensor input = node.inputs[k];
                    Tensor gi = inputGrads[k];
                    if (gi == null) {
                        continue;
                    }
                    if (!seen.add(gi)) {
                        gi = gi.alias(gi.view); // the same tensor handed to two inputs: give each its own handle
                    }
                    if (input == null || !input.tracksGrad()) {
                        gi.close();
                        continue;
                    }
                    Tensor previous = grads.get(input);
                    if (previous == null) {
                        grads.put(input, gi);
                    } else {
                        grads.put(input, previous.add(gi));
                        previous.close();
                        gi.close();
                    }
                }
                boolean handedOn = false;
                for (Tensor gi : inputGrads) {
                    handedOn |= gi == g;
                }
                if (!handedOn) {
                    g.close();
                }
                node.free();
            }
        }
    }

    /** Adds g into leaf.grad, taking ownership of g. */
    private static void accumulate(Tensor leaf, Tensor g) {
        Tensor current = leaf.grad();
        if (current == null) {
            Tensor owned;
            if (g.isContiguous() && g.view.offset() == 0 && g.storage.references() == 1) {
                owned = g;
            } else {
                owned = ShapeOps.copy(g);
                g.close();
            }
            TensorScope.untrack(owned);
            leaf.setGrad(owned);
        } else {
            leaf.backend().binary(dev.nabla.backend.BinaryOp.ADD, current.view, g.view, current.view, 0);
            NanCheck.check("gradient accumulation", current, g);
            g.close();
        }
    }

    /** Tensors reachable from root through recorded nodes, each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn == null || t.gradFn.inputs == null ? new Tensor[0] : t.gradFn.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor input = inputs[next];
                if (input != null && input.tracksGrad() && visited.add(input)) {
                    stack.push(new Object[] {input, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
