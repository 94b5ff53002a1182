package dev.nabla.backend;

/**
 * The recorded work of one training step, from {@link Backend#capture}: {@link #replay()} runs it
 * again on the very buffers it was recorded on. {@link #close()} frees the graph and the buffers
 * of its private pool; closing twice does nothing.
 */
public interface StepGraph extends AutoCloseable {

    /**
     * Runs the recorded work once more, in the backend's order of work (asynchronous like any
     * compute call). Inputs that change between steps reach the graph through the buffers it
     * reads: the caller copies the next batch into them, and writes per-step scalars (a learning
     * rate) into their device tensors, before calling this.
     */
    void replay();

    @Override
    void close();
}
