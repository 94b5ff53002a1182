package dev.nabla.nn;

import dev.nabla.tensor.Tensor;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A reduction over the height and width of images [batch, height, width, channels], per channel:
 * [n, h, w, c] → [n, c], or [n, 1, 1, c] with {@code keepdims(true)} (default false, as Keras).
 * Shared by {@link GlobalMaxPooling2D} and {@link GlobalAveragePooling2D}, which differ only in the
 * reduction.
 *
 * @param <L> the concrete layer, so that the setters chain
 */
public abstract sealed class GlobalPooling2D<L extends GlobalPooling2D<L>> extends ChainedLayer<L>
        permits GlobalMaxPooling2D, GlobalAveragePooling2D {
    private static final int[] HEIGHT_AND_WIDTH = {1, 2};
    private boolean keepdims;

    GlobalPooling2D() {}

    /** The reduction over {@code axes}. */
    abstract Tensor pool(Tensor input, int[] axes, boolean keepdims);

    /** Whether to keep the pooled axes with extent 1: [n, 1, 1, c] (default false: [n, c]). */
    public L keepdims(boolean value) {
        requireUnbuilt("keepdims");
        this.keepdims = value;
        return self();
    }

    public boolean keepdims() {
        return keepdims;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Windows.requireImage(this, inputShape);
        return keepdims ? new int[] {1, 1, inputShape[2]} : new int[] {inputShape[2]};
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return pool(input, HEIGHT_AND_WIDTH.clone(), keepdims);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = super.config();
        config.put("data_format", "channels_last");
        config.put("keepdims", keepdims);
        return config;
    }

    /** The layer of a saved config, made by {@code create}. */
    static <L extends GlobalPooling2D<L>> L fromConfig(String type, Map<String, Object> config, Supplier<L> create) {
        Windows.requireChannelsLast(type, config.get("data_format"));
        L layer = create.get();
        layer.applyBaseConfig(config);
        if (config.get("keepdims") instanceof Boolean k) {
            layer.keepdims(k);
        }
        return layer;
    }
}
