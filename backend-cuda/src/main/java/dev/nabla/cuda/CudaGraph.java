package dev.nabla.cuda;

import static dev.nabla.cuda.CudaCallException.check;

import dev.nabla.backend.BufferPool;
import dev.nabla.backend.StepGraph;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.JCudaDriver;

/**
 * A training step captured from {@link CudaBackend}'s stream ({@link CudaBackend#capture}): the
 * instantiated CUDA graph, its private memory pool (every buffer allocated during capture, which
 * stays the graph's until {@link #close()}), and the buffers from before the capture that were
 * released during it (the graph may read them, so they return to the backend's cache only at close).
 *
 * <p><b>Not yet run on a GPU</b> (docs/cuda.md, "Graph capture").
 */
final class CudaGraph implements StepGraph {
    private final CudaBackend backend;
    /** The private pool: buffers allocated during capture come from it and go back to it. */
    final BufferPool<CUdeviceptr> pool;
    /** Buffers of the backend's own cache released during capture, held until close. */
    final List<CudaBuffer> held = new ArrayList<>();
    /** Pinned host copies of the constants written during capture (the graph's memcpy nodes read them). */
    final List<Pointer> pinned = new ArrayList<>();

    private CUgraphExec exec;
    private boolean closed;

    CudaGraph(CudaBackend backend) {
        this.backend = backend;
        this.pool = new BufferPool<>(new DeviceMemory(backend));
    }

    /** Instantiates the captured graph (then destroys the template, which the executable does not need). */
    void instantiate(CUgraph graph) {
        CUgraphExec instance = new CUgraphExec();
        try {
            check(JCudaDriver.cuGraphInstantiate(instance, graph, 0), "cuGraphInstantiate");
        } finally {
            JCudaDriver.cuGraphDestroy(graph);
        }
        exec = instance;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void replay() {
        if (closed) {
            throw new IllegalStateException("replay of a closed CUDA graph");
        }
        backend.launch(this, exec);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        backend.closeGraph(this, exec);
        exec = null;
    }
}
