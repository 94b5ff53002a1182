// Shared by every Nabla CUDA kernel: the layout of strided views passed from Java, the grid-stride
// helpers, and the op codes of dev.nabla.backend.UnaryOp / BinaryOp / ReduceOp / RandomKind.
//
// Parameter layout (mirrored by dev.nabla.cuda.KernelParams on the Java side, checked by
// dev.nabla.cuda.PtxEntriesTest against the PTX):
//   NbShape   : 36 bytes, 4-aligned: int rank; int dims[8]            (Java: int[9])
//   NbStrides : 64 bytes, 8-aligned: long long s[8], in elements      (Java: long[8])
// Axes beyond rank are ignored. Java collapses axes first, so rank is usually 1 to 3.
#pragma once

#define NB_MAX_RANK 8

struct NbShape {
    int rank;
    int dims[NB_MAX_RANK];
};

struct NbStrides {
    long long s[NB_MAX_RANK];
};

// ---------------------------------------------------------------- op codes
// NB_UNARY_<NAME>, NB_BINARY_<NAME>, NB_REDUCE_<NAME>, NB_RANDOM_<NAME>: generated from core's
// dev.nabla.backend.OpCodes by backend-cuda's OpCodesHeaderTest; never edit them by hand.
#include "nabla_opcodes.cuh"

// ---------------------------------------------------------------- indexing

// Element offsets of linear index i (row-major over shape) in up to four operands.
template <typename I>
__device__ __forceinline__ void nb_locate(I i, const NbShape& shape, const NbStrides& s0, const NbStrides& s1,
        const NbStrides& s2, const NbStrides& s3, long long& o0, long long& o1, long long& o2, long long& o3) {
    o0 = 0;
    o1 = 0;
    o2 = 0;
    o3 = 0;
    if (shape.rank == 1) { // the common case after Java collapsed the axes: no division
        long long ii = (long long) i;
        o0 = ii * s0.s[0];
        o1 = ii * s1.s[0];
        o2 = ii * s2.s[0];
        o3 = ii * s3.s[0];
        return;
    }
#pragma unroll
    for (int d = NB_MAX_RANK - 1; d >= 0; --d) {
        if (d < shape.rank) {
            I extent = (I) shape.dims[d];
            I c = i % extent;
            i /= extent;
            long long cc = (long long) c;
            o0 += cc * s0.s[d];
            o1 += cc * s1.s[d];
            o2 += cc * s2.s[d];
            o3 += cc * s3.s[d];
        }
    }
}

