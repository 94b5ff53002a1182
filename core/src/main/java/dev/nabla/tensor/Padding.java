package dev.nabla.tensor;

/**
 * How {@link Tensor#conv2d}, {@link Tensor#maxPool2d} and {@link Tensor#avgPool2d} treat the borders, as in
 * Keras and TensorFlow.
 *
 * <ul>
 *   <li>{@link #VALID}: no padding; only windows that lie wholly inside the input, so an axis of extent
 *       {@code in} gives {@code floor((in − effective) / stride) + 1} outputs, with {@code effective =
 *       (k − 1)·dilation + 1}.
 *   <li>{@link #SAME}: {@code out = ceil(in / stride)}; the input is padded by {@code total = max((out − 1)·stride
 *       + effective − in, 0)} cells, {@code total / 2} (rounded down) before and the rest after.
 * </ul>
 */
public enum Padding {
    VALID,
    SAME
}
