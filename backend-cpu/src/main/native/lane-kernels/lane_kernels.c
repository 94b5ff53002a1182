/*
 * JNI entry points of dev.nabla.cpu.NativeLaneKernels: the lane kernels of dev.nabla.cpu.LaneKernels as C
 * loops that gcc vectorizes, for JVMs without the Vector API. HotSpot's JIT does not vectorize their Java
 * form (a float select, a float read as an int, a row indexed from another offset than its bias); gcc
 * does, with the same results: no -ffast-math and no fused multiply-adds (-ffp-contract=off), so every lane
 * computes exactly what the Java loop computes, NaN and signed zero included, tanh and exp too.
 *
 * On x86-64 each kernel is compiled three times (target_clones: x86-64-v4 with AVX-512, v3 with AVX2, and
 * the x86-64 baseline with SSE2) and the dynamic loader picks the one this CPU runs, so the library never
 * executes an instruction the CPU lacks. On aarch64 once, for Advanced SIMD (NEON), which every aarch64 CPU
 * has. The Java side checks every index before it calls here.
 */
#include <jni.h>
#include <stdint.h>

#if defined(__x86_64__)
#define KERNEL static __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KERNEL static
#endif

/*
 * exp and tanh of floats within 1 ulp of Math.exp and Math.tanh rounded to float (libm's are calls, which gcc
 * does not vectorize, so these are written out). The tests check every 1021st float; when they were written,
 * every 7th was checked (and every float for exp, in C): none is further than 1 ulp, 0.4 % of exp's and 0.01 %
 * of tanh's are 1 ulp off. dev.nabla.cpu.FloatMath is the same code in Java, for the scalar and Vector API
 * kernels, which give these functions' bits (FloatMathTest checks that they share their constants;
 * LaneKernelsTest, that all three give the same floats).
 */
/* The bits of `value` read as a `type` of the same size (vectorizes to nothing). */
#define BITCAST(type, value)                                                                                \
    __extension__({                                                                                        \
        __typeof__(value) from_ = (value);                                                                 \
        type to_;                                                                                          \
        _Static_assert(sizeof to_ == sizeof from_, "BITCAST needs equal sizes");                           \
        __builtin_memcpy(&to_, &from_, sizeof to_);                                                        \
        to_;                                                                                               \
    })

/*
 * e^x in float arithmetic, twice as many lanes as double: x = k ln 2 + r, |r| <= ln 2 / 2, then
 * e^r = 1 + r + r^2 q(r), q the polynomial of degree 4 with the least relative error to (e^r - 1 - r) / r^2
 * there (1.2e-7, Remez: exp_coefficients.py), and 2^k as two factors so that each is a normal float.
 */
static inline float exp_float(float x) {
    x = x < -104.0f ? -104.0f : x; /* e^-104 is under half the least float: 0; comparisons keep NaN */
    x = x > 89.0f ? 89.0f : x;     /* e^89 overflows: infinity */
    const float shifter = 0x1.8p23f; /* adding it rounds to an integer, kept in the low bits of the sum */
    float kd = x * 0x1.715476p0f + shifter; /* x / ln 2, rounded */
    float k = kd - shifter;
    float r = (x - k * 0x1.62e4p-1f) - k * 0x1.7f7d1cp-20f; /* ln 2 in two parts; k times the first is exact */
    float q = 0x1.6c69f2p-10f;
    q = q * r + 0x1.120b1cp-7f;
    q = q * r + 0x1.5555bap-5f;
    q = q * r + 0x1.5554dep-3f;
    q = q * r + 0x1p-1f;
    float p = 1.0f + (r + (r * r) * q);
    int32_t ki = BITCAST(int32_t, kd) - BITCAST(int32_t, shifter); /* k, in [-150, 129] */
    int32_t k1 = ki >> 1, k2 = ki - k1;
    return p * BITCAST(float, (k1 + 127) << 23) * BITCAST(float, (k2 + 127) << 23);
}

/*
 * e^x in double, for tanh, whose 1 - 2 / (e^2|x| + 1) cancels digits: x in [-110, 90] (the caller clamps), NaN
 * stays NaN. The polynomial of degree 6 with the least relative error to e^r (1.9e-9, Remez).
 */