__device__ __forceinline__ long long nb_global_thread() {
    return (long long) blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ long long nb_grid_threads() {
    return (long long) gridDim.x * blockDim.x;
}

// ---------------------------------------------------------------- Java's Math.max / Math.min (NaN wins, +0 > -0)

template <typename T>
__device__ __forceinline__ T nb_jmax(T x, T y) {
    if (x != x) return x;
    if (y != y) return y;
    if (x == y) return signbit(x) ? y : x;
    return x > y ? x : y;
}

template <typename T>
__device__ __forceinline__ T nb_jmin(T x, T y) {
    if (x != x) return x;
    if (y != y) return y;
    if (x == y) return signbit(x) ? x : y;
    return x < y ? x : y;
}

template <>
__device__ __forceinline__ int nb_jmax<int>(int x, int y) {
    return x > y ? x : y;
}

template <>
__device__ __forceinline__ int nb_jmin<int>(int x, int y) {
    return x < y ? x : y;
}

// ---------------------------------------------------------------- extreme values (MAX of nothing is -inf)

template <typename T>
__device__ __forceinline__ T nb_lowest();
template <>
__device__ __forceinline__ float nb_lowest<float>() { return -__int_as_float(0x7f800000); }
template <>
__device__ __forceinline__ double nb_lowest<double>() { return -__longlong_as_double(0x7ff0000000000000ll); }
template <>
__device__ __forceinline__ int nb_lowest<int>() { return (int) 0x80000000; }

template <typename T>
__device__ __forceinline__ T nb_highest();
template <>
__device__ __forceinline__ float nb_highest<float>() { return __int_as_float(0x7f800000); }
template <>
__device__ __forceinline__ double nb_highest<double>() { return __longlong_as_double(0x7ff0000000000000ll); }
template <>
__device__ __forceinline__ int nb_highest<int>() { return 0x7fffffff; }

// ---------------------------------------------------------------- math in the element type

__device__ __forceinline__ float nb_exp(float x) { return expf(x); }
__device__ __forceinline__ double nb_exp(double x) { return exp(x); }
__device__ __forceinline__ float nb_log(float x) { return logf(x); }
__device__ __forceinline__ double nb_log(double x) { return log(x); }
__device__ __forceinline__ float nb_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double nb_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float nb_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double nb_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float nb_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double nb_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float nb_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double nb_abs(double x) { return fabs(x); }
__device__ __forceinline__ float nb_pow(float x, float y) { return y == 2.0f ? x * x : powf(x, y); }
__device__ __forceinline__ double nb_pow(double x, double y) { return y == 2.0 ? x * x : pow(x, y); }

// ---------------------------------------------------------------- UnaryOp.apply

// The reference is UnaryOp.apply in dev.nabla.backend; this must agree with it (within the
// conformance tolerances; comparisons, steps and ReLU exactly).
template <typename T>
__device__ __forceinline__ T nb_unary(int op, T x, T a, T b) {
    const T one = (T) 1;
    const T zero = (T) 0;
    switch (op) {
        case NB_UNARY_NEG: return -x;
        case NB_UNARY_EXP: return nb_exp(x);
        case NB_UNARY_LOG: return nb_log(x);
        case NB_UNARY_ABS: return nb_abs(x);
        case NB_UNARY_SQRT: return nb_sqrt(x);
        case NB_UNARY_SQUARE: return x * x;
        case NB_UNARY_RECIPROCAL: return one / x;
        case NB_UNARY_SIGN: return x > zero ? one : (x < zero ? -one : x); // keeps ±0 and NaN, like Math.signum
        case NB_UNARY_ADD_SCALAR: return x + a;
        case NB_UNARY_MUL_SCALAR: return x * a;
        case NB_UNARY_RSUB_SCALAR: return a - x;
        case NB_UNARY_RDIV_SCALAR: return a / x;
        case NB_UNARY_POW_SCALAR: return nb_pow(x, a);
        case NB_UNARY_MAX_SCALAR: return nb_jmax(x, a);
        case NB_UNARY_MIN_SCALAR: return nb_jmin(x, a);
        case NB_UNARY_CLIP: return nb_jmin(nb_jmax(x, a), b);
        case NB_UNARY_GT_SCALAR: return x > a ? one : zero;
        case NB_UNARY_GE_SCALAR: return x >= a ? one : zero;
        case NB_UNARY_LT_SCALAR: return x < a ? one : zero;
        case NB_UNARY_LE_SCALAR: return x <= a ? one : zero;
        case NB_UNARY_EQ_SCALAR: return x == a ? one : zero;
        case NB_UNARY_STEP: return x > zero ? one : zero;
        case NB_UNARY_BIPOLAR_STEP: return x > zero ? one : -one;
        case NB_UNARY_RELU: return x > zero ? x : zero;
        case NB_UNARY_LEAKY_RELU: return x > zero ? x : a * x;
        case NB_UNARY_SIGMOID: return one / (one + nb_exp(-a * x));
        case NB_UNARY_TANH: return nb_tanh(x);
        case NB_UNARY_SOFTPLUS: {
            T ax = a * x;
            return (nb_jmax(ax, zero) + nb_log1p(nb_exp(-nb_abs(ax)))) / a;
        }
        case NB_UNARY_SWISH: return x / (one + nb_exp(-a * x));
        default: return x; // NB_UNARY_IDENTITY
    }
}

// ---------------------------------------------------------------- BinaryOp.apply

template <typename T>
__device__ __forceinline__ T nb_binary(int op, T x, T y, T a) {
    const T one = (T) 1;
    const T zero = (T) 0;
    switch (op) {
        case NB_BINARY_ADD: return x + y;
        case NB_BINARY_SUB: return x - y;
        case NB_BINARY_MUL: return x * y;
        case NB_BINARY_DIV: return x / y;
        case NB_BINARY_POW: return nb_pow(x, y);
        case NB_BINARY_MAXIMUM: return nb_jmax(x, y);
        case NB_BINARY_MINIMUM: return nb_jmin(x, y);
        case NB_BINARY_EQ: return x == y ? one : zero;
        case NB_BINARY_NE: return x != y ? one : zero;
        case NB_BINARY_LT: return x < y ? one : zero;
        case NB_BINARY_LE: return x <= y ? one : zero;
        case NB_BINARY_GT: return x > y ? one : zero;
        case NB_BINARY_GE: return x >= y ? one : zero;
        case NB_BINARY_RELU_BACKWARD: return x > zero ? y : zero;
        case NB_BINARY_LEAKY_RELU_BACKWARD: return x > zero ? y : a * y;
        case NB_BINARY_SIGMOID_BACKWARD: return a * y * x * (one - x);
        case NB_BINARY_TANH_BACKWARD: return y * (one - x * x);
        default: return zero;
    }
}

// INT32 operands (comparisons are what core needs; arithmetic is integer arithmetic, x / 0 = 0).
template <>
__device__ __forceinline__ int nb_binary<int>(int op, int x, int y, int a) {
    switch (op) {
        case NB_BINARY_ADD: return x + y;
        case NB_BINARY_SUB: return x - y;
        case NB_BINARY_MUL: return x * y;
        case NB_BINARY_DIV: return y == 0 ? 0 : x / y;
        case NB_BINARY_POW: return (int) pow((double) x, (double) y);
        case NB_BINARY_MAXIMUM: return x > y ? x : y;
        case NB_BINARY_MINIMUM: return x < y ? x : y;
        case NB_BINARY_EQ: return x == y;
        case NB_BINARY_NE: return x != y;
        case NB_BINARY_LT: return x < y;
        case NB_BINARY_LE: return x <= y;
        case NB_BINARY_GT: return x > y;
        case NB_BINARY_GE: return x >= y;
        case NB_BINARY_RELU_BACKWARD: return x > 0 ? y : 0;
        case NB_BINARY_LEAKY_RELU_BACKWARD: return x > 0 ? y : a * y;
        case NB_BINARY_SIGMOID_BACKWARD: return a * y * x * (1 - x);
        case NB_BINARY_TANH_BACKWARD: return y * (1 - x * x);
        default: return 0;
    }
}

// ---------------------------------------------------------------- warp and block reductions

template <typename T>
__device__ __forceinline__ T nb_warp_sum(T v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    }
    return v;
}

template <typename T>
__device__ __forceinline__ T nb_warp_max(T v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = nb_jmax(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// ---------------------------------------------------------------- 16-byte packs for the contiguous fast paths

// K = 16 / sizeof(T) elements loaded and stored as one 128-bit access.
template <typename T>
struct alignas(16) NbPack {
    static const int K = 16 / sizeof(T);
    T v[16 / sizeof(T)];
};

__device__ __forceinline__ bool nb_aligned16(const void* p) {
    return (reinterpret_cast<unsigned long long>(p) & 15ull) == 0;
}
