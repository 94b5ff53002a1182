// Elementwise primitives of dev.nabla.backend.Backend: fill, copy (with a cast), unary, binary, where.
//
// Every primitive has a general kernel over strided / broadcast views (*_strided_*: NbShape plus
// one NbStrides per operand, offsets in elements) and, where it matters for training, a contiguous
// fast path (grid-stride loop over 16-byte packs when every pointer is 16-byte aligned).
// Pointers arrive already advanced by the view's offset. n is the element count (> 0).
#include "nabla_common.cuh"

// ---------------------------------------------------------------- fill

template <typename T>
__device__ void nb_fill_strided(T* out, const NbShape& shape, const NbStrides& so, long long n, double value) {
    const T v = (T) value;
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long o, u1, u2, u3;
        nb_locate<unsigned long long>(i, shape, so, so, so, so, o, u1, u2, u3);
        out[o] = v;
    }
}

#define NB_FILL(SUFFIX, T) \
    extern "C" __global__ void nabla_fill_strided_##SUFFIX(T* out, NbShape shape, NbStrides so, long long n, \
            double value) { \
        nb_fill_strided<T>(out, shape, so, n, value); \
    }
NB_FILL(f32, float)
NB_FILL(f64, double)
NB_FILL(i32, int)

// ---------------------------------------------------------------- copy with cast (float to int truncates, like Java)

template <typename S, typename D>
__device__ void nb_copy_strided(const S* x, const NbShape& shape, const NbStrides& sx, D* out, const NbStrides& so,
        long long n) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long ox, oo, u2, u3;
        if (n <= 0xffffffffll) {
            nb_locate<unsigned int>((unsigned int) i, shape, sx, so, so, so, ox, oo, u2, u3);
        } else {
            nb_locate<unsigned long long>(i, shape, sx, so, so, so, ox, oo, u2, u3);
        }
        out[oo] = (D) x[ox];
    }
}

#define NB_COPY(SS, S, DS, D) \
    extern "C" __global__ void nabla_copy_##SS##_##DS(const S* x, NbShape shape, NbStrides sx, D* out, \
            NbStrides so, long long n) { \
        nb_copy_strided<S, D>(x, shape, sx, out, so, n); \
    }
NB_COPY(f32, float, f32, float)
NB_COPY(f32, float, f64, double)
NB_COPY(f32, float, i32, int)
NB_COPY(f64, double, f32, float)
NB_COPY(f64, double, f64, double)
NB_COPY(f64, double, i32, int)
NB_COPY(i32, int, f32, float)
NB_COPY(i32, int, f64, double)
NB_COPY(i32, int, i32, int)

// ---------------------------------------------------------------- unary

template <typename T, int OP>
__device__ __forceinline__ void nb_unary_loop(const T* x, T* out, long long n, T a, T b) {
    long long start = nb_global_thread();
    long long step = nb_grid_threads();
    long long done = 0;
    if (nb_aligned16(x) && nb_aligned16(out)) {
        typedef NbPack<T> P;
        long long packs = n / P::K;
        const P* xp = reinterpret_cast<const P*>(x);
        P* op = reinterpret_cast<P*>(out);
        for (long long i = start; i < packs; i += step) {
            P p = xp[i];
#pragma unroll
            for (int k = 0; k < P::K; ++k) {
                p.v[k] = nb_unary<T>(OP, p.v[k], a, b);
            }
            op[i] = p;
        }
        done = packs * P::K;
    }
    for (long long i = done + start; i < n; i += step) {
        out[i] = nb_unary<T>(OP, x[i], a, b);
    }
}

// The contiguous fast path: a loop specialised (and vectorised for FLOAT32) for the ops a training
// step uses; every other op, and FLOAT64, run a plain loop that switches per element. Specialising
// all 29 ops for both types made the module several times larger and its JIT several seconds slower.
template <typename T>
__device__ __forceinline__ void nb_unary_generic_loop(int op, const T* x, T* out, long long n, T a, T b) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        out[i] = nb_unary<T>(op, x[i], a, b);
    }
}

