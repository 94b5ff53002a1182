// Fused neural-network kernels over contiguous row-major matrices [rows, cols]:
// softmax / log-softmax, softmax cross-entropy and its backward, one-hot, bias + activation.
//
// Row kernels come in two shapes: *_warp_* (one warp per row, 8 rows per 256-thread block; for
// cols <= 1024) and *_block_* (one block per row; for wide rows). Both are numerically stable:
// they subtract the row max and form x - lse as (x - max) - log Σ exp(x - max).
#include "nabla_common.cuh"

// ---------------------------------------------------------------- group reductions (a warp or the whole block)

template <typename T, bool BLOCK>
__device__ __forceinline__ T nb_group_max(T v) {
    v = nb_warp_max(v);
    if (BLOCK) {
        __shared__ T shared[32];
        int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
        __syncthreads();
        if (lane == 0) shared[warp] = v;
        __syncthreads();
        v = shared[0];
        for (int w = 1; w < warps; ++w) v = nb_jmax(v, shared[w]);
    }
    return v;
}

template <typename T, bool BLOCK>
__device__ __forceinline__ T nb_group_sum(T v) {
    v = nb_warp_sum(v);
    if (BLOCK) {
        __shared__ T shared[32];
        int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
        __syncthreads();
        if (lane == 0) shared[warp] = v;
        __syncthreads();
        v = shared[0];
        for (int w = 1; w < warps; ++w) v += shared[w];
    }
    return v;
}

// The rows handled by this group: BLOCK, one per block; else one per warp.
template <bool BLOCK>
__device__ __forceinline__ long long nb_first_row() {
    return BLOCK ? (long long) blockIdx.x : (long long) blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
}

template <bool BLOCK>
__device__ __forceinline__ long long nb_row_step() {
    return BLOCK ? (long long) gridDim.x : (long long) gridDim.x * (blockDim.x >> 5);
}

template <bool BLOCK>
__device__ __forceinline__ int nb_group_lane() {
    return BLOCK ? (int) threadIdx.x : (int) (threadIdx.x & 31);
}

template <bool BLOCK>
__device__ __forceinline__ int nb_group_size() {
    return BLOCK ? (int) blockDim.x : 32;
}

// The row's max m and log Σ exp(row - m). Callers form x - lse as (x - m) - logSum: x - m is exact
// for the large entries, so large logits keep their precision (x - (m + logSum) would round
// m + logSum to the magnitude of m first). An infinite max passes through with logSum 0, as the
// CPU reference takes lse = max then.
template <typename T>
struct NbRowLse {
    T max;
    T logSum;
};

template <typename T, bool BLOCK>
__device__ __forceinline__ NbRowLse<T> nb_row_lse(const T* row, int cols) {
    const int lane = nb_group_lane<BLOCK>(), size = nb_group_size<BLOCK>();
    NbRowLse<T> r;
    T m = nb_lowest<T>();
    for (int c = lane; c < cols; c += size) m = nb_jmax(m, row[c]);
    m = nb_group_max<T, BLOCK>(m);
    r.max = m;
    r.logSum = (T) 0;
    if (isinf(m)) return r;
    T s = (T) 0;
    for (int c = lane; c < cols; c += size) s += nb_exp(row[c] - m);
    s = nb_group_sum<T, BLOCK>(s);
    r.logSum = nb_log(s);
    return r;
}

// ---------------------------------------------------------------- softmax / log-softmax

// The loop over rows is uniform per group (warp or block), so the group syncs inside are safe.
template <typename T, bool BLOCK>
__device__ void nb_softmax(const T* x, T* out, long long rows, int cols, int log) {
    const int lane = nb_group_lane<BLOCK>(), size = nb_group_size<BLOCK>();
    for (long long r = nb_first_row<BLOCK>(); r < rows; r += nb_row_step<BLOCK>()) {
        const T* row = x + r * cols;
        T* o = out + r * cols;
        NbRowLse<T> lse = nb_row_lse<T, BLOCK>(row, cols);
        for (int c = lane; c < cols; c += size) {
            T v = (row[c] - lse.max) - lse.logSum;
            o[c] = log ? v : nb_exp(v);
        }
    }
}

// ---------------------------------------------------------------- softmax cross-entropy

// loss[r] = -Σ_c t[r,c]·(x[r,c] - lse_r) over the c with t ≠ 0; probs = exp(x - lse).
template <typename T, bool BLOCK>
__device__ void nb_softmax_cross_entropy(const T* logits, const T* targets, T* loss, T* probs, long long rows,
        int cols) {
    const int lane = nb_group_lane<BLOCK>(), size = nb_group_size<BLOCK>();
    for (long long r = nb_first_row<BLOCK>(); r < rows; r += nb_row_step<BLOCK>()) {
        const T* row = logits + r * cols;
        const T* t = targets + r * cols;
        T* p = probs + r * cols;
        NbRowLse<T> lse = nb_row_lse<T, BLOCK>(row, cols);
        T l = (T) 0;
        for (int c = lane; c < cols; c += size) {
            T logP = (row[c] - lse.max) - lse.logSum;
            T tc = t[c];
            if (tc != (T) 0) l -= tc * logP;
            p[c] = nb_exp(logP);
        }
        l = nb_group_sum<T, BLOCK>(l);
        if (lane == 0) loss[r] = l;
    }
}

