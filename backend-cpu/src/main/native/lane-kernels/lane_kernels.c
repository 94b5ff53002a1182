/*
 * JNI entry points of dev.nabla.cpu.NativeLaneKernels: the lane kernels of dev.nabla.cpu.LaneKernels as C
 * loops that gcc vectorizes, for JVMs without the Vector API. HotSpot's JIT does not vectorize their Java
 * form (a float select, a float read as an int, a row indexed from another offset than its bias); gcc
 * does, with the same results: no -ffast-math, so every lane of the selects and sums computes exactly what
 * the Java loop computes, NaN and signed zero included (they have no multiply for gcc to fuse with an add;
 * only tanh and exp do, and they are within 1 ulp, not exact, as the Vector API's are).
 *
 * Each kernel is compiled three times (target_clones: x86-64-v4 with AVX-512, v3 with AVX2 and FMA, and
 * the x86-64 baseline with SSE2) and the dynamic loader picks the one this CPU runs, so the library never
 * executes an instruction the CPU lacks. The Java side checks every index before it calls here.
 */
#include <jni.h>
#include <stdint.h>

#define KERNEL static __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

/*
 * exp and tanh of a float, computed in double and rounded once to float, as the Java loops round Math.exp and
 * Math.tanh: libm's are calls, which gcc does not vectorize, so these are written out. The double result is
 * within about 1e-9 of the true value (relative), a sixtieth of a float's ulp, so the float is the correctly
 * rounded one but for values that close to a rounding boundary, which it misses by 1 ulp (the tests allow
 * 1 ulp, as for the Vector API's, and check every 1021st float).
 */
static inline double bits_to_double(int64_t bits) {
    double d;
    __builtin_memcpy(&d, &bits, sizeof d);
    return d;
}

static inline int64_t double_to_bits(double d) {
    int64_t bits;
    __builtin_memcpy(&bits, &d, sizeof bits);
    return bits;
}

/* e^x for x in [-110, 90] (beyond, a float's e^x is 0 or infinity anyway; the caller clamps); NaN stays NaN. */
static inline double exp_clamped(double x) {
    const double shifter = 0x1.8p52; /* adding it rounds to an integer, kept in the low bits of the sum */
    double kd = x * 0x1.71547652b82fep0 + shifter; /* x / ln 2, rounded */
    double k = kd - shifter;
    double r = (x - k * 0x1.62e42fefa3800p-1) - k * 0x1.ef35793c7673p-45; /* x - k ln 2 (ln 2 in two parts) */
    /* e^r for |r| <= ln 2 / 2: Taylor to r^8, whose rest (under 2.1e-10 of it) is 1/300 of a float's ulp */
    double p = 1.0 / 40320;
    p = p * r + 1.0 / 5040;
    p = p * r + 1.0 / 720;
    p = p * r + 1.0 / 120;
    p = p * r + 1.0 / 24;
    p = p * r + 1.0 / 6;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    int64_t scale = (double_to_bits(kd) - double_to_bits(shifter) + 1023) << 52; /* 2^k */
    return p * bits_to_double(scale);
}

static inline double exp_double(double x) {
    x = x < -110.0 ? -110.0 : x; /* comparisons are false for NaN: it passes through */
    x = x > 90.0 ? 90.0 : x;
    return exp_clamped(x);
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
        o[i] = (float) exp_double(x[i]);
    }
}

KERNEL void tanh_floats(const float *x, float *o, int n) {
    for (int i = 0; i < n; i++) {
        o[i] = (float) tanh_double(x[i]);
    }
}

/* o[j] = tanh(x[j] + b[j]), the sum in double as the Java loop adds it. */
KERNEL void bias_tanh(const float *x, const float *b, float *o, int n) {
    for (int j = 0; j < n; j++) {
        o[j] = (float) tanh_double((double) x[j] + b[j]);
    }
}

