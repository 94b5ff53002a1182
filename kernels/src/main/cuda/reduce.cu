// Reductions over the trailing axes of a strided view (dev.nabla.backend.Backend#reduce).
//
// The view is split into outer axes (one output each, outputs contiguous) and inner axes (reduced),
// each with its own NbShape / NbStrides. Three kernels:
//   nabla_reduce_rows_*   : a block per output, its threads striding over the inner elements
//                           (inner axis contiguous, or few outputs). With gridDim.y > 1 each block
//                           reduces one chunk of the inner range and writes a partial result, and
//                           nabla_reduce_finish_* combines the partials (few outputs, many elements).
//   nabla_reduce_cols_*   : blockDim (32, 8); 32 neighbouring outputs per block, 8 threads per output
//                           striding over the inner elements (e.g. column sums of a row-major matrix).
// Semantics as the CPU reference: SUM of nothing is 0, MAX -inf, MIN +inf; NaN wins MAX/MIN and
// ARGMAX/ARGMIN (the first NaN); on ties the first index wins. ARG* write INT32 indices into the
// row-major flattening of the inner axes.
#include "nabla_common.cuh"

#define NB_NO_INDEX 0x7fffffffffffffffll

template <typename T>
struct NbAcc {
    T v;
    long long i;
};

template <typename T>
__device__ __forceinline__ bool nb_isnan(T v) { return v != v; }

template <typename T>
__device__ __forceinline__ NbAcc<T> nb_acc_init(int op) {
    NbAcc<T> a;
    a.i = NB_NO_INDEX;
    if (op == NB_REDUCE_SUM) {
        a.v = (T) 0;
    } else if (op == NB_REDUCE_MAX || op == NB_REDUCE_ARGMAX) {
        a.v = nb_lowest<T>();
    } else {
        a.v = nb_highest<T>();
    }
    return a;
}

// Whether b replaces a: NaN first, then the larger (MAX) / smaller (MIN) value, then the lower index.
template <typename T>
__device__ __forceinline__ bool nb_better(bool max, const NbAcc<T>& b, const NbAcc<T>& a) {
    bool bn = nb_isnan(b.v), an = nb_isnan(a.v);
    if (bn || an) {
        return bn && (!an || b.i < a.i);
    }
    if (b.v == a.v) {
        return b.i < a.i;
    }
    return max ? b.v > a.v : b.v < a.v;
}

template <typename T>
__device__ __forceinline__ NbAcc<T> nb_combine(int op, NbAcc<T> a, NbAcc<T> b) {
    if (op == NB_REDUCE_SUM) {
        a.v += b.v;
        return a;
    }
    bool max = op == NB_REDUCE_MAX || op == NB_REDUCE_ARGMAX;
    return nb_better(max, b, a) ? b : a;
}

template <typename T>
__device__ __forceinline__ NbAcc<T> nb_warp_combine(int op, NbAcc<T> a) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        NbAcc<T> b;
        b.v = __shfl_xor_sync(0xffffffffu, a.v, offset);
        b.i = __shfl_xor_sync(0xffffffffu, a.i, offset);
        a = nb_combine(op, a, b);
    }
    return a;
}