__device__ void nb_unary_contiguous_f32(int op, const float* x, float* out, long long n, double a, double b) {
    const float ta = (float) a, tb = (float) b;
    switch (op) {
#define NB_UNARY_CASE(CODE) \
        case CODE: nb_unary_loop<float, CODE>(x, out, n, ta, tb); break;
        NB_UNARY_CASE(NB_UNARY_NEG) NB_UNARY_CASE(NB_UNARY_EXP) NB_UNARY_CASE(NB_UNARY_LOG)
        NB_UNARY_CASE(NB_UNARY_SQRT) NB_UNARY_CASE(NB_UNARY_SQUARE) NB_UNARY_CASE(NB_UNARY_RECIPROCAL)
        NB_UNARY_CASE(NB_UNARY_ADD_SCALAR) NB_UNARY_CASE(NB_UNARY_MUL_SCALAR) NB_UNARY_CASE(NB_UNARY_RSUB_SCALAR)
        NB_UNARY_CASE(NB_UNARY_RELU) NB_UNARY_CASE(NB_UNARY_LEAKY_RELU) NB_UNARY_CASE(NB_UNARY_SIGMOID)
        NB_UNARY_CASE(NB_UNARY_TANH)
#undef NB_UNARY_CASE
        default: nb_unary_generic_loop<float>(op, x, out, n, ta, tb); break;
    }
}

template <typename T>
__device__ void nb_unary_strided(int op, const T* x, const NbShape& shape, const NbStrides& sx, T* out,
        const NbStrides& so, long long n, double a, double b) {
    const T ta = (T) a, tb = (T) b;
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long ox, oo, u2, u3;
        if (n <= 0xffffffffll) {
            nb_locate<unsigned int>((unsigned int) i, shape, sx, so, so, so, ox, oo, u2, u3);
        } else {
            nb_locate<unsigned long long>(i, shape, sx, so, so, so, ox, oo, u2, u3);
        }
        out[oo] = nb_unary<T>(op, x[ox], ta, tb);
    }
}

extern "C" __global__ void nabla_unary_f32(int op, const float* x, float* out, long long n, double a, double b) {
    nb_unary_contiguous_f32(op, x, out, n, a, b);
}

extern "C" __global__ void nabla_unary_f64(int op, const double* x, double* out, long long n, double a, double b) {
    nb_unary_generic_loop<double>(op, x, out, n, a, b);
}

#define NB_UNARY(SUFFIX, T) \
    extern "C" __global__ void nabla_unary_strided_##SUFFIX(int op, const T* x, NbShape shape, NbStrides sx, \
            T* out, NbStrides so, long long n, double a, double b) { \
        nb_unary_strided<T>(op, x, shape, sx, out, so, n, a, b); \
    }
NB_UNARY(f32, float)
NB_UNARY(f64, double)

// ---------------------------------------------------------------- binary

template <typename T, int OP>
__device__ __forceinline__ void nb_binary_loop(const T* x, const T* y, T* out, long long n, T a) {
    long long start = nb_global_thread();
    long long step = nb_grid_threads();
    long long done = 0;
    if (nb_aligned16(x) && nb_aligned16(y) && nb_aligned16(out)) {
        typedef NbPack<T> P;
        long long packs = n / P::K;
        const P* xp = reinterpret_cast<const P*>(x);
        const P* yp = reinterpret_cast<const P*>(y);
        P* op = reinterpret_cast<P*>(out);
        for (long long i = start; i < packs; i += step) {
            P p = xp[i];
            P q = yp[i];
#pragma unroll
            for (int k = 0; k < P::K; ++k) {
                p.v[k] = nb_binary<T>(OP, p.v[k], q.v[k], a);
            }
            op[i] = p;
        }
        done = packs * P::K;
    }
    for (long long i = done + start; i < n; i += step) {
        out[i] = nb_binary<T>(OP, x[i], y[i], a);
    }
}

template <typename T>
__device__ __forceinline__ void nb_binary_generic_loop(int op, const T* x, const T* y, T* out, long long n, T a) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        out[i] = nb_binary<T>(op, x[i], y[i], a);
    }
}

