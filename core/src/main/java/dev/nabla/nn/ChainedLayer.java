package dev.nabla.nn;

/**
 * A layer whose setters return the layer's own type, so that they chain after the constructor as
 * Keras' keyword arguments do:
 *
 * <pre>{@code
 * Conv2D conv = new Conv2D(32, 3).padding("same").name("conv1").inputShape(28, 28, 1);
 * }</pre>
 *
 * @param <L> the concrete layer
 */
public abstract sealed class ChainedLayer<L extends ChainedLayer<L>> extends Layer
        permits Window2DLayer, GlobalPooling2D {
    ChainedLayer() {}

    @SuppressWarnings("unchecked")
    final L self() {
        return (L) this;
    }

    @Override
    public L inputShape(int... shape) {
        super.inputShape(shape);
        return self();
    }

    @Override
    public L name(String value) {
        super.name(value);
        return self();
    }
}