static inline double exp_clamped(double x) {
    const double shifter = 0x1.8p52;
    double kd = x * 0x1.71547652b82fep0 + shifter; /* x / ln 2, rounded */
    double k = kd - shifter;
    double r = (x - k * 0x1.62e42fefa3800p-1) - k * 0x1.ef35793c7673p-45; /* x - k ln 2 (ln 2 in two parts) */
    double p = 0x1.6ab980a6af9a6p-10;
    p = p * r + 0x1.126d0bfb5b840p-7;
    p = p * r + 0x1.55589a42f3fefp-5;
    p = p * r + 0x1.55540a7db484ep-3;
    p = p * r + 0x1.fffffaaf53271p-2;
    p = p * r + 0x1.0000009c01c14p+0;
    p = p * r + 0x1.00000002614ffp+0;
    int64_t scale = (BITCAST(int64_t, kd) - BITCAST(int64_t, shifter) + 1023) << 52; /* 2^k */
    return p * BITCAST(double, scale);
}

static inline double tanh_double(double x) {
    double a = __builtin_fabs(x);
    /* small |x|: the odd Taylor series to x^11 (the rest is under 2e-10 of it for |x| < 1/4) */
    double s = a * a;
    double small = -1382.0 / 155925;
    small = small * s + 62.0 / 2835;
    small = small * s - 17.0 / 315;
    small = small * s + 2.0 / 15;
    small = small * s - 1.0 / 3;
    small = small * s * a + a;
    /* otherwise 1 - 2 / (e^2|x| + 1); from |x| = 20 on that is 1 in double */
    double t = exp_clamped(a > 20.0 ? 40.0 : 2.0 * a); /* NaN stays NaN */
    double large = 1.0 - 2.0 / (t + 1.0);
    double y = a < 0.25 ? small : large; /* NaN: large, which is NaN */
    return __builtin_copysign(y, x);
}

KERNEL void exp_floats(const float *x, float *o, int n) {
    for (int i = 0; i < n; i++) {
        o[i] = exp_float(x[i]);
    }
}

KERNEL void tanh_floats(const float *x, float *o, int n) {
    for (int i = 0; i < n; i++) {
        o[i] = (float) tanh_double(x[i]);
    }
}

/* o[r n + j] = tanh(x[r n + j] + b[j]) for rows of n, the sum in double as the Java loop adds it. */
KERNEL void bias_tanh(const float *x, const float *b, float *o, int rows, int n) {
    for (int r = 0; r < rows; r++, x += n, o += n) {
        for (int j = 0; j < n; j++) {
            o[j] = (float) tanh_double((double) x[j] + b[j]);
        }
    }
}