// Combines one value per thread of the block; the result is valid in thread 0. blockDim.x is a
// multiple of 32, at most 1024.
template <typename T>
__device__ __forceinline__ NbAcc<T> nb_block_combine(int op, NbAcc<T> a) {
    __shared__ T values[32];
    __shared__ long long indices[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    a = nb_warp_combine(op, a);
    if (warps == 1) {
        return a;
    }
    __syncthreads(); // the shared arrays may still be read by a previous call
    if (lane == 0) {
        values[warp] = a.v;
        indices[warp] = a.i;
    }
    __syncthreads();
    if (warp == 0) {
        if (lane < warps) {
            a.v = values[lane];
            a.i = indices[lane];
        } else {
            a = nb_acc_init<T>(op);
        }
        a = nb_warp_combine(op, a);
    }
    return a;
}

template <typename T>
__device__ __forceinline__ void nb_store(int op, void* out, long long o, const NbAcc<T>& a) {
    if (op == NB_REDUCE_ARGMAX || op == NB_REDUCE_ARGMIN) {
        static_cast<int*>(out)[o] = a.i == NB_NO_INDEX ? 0 : (int) a.i;
    } else {
        static_cast<T*>(out)[o] = a.v;
    }
}

template <typename T>
__device__ __forceinline__ long long nb_offset_of(long long i, const NbShape& shape, const NbStrides& s) {
    long long o, u1, u2, u3;
    nb_locate<unsigned long long>(i, shape, s, s, s, s, o, u1, u2, u3);
    return o;
}

template <typename T>
__device__ void nb_reduce_rows(int op, const T* x, const NbShape& outerShape, const NbStrides& outerStrides,
        const NbShape& innerShape, const NbStrides& innerStrides, long long outerCount, long long innerCount,
        long long chunk, void* out, T* partialValues, long long* partialIndices) {
    const int splits = gridDim.y;
    const long long begin = (long long) blockIdx.y * chunk;
    long long end = begin + chunk;
    if (end > innerCount) {
        end = innerCount;
    }
    for (long long o = blockIdx.x; o < outerCount; o += gridDim.x) {
        const T* row = x + nb_offset_of<T>(o, outerShape, outerStrides);
        NbAcc<T> acc = nb_acc_init<T>(op);
        for (long long j = begin + threadIdx.x; j < end; j += blockDim.x) {
            NbAcc<T> e;
            e.v = row[nb_offset_of<T>(j, innerShape, innerStrides)];
            e.i = j;
            acc = nb_combine(op, acc, e);
        }
        acc = nb_block_combine(op, acc);
        if (threadIdx.x == 0) {
            if (splits == 1) {
                nb_store(op, out, o, acc);
            } else {
                partialValues[o * splits + blockIdx.y] = acc.v;
                partialIndices[o * splits + blockIdx.y] = acc.i;
            }
        }
    }
}

template <typename T>
__device__ void nb_reduce_finish(int op, const T* partialValues, const long long* partialIndices,
        long long outerCount, int splits, void* out) {
    for (long long o = blockIdx.x; o < outerCount; o += gridDim.x) {
        NbAcc<T> acc = nb_acc_init<T>(op);
        for (int s = threadIdx.x; s < splits; s += blockDim.x) {
            NbAcc<T> e;
            e.v = partialValues[o * splits + s];
            e.i = partialIndices[o * splits + s];
            acc = nb_combine(op, acc, e);
        }
        acc = nb_block_combine(op, acc);
        if (threadIdx.x == 0) {
            nb_store(op, out, o, acc);
        }
    }
}

template <typename T>
__device__ void nb_reduce_cols(int op, const T* x, const NbShape& outerShape, const NbStrides& outerStrides,
        const NbShape& innerShape, const NbStrides& innerStrides, long long outerCount, long long innerCount,
        void* out) {
    __shared__ T values[8][33];
    __shared__ long long indices[8][33];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const long long tiles = (outerCount + 31) / 32;
    for (long long tile = blockIdx.x; tile < tiles; tile += gridDim.x) {
        long long o = tile * 32 + tx;
        NbAcc<T> acc = nb_acc_init<T>(op);
        if (o < outerCount) {
            const T* row = x + nb_offset_of<T>(o, outerShape, outerStrides);
            for (long long j = ty; j < innerCount; j += 8) {
                NbAcc<T> e;
                e.v = row[nb_offset_of<T>(j, innerShape, innerStrides)];
                e.i = j;
                acc = nb_combine(op, acc, e);
            }
        }
        __syncthreads(); // the previous tile's results have been read
        values[ty][tx] = acc.v;
        indices[ty][tx] = acc.i;
        __syncthreads();
        if (ty == 0 && o < outerCount) {
#pragma unroll
            for (int k = 1; k < 8; ++k) {
                NbAcc<T> e;
                e.v = values[k][tx];
                e.i = indices[k][tx];
                acc = nb_combine(op, acc, e);
            }
            nb_store(op, out, o, acc);
        }
    }
}

#define NB_REDUCE(SUFFIX, T) \
    extern "C" __global__ void nabla_reduce_rows_##SUFFIX(int op, const T* x, NbShape outerShape, \
            NbStrides outerStrides, NbShape innerShape, NbStrides innerStrides, long long outerCount, \
            long long innerCount, long long chunk, void* out, T* partialValues, long long* partialIndices) { \
        nb_reduce_rows<T>(op, x, outerShape, outerStrides, innerShape, innerStrides, outerCount, innerCount, \
                chunk, out, partialValues, partialIndices); \
    } \
    extern "C" __global__ void nabla_reduce_finish_##SUFFIX(int op, const T* partialValues, \
            const long long* partialIndices, long long outerCount, int splits, void* out) { \
        nb_reduce_finish<T>(op, partialValues, partialIndices, outerCount, splits, out); \
    } \
    extern "C" __global__ void nabla_reduce_cols_##SUFFIX(int op, const T* x, NbShape outerShape, \
            NbStrides outerStrides, NbShape innerShape, NbStrides innerStrides, long long outerCount, \
            long long innerCount, void* out) { \
        nb_reduce_cols<T>(op, x, outerShape, outerStrides, innerShape, innerStrides, outerCount, innerCount, out); \
    }
NB_REDUCE(f32, float)
NB_REDUCE(f64, double)
NB_REDUCE(i32, int)
