/*
 * Shared helpers of Nabla's OpenCL programs. The host prepends a generated prelude that defines:
 *   T       the element type of the program (float, double or int); one build per type
 *   CT      the type arithmetic is done in (T for floating T; double or float for int)
 *   RT      double when the device has cl_khr_fp64, else float (random numbers, exact thresholds)
 *   TO_T(v) the conversion into T (saturating, toward zero, for int: Java's (int) cast)
 *   UOP_*, BOP_*, ROP_*, RK_*  the ordinals of dev.nabla.backend.{UnaryOp, BinaryOp, ReduceOp, RandomKind}
 *   HAS_FP64 when doubles are available, MAX_RANK (8)
 * and turns FP_CONTRACT off, so that a*b+c rounds like Java (no silent fma).
 *
 * Strided views reach kernels as long8 vectors, innermost axis first (component s0), after the
 * host merged every axis it could; rank says how many components are used.
 */

/* A grid-stride loop: i takes every index in [0, n) that falls to this work item. */
#define FOR_EACH(i, n) for (long i = get_global_id(0); i < (n); i += get_global_size(0))

/* The element offsets of linear index i in up to four strided operands of the same shape. */
#define NABLA_STEP(k)                                                             \
    if (rank > k) {                                                               \
        long e = shape.s##k;                                                      \
        long c = rem % e;                                                         \
        rem /= e;                                                                 \
        o0 += c * s0.s##k; o1 += c * s1.s##k; o2 += c * s2.s##k; o3 += c * s3.s##k; \
    }

inline void offsets4(long i, int rank, long8 shape, long8 s0, long8 s1, long8 s2, long8 s3,
                     long *p0, long *p1, long *p2, long *p3) {
    long rem = i, o0 = 0, o1 = 0, o2 = 0, o3 = 0;
    NABLA_STEP(0) NABLA_STEP(1) NABLA_STEP(2) NABLA_STEP(3)
    NABLA_STEP(4) NABLA_STEP(5) NABLA_STEP(6) NABLA_STEP(7)
    *p0 += o0; *p1 += o1; *p2 += o2; *p3 += o3;
}

inline long offset1(long i, int rank, long8 shape, long8 s0) {
    long a = 0, b = 0, c = 0, d = 0;
    long8 z = (long8)(0);
    offsets4(i, rank, shape, s0, z, z, z, &a, &b, &c, &d);
    return a;
}

/* Java's Math.max / Math.min: NaN wins. */
inline CT java_max(CT x, CT y) { return (x != x || y != y) ? (CT)NAN : (x >= y ? x : y); }
inline CT java_min(CT x, CT y) { return (x != x || y != y) ? (CT)NAN : (x <= y ? x : y); }

/* UnaryOp.apply */
inline CT unary_apply(int op, CT x, CT a, CT b) {
    switch (op) {
        case UOP_NEG: return -x;
        case UOP_EXP: return exp(x);
        case UOP_LOG: return log(x);
        case UOP_ABS: return fabs(x);
        case UOP_SQRT: return sqrt(x);
        case UOP_SQUARE: return x * x;
        case UOP_RECIPROCAL: return (CT)1 / x;
        case UOP_SIGN: return x != x ? x : (x > 0 ? (CT)1 : (x < 0 ? (CT)-1 : x));
        case UOP_ADD_SCALAR: return x + a;
        case UOP_MUL_SCALAR: return x * a;
        case UOP_RSUB_SCALAR: return a - x;
        case UOP_RDIV_SCALAR: return a / x;
        case UOP_POW_SCALAR: return pow(x, a);
        case UOP_MAX_SCALAR: return java_max(x, a);
        case UOP_MIN_SCALAR: return java_min(x, a);
        case UOP_CLIP: return java_min(java_max(x, a), b);
        case UOP_GT_SCALAR: return x > a ? 1 : 0;
        case UOP_GE_SCALAR: return x >= a ? 1 : 0;
        case UOP_LT_SCALAR: return x < a ? 1 : 0;
        case UOP_LE_SCALAR: return x <= a ? 1 : 0;
        case UOP_EQ_SCALAR: return x == a ? 1 : 0;
        case UOP_STEP: return x > 0 ? 1 : 0;
        case UOP_BIPOLAR_STEP: return x > 0 ? 1 : -1;
        case UOP_RELU: return x > 0 ? x : 0;
        case UOP_LEAKY_RELU: return x > 0 ? x : a * x;
        case UOP_SIGMOID: return (CT)1 / ((CT)1 + exp(-a * x));
        case UOP_TANH: return tanh(x);
        case UOP_SOFTPLUS: return (fmax(a * x, (CT)0) + log1p(exp(-fabs(a * x)))) / a;
        case UOP_SWISH: return x / ((CT)1 + exp(-a * x));
        default: return NAN;
    }
}

/* BinaryOp.apply */
inline CT binary_apply(int op, CT x, CT y, CT a) {
    switch (op) {
        case BOP_ADD: return x + y;
        case BOP_SUB: return x - y;
        case BOP_MUL: return x * y;
        case BOP_DIV: return x / y;
        case BOP_POW: return pow(x, y);
        case BOP_MAXIMUM: return java_max(x, y);
        case BOP_MINIMUM: return java_min(x, y);
        case BOP_EQ: return x == y ? 1 : 0;
        case BOP_NE: return x != y ? 1 : 0;
        case BOP_LT: return x < y ? 1 : 0;
        case BOP_LE: return x <= y ? 1 : 0;
        case BOP_GT: return x > y ? 1 : 0;
        case BOP_GE: return x >= y ? 1 : 0;
        case BOP_RELU_BACKWARD: return x > 0 ? y : 0;
        case BOP_LEAKY_RELU_BACKWARD: return x > 0 ? y : a * y;
        case BOP_SIGMOID_BACKWARD: return a * y * x * ((CT)1 - x);
        case BOP_TANH_BACKWARD: return y * ((CT)1 - x * x);
        default: return NAN;
    }
}