/* o[i] = x[i] > 0 ? x[i] : 0 (a NaN is not greater than 0: it becomes 0). */
KERNEL void relu(const float *x, float *o, int n) {
    for (int i = 0; i < n; i++) {
        o[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
}

/* o[i] = x[i] > 0 ? y[i] : 0 (y read whatever x is: a load under a condition is not vectorized without masked
   loads, which NEON lacks). */
KERNEL void relu_backward(const float *x, const float *y, float *o, int n) {
    for (int i = 0; i < n; i++) {
        float g = y[i];
        o[i] = x[i] > 0.0f ? g : 0.0f;
    }
}

/* o[r n + j] = max0(x[r n + j] + b[j]) for rows of n. */
KERNEL void bias_relu(const float *x, const float *b, float *o, int rows, int n) {
    for (int r = 0; r < rows; r++, x += n, o += n) {
        for (int j = 0; j < n; j++) {
            float v = x[j] + b[j];
            o[j] = v > 0.0f ? v : 0.0f;
        }
    }
}

/* acc[k] += x[r stride + k] for rows r, in order, each float widened to double. */
KERNEL void add_rows_into(const float *x, int stride, int rows, double *acc, int n) {
    for (int r = 0; r < rows; r++, x += stride) {
        for (int k = 0; k < n; k++) {
            acc[k] += (double) x[k];
        }
    }
}

/*
 * col2im's adds, window after window: for each of `windows` windows (x advancing by x_step, o by o_step) and its
 * `rows` kernel rows (x by n, o by o_row), o[j] += x[j]. Windows may overlap in o: each adds to what the ones
 * before it left.
 */
KERNEL void add_window_rows(const float *x, int x_step, float *o, int o_step, int o_row, int windows, int rows, int n) {
    for (int q = 0; q < windows; q++, x += x_step, o += o_step) {
        for (int i = 0; i < rows; i++) {
            const float *xi = x + (long) i * n;
            float *oi = o + (long) i * o_row;
            for (int j = 0; j < n; j++) {
                oi[j] += xi[j];
            }
        }
    }
}

/*
 * One tap of a max pool over rows of windows: where x[j] > max[j], max[j] = x[j] and arg[j] = index + j (the
 * first maximum wins ties; a NaN never wins), row after row, x and index advancing by x_stride, max and arg by n.
 */
KERNEL void max_with_index(const float *x, int x_stride, float *max, int32_t *arg, int index, int rows, int n) {
    for (int r = 0; r < rows; r++, x += x_stride, max += n, arg += n, index += x_stride) {
        for (int j = 0; j < n; j++) {
            float v = x[j], m = max[j];
            int32_t a = arg[j];
            max[j] = v > m ? v : m;
#if defined(__aarch64__)
            /* as a select gcc leaves it a branch here; as a mask, it is 30 % slower on x86-64 (AVX-512 blends) */
            int32_t greater = -(int32_t) (v > m);
            arg[j] = (a & ~greater) | ((index + j) & greater);
#else
            arg[j] = v > m ? index + j : a;
#endif
        }
    }
}

/*
 * The arrays of one call, pinned (HotSpot hands out the array itself, no copy) and released together. Between
 * pinning and releasing, no other JNI function may be called; a failed pin leaves an OutOfMemoryError pending
 * and the kernel is skipped.
 */
typedef struct {
    JNIEnv *env;
    int count, failed;
    jarray arrays[4];
    void *elements[4];
} Pins;

static void *pin(Pins *pins, jarray array) {
    void *elements = pins->failed ? NULL : (*pins->env)->GetPrimitiveArrayCritical(pins->env, array, NULL);
    if (elements == NULL) {
        pins->failed = 1;
        return NULL;
    }
    pins->arrays[pins->count] = array;
    pins->elements[pins->count++] = elements;
    return elements;
}

static void unpin_all(Pins *pins) {
    while (pins->count > 0) {
        pins->count--;
        (*pins->env)->ReleasePrimitiveArrayCritical(pins->env, pins->arrays[pins->count], pins->elements[pins->count], 0);
    }
}

/* A static native method of NativeLaneKernels. */
#define JNI(name, ...)                                                                                     \
    JNIEXPORT void JNICALL Java_dev_nabla_cpu_NativeLaneKernels_##name##0(JNIEnv *env, jclass cls __attribute__((unused)), \
                                                                       __VA_ARGS__)

JNI(reluBackward, jfloatArray xa, jfloatArray ya, jfloatArray oa, jint from, jint to) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *y = pin(&pins, ya), *o = pin(&pins, oa);
    if (!pins.failed) relu_backward(x + from, y + from, o + from, to - from);
    unpin_all(&pins);
}

JNI(addRowsInto, jfloatArray xa, jint xo, jint stride, jint rows, jdoubleArray acca, jint ao, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa);
    double *acc = pin(&pins, acca);
    if (!pins.failed) add_rows_into(x + xo, stride, rows, acc + ao, n);
    unpin_all(&pins);
}

JNI(addWindowRows, jfloatArray xa, jint xo, jint x_step, jfloatArray oa, jint oo, jint o_step, jint o_row, jint windows,
    jint rows, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *o = pin(&pins, oa);
    if (!pins.failed) add_window_rows(x + xo, x_step, o + oo, o_step, o_row, windows, rows, n);
    unpin_all(&pins);
}

JNI(maxWithIndex, jfloatArray xa, jint xo, jint x_stride, jfloatArray maxa, jint mo, jintArray arga, jint ao, jint index,
    jint rows, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *max = pin(&pins, maxa);
    int32_t *arg = pin(&pins, arga);
    if (!pins.failed) max_with_index(x + xo, x_stride, max + mo, arg + ao, index, rows, n);
    unpin_all(&pins);
}

/* The functions of map and biasActivation, as NativeLaneKernels numbers them. */
enum { RELU = 0, TANH = 1, EXP = 2 };

JNI(map, jint function, jfloatArray xa, jfloatArray oa, jint from, jint to) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *o = pin(&pins, oa);
    if (!pins.failed) {
        switch (function) {
        case RELU: relu(x + from, o + from, to - from); break;
        case TANH: tanh_floats(x + from, o + from, to - from); break;
        case EXP: exp_floats(x + from, o + from, to - from); break;
        }
    }
    unpin_all(&pins);
}

JNI(biasActivation, jint function, jfloatArray xa, jint xo, jfloatArray ba, jint bo, jfloatArray oa, jint oo, jint rows,
    jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *b = pin(&pins, ba), *o = pin(&pins, oa);
    if (!pins.failed) {
        switch (function) {
        case RELU: bias_relu(x + xo, b + bo, o + oo, rows, n); break;
        case TANH: bias_tanh(x + xo, b + bo, o + oo, rows, n); break;
        }
    }
    unpin_all(&pins);
}