__device__ void nb_binary_contiguous_f32(int op, const float* x, const float* y, float* out, long long n, double a) {
    const float ta = (float) a;
    switch (op) {
#define NB_BINARY_CASE(CODE) \
        case CODE: nb_binary_loop<float, CODE>(x, y, out, n, ta); break;
        NB_BINARY_CASE(NB_BINARY_ADD) NB_BINARY_CASE(NB_BINARY_SUB) NB_BINARY_CASE(NB_BINARY_MUL)
        NB_BINARY_CASE(NB_BINARY_DIV) NB_BINARY_CASE(NB_BINARY_MAXIMUM) NB_BINARY_CASE(NB_BINARY_MINIMUM)
        NB_BINARY_CASE(NB_BINARY_RELU_BACKWARD) NB_BINARY_CASE(NB_BINARY_LEAKY_RELU_BACKWARD)
        NB_BINARY_CASE(NB_BINARY_SIGMOID_BACKWARD) NB_BINARY_CASE(NB_BINARY_TANH_BACKWARD)
#undef NB_BINARY_CASE
        default: nb_binary_generic_loop<float>(op, x, y, out, n, ta); break;
    }
}

template <typename T>
__device__ void nb_binary_strided(int op, const T* x, const T* y, T* out, const NbShape& shape,
        const NbStrides& sx, const NbStrides& sy, const NbStrides& so, long long n, double a) {
    const T ta = (T) a;
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long ox, oy, oo, u3;
        if (n <= 0xffffffffll) {
            nb_locate<unsigned int>((unsigned int) i, shape, sx, sy, so, so, ox, oy, oo, u3);
        } else {
            nb_locate<unsigned long long>(i, shape, sx, sy, so, so, ox, oy, oo, u3);
        }
        out[oo] = nb_binary<T>(op, x[ox], y[oy], ta);
    }
}

extern "C" __global__ void nabla_binary_f32(int op, const float* x, const float* y, float* out, long long n,
        double a) {
    nb_binary_contiguous_f32(op, x, y, out, n, a);
}

extern "C" __global__ void nabla_binary_f64(int op, const double* x, const double* y, double* out, long long n,
        double a) {
    nb_binary_generic_loop<double>(op, x, y, out, n, a);
}

extern "C" __global__ void nabla_binary_i32(int op, const int* x, const int* y, int* out, long long n, double a) {
    nb_binary_generic_loop<int>(op, x, y, out, n, (int) a);
}

#define NB_BINARY(SUFFIX, T) \
    extern "C" __global__ void nabla_binary_strided_##SUFFIX(int op, const T* x, const T* y, T* out, \
            NbShape shape, NbStrides sx, NbStrides sy, NbStrides so, long long n, double a) { \
        nb_binary_strided<T>(op, x, y, out, shape, sx, sy, so, n, a); \
    }
NB_BINARY(f32, float)
NB_BINARY(f64, double)
NB_BINARY(i32, int)

// ---------------------------------------------------------------- where (cond ≠ 0 ? x : y; NaN counts as true, like Java)

template <typename T>
__device__ void nb_where_strided(const T* c, const T* x, const T* y, T* out, const NbShape& shape,
        const NbStrides& sc, const NbStrides& sx, const NbStrides& sy, const NbStrides& so, long long n) {
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        long long oc, ox, oy, oo;
        if (n <= 0xffffffffll) {
            nb_locate<unsigned int>((unsigned int) i, shape, sc, sx, sy, so, oc, ox, oy, oo);
        } else {
            nb_locate<unsigned long long>(i, shape, sc, sx, sy, so, oc, ox, oy, oo);
        }
        out[oo] = c[oc] != (T) 0 ? x[ox] : y[oy];
    }
}

#define NB_WHERE(SUFFIX, T) \
    extern "C" __global__ void nabla_where_strided_##SUFFIX(const T* c, const T* x, const T* y, T* out, \
            NbShape shape, NbStrides sc, NbStrides sx, NbStrides sy, NbStrides so, long long n) { \
        nb_where_strided<T>(c, x, y, out, shape, sc, sx, sy, so, n); \
    }
NB_WHERE(f32, float)
NB_WHERE(f64, double)
NB_WHERE(i32, int)