/* o[i] = x[i] > 0 ? x[i] : 0 (a NaN is not greater than 0: it becomes 0). */
KERNEL void relu(const float *x, float *o, int n) {
    for (int i = 0; i < n; i++) {
        o[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
}

/* o[i] = x[i] > 0 ? y[i] : 0. */
KERNEL void relu_backward(const float *x, const float *y, float *o, int n) {
    for (int i = 0; i < n; i++) {
        o[i] = x[i] > 0.0f ? y[i] : 0.0f;
    }
}

/* o[j] = max0(x[j] + b[j]). */
KERNEL void bias_relu(const float *x, const float *b, float *o, int n) {
    for (int j = 0; j < n; j++) {
        float v = x[j] + b[j];
        o[j] = v > 0.0f ? v : 0.0f;
    }
}

/* acc[k] += x[k], the float widened to double. */
KERNEL void add_into(const float *x, double *acc, int n) {
    for (int k = 0; k < n; k++) {
        acc[k] += (double) x[k];
    }
}

/* o[j] += x[j]. */
KERNEL void add_to(const float *x, float *o, int n) {
    for (int j = 0; j < n; j++) {
        o[j] += x[j];
    }
}

/* Where x[j] > max[j]: max[j] = x[j], arg[j] = index + j (the first maximum wins ties; a NaN never wins). */
KERNEL void max_with_index(const float *x, float *max, int32_t *arg, int index, int n) {
    for (int j = 0; j < n; j++) {
        float v = x[j], m = max[j];
        int greater = v > m;
        max[j] = greater ? v : m;
        arg[j] = greater ? index + j : arg[j];
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

JNI(relu, jfloatArray xa, jfloatArray oa, jint from, jint to) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *o = pin(&pins, oa);
    if (!pins.failed) relu(x + from, o + from, to - from);
    unpin_all(&pins);
}

JNI(reluBackward, jfloatArray xa, jfloatArray ya, jfloatArray oa, jint from, jint to) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *y = pin(&pins, ya), *o = pin(&pins, oa);
    if (!pins.failed) relu_backward(x + from, y + from, o + from, to - from);
    unpin_all(&pins);
}

JNI(biasRelu, jfloatArray xa, jfloatArray ba, jint bo, jfloatArray oa, jint oo, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *b = pin(&pins, ba), *o = pin(&pins, oa);
    if (!pins.failed) bias_relu(x + oo, b + bo, o + oo, n);
    unpin_all(&pins);
}

JNI(addInto, jfloatArray xa, jint xo, jdoubleArray acca, jint ao, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa);
    double *acc = pin(&pins, acca);
    if (!pins.failed) add_into(x + xo, acc + ao, n);
    unpin_all(&pins);
}

JNI(addTo, jfloatArray xa, jint xo, jfloatArray oa, jint oo, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *o = pin(&pins, oa);
    if (!pins.failed) add_to(x + xo, o + oo, n);
    unpin_all(&pins);
}

JNI(maxWithIndex, jfloatArray xa, jint xo, jfloatArray maxa, jint mo, jintArray arga, jint ao, jint index, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *max = pin(&pins, maxa);
    int32_t *arg = pin(&pins, arga);
    if (!pins.failed) max_with_index(x + xo, max + mo, arg + ao, index, n);
    unpin_all(&pins);
}

JNI(exp, jfloatArray xa, jfloatArray oa, jint from, jint to) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *o = pin(&pins, oa);
    if (!pins.failed) exp_floats(x + from, o + from, to - from);
    unpin_all(&pins);
}

JNI(tanh, jfloatArray xa, jfloatArray oa, jint from, jint to) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *o = pin(&pins, oa);
    if (!pins.failed) tanh_floats(x + from, o + from, to - from);
    unpin_all(&pins);
}

JNI(biasTanh, jfloatArray xa, jfloatArray ba, jint bo, jfloatArray oa, jint oo, jint n) {
    Pins pins = {env, 0, 0, {0}, {0}};
    float *x = pin(&pins, xa), *b = pin(&pins, ba), *o = pin(&pins, oa);
    if (!pins.failed) bias_tanh(x + oo, b + bo, o + oo, n);
    unpin_all(&pins);
}