#define NB_ROWS(SUFFIX, T) \
    extern "C" __global__ void nabla_softmax_warp_##SUFFIX(const T* x, T* out, long long rows, int cols, int log) { \
        nb_softmax<T, false>(x, out, rows, cols, log); \
    } \
    extern "C" __global__ void nabla_softmax_block_##SUFFIX(const T* x, T* out, long long rows, int cols, int log) { \
        nb_softmax<T, true>(x, out, rows, cols, log); \
    } \
    extern "C" __global__ void nabla_softmax_xent_warp_##SUFFIX(const T* logits, const T* targets, T* loss, \
            T* probs, long long rows, int cols) { \
        nb_softmax_cross_entropy<T, false>(logits, targets, loss, probs, rows, cols); \
    } \
    extern "C" __global__ void nabla_softmax_xent_block_##SUFFIX(const T* logits, const T* targets, T* loss, \
            T* probs, long long rows, int cols) { \
        nb_softmax_cross_entropy<T, true>(logits, targets, loss, probs, rows, cols); \
    }

// ---------------------------------------------------------------- elementwise row kernels

// out[r, c] = (probs[r, c] - targets[r, c]) · gradLoss[r]
template <typename T>
__device__ void nb_softmax_xent_backward(const T* probs, const T* targets, const T* gradLoss, T* out, long long n,
        int cols) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long r = n <= 0xffffffffll ? (long long) ((unsigned int) i / (unsigned int) cols) : i / cols;
        out[i] = (probs[i] - targets[i]) * gradLoss[r];
    }
}

// out[k, :] = source[rows[k], :] for the n = count * rowLength elements of out
template <typename T>
__device__ void nb_gather_rows(const T* source, const int* rows, T* out, long long n, int rowLength) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long k = i / rowLength;
        long long c = i - k * rowLength;
        out[i] = source[(long long) rows[k] * rowLength + c];
    }
}

// out[i, j] = indices[i] == j ? 1 : 0
template <typename T>
__device__ void nb_one_hot(const int* indices, T* out, long long n, int classes) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long r, c;
        if (n <= 0xffffffffll) {
            unsigned int ui = (unsigned int) i;
            r = ui / (unsigned int) classes;
            c = ui - (unsigned int) r * (unsigned int) classes;
        } else {
            r = i / classes;
            c = i - r * classes;
        }
        out[i] = indices[r] == c ? (T) 1 : (T) 0;
    }
}

// out[r, c] = act(x[r, c] + bias[c]; a)
template <typename T, int ACT>
__device__ __forceinline__ void nb_bias_activation_loop(const T* x, const T* bias, T* out, long long n, int cols,
        T a) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long c = n <= 0xffffffffll ? (long long) ((unsigned int) i % (unsigned int) cols) : i % cols;
        out[i] = nb_unary<T>(ACT, x[i] + bias[c], a, (T) 0);
    }
}

template <typename T>
__device__ void nb_bias_activation(const T* x, const T* bias, T* out, long long n, int cols, int act, double a) {
    const T ta = (T) a;
    switch (act) {
        case NB_UNARY_RELU: nb_bias_activation_loop<T, NB_UNARY_RELU>(x, bias, out, n, cols, ta); break;
        case NB_UNARY_LEAKY_RELU: nb_bias_activation_loop<T, NB_UNARY_LEAKY_RELU>(x, bias, out, n, cols, ta); break;
        case NB_UNARY_SIGMOID: nb_bias_activation_loop<T, NB_UNARY_SIGMOID>(x, bias, out, n, cols, ta); break;
        case NB_UNARY_TANH: nb_bias_activation_loop<T, NB_UNARY_TANH>(x, bias, out, n, cols, ta); break;
        case NB_UNARY_SOFTPLUS: nb_bias_activation_loop<T, NB_UNARY_SOFTPLUS>(x, bias, out, n, cols, ta); break;
        case NB_UNARY_SWISH: nb_bias_activation_loop<T, NB_UNARY_SWISH>(x, bias, out, n, cols, ta); break;
        default: nb_bias_activation_loop<T, NB_UNARY_IDENTITY>(x, bias, out, n, cols, ta); break;
    }
}

#define NB_ELEMENTWISE_ROWS(SUFFIX, T) \
    extern "C" __global__ void nabla_softmax_xent_backward_##SUFFIX(const T* probs, const T* targets, \
            const T* gradLoss, T* out, long long n, int cols) { \
        nb_softmax_xent_backward<T>(probs, targets, gradLoss, out, n, cols); \
    } \
    extern "C" __global__ void nabla_gather_rows_##SUFFIX(const T* source, const int* rows, T* out, long long n, \
            int rowLength) { \
        nb_gather_rows<T>(source, rows, out, n, rowLength); \
    } \
    extern "C" __global__ void nabla_one_hot_##SUFFIX(const int* indices, T* out, long long n, int classes) { \
        nb_one_hot<T>(indices, out, n, classes); \
    } \
    extern "C" __global__ void nabla_bias_activation_##SUFFIX(const T* x, const T* bias, T* out, long long n, \
            int cols, int act, double a) { \
        nb_bias_activation<T>(x, bias, out, n, cols, act, a); \
    }

NB_ROWS(f32, float)
NB_ROWS(f64, double)
NB_ELEMENTWISE_ROWS(f32, float)
NB_ELEMENTWISE_ROWS(f64, double)
