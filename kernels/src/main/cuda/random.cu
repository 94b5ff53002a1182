// Random draws from Philox4x32-10, bit for bit as dev.nabla.backend.Philox (the reference and the
// CPU's): key = seed (low word k0, high word k1), counter = (block low, block high, 0, 0).
//
// UNIFORM and DROPOUT_MASK: element i uses word i mod 4 of block counter + i / 4, so thread t
// computes block counter + t and writes elements 4t .. 4t + 3.
// NORMAL (Box-Muller): element i uses words 2(i mod 2) and 2(i mod 2) + 1 of block counter + i / 2,
// so thread t writes elements 2t and 2t + 1.
// The arithmetic is done in double with explicitly rounded operations (no fused multiply-add), as
// Java evaluates it, then cast to the element type: uniform draws and dropout masks match the CPU
// exactly; normal draws can differ in the last bit of log / cos.
#include "nabla_common.cuh"

#define NB_PHILOX_M0 0xD2511F53u
#define NB_PHILOX_M1 0xCD9E8D57u
#define NB_PHILOX_W0 0x9E3779B9u
#define NB_PHILOX_W1 0xBB67AE85u
#define NB_PHILOX_ROUNDS 10

__device__ __forceinline__ uint4 nb_philox(unsigned long long seed, unsigned long long block) {
    unsigned int c0 = (unsigned int) block, c1 = (unsigned int) (block >> 32), c2 = 0u, c3 = 0u;
    unsigned int k0 = (unsigned int) seed, k1 = (unsigned int) (seed >> 32);
#pragma unroll
    for (int round = 0; round < NB_PHILOX_ROUNDS; ++round) {
        unsigned int lo0 = NB_PHILOX_M0 * c0, hi0 = __umulhi(NB_PHILOX_M0, c0);
        unsigned int lo1 = NB_PHILOX_M1 * c2, hi1 = __umulhi(NB_PHILOX_M1, c2);
        unsigned int n0 = hi1 ^ c1 ^ k0;
        unsigned int n1 = lo1;
        unsigned int n2 = hi0 ^ c3 ^ k1;
        unsigned int n3 = lo0;
        c0 = n0;
        c1 = n1;
        c2 = n2;
        c3 = n3;
        k0 += NB_PHILOX_W0;
        k1 += NB_PHILOX_W1;
    }
    return make_uint4(c0, c1, c2, c3);
}

// Philox.unit: the top 24 bits as a double in [0, 1).
__device__ __forceinline__ double nb_unit(unsigned int bits) {
    return (double) (bits >> 8) * 0x1.0p-24;
}

// Philox.unitOpenAtZero: in (0, 1].
__device__ __forceinline__ double nb_unit_open_at_zero(unsigned int bits) {
    return (double) ((bits >> 8) + 1u) * 0x1.0p-24;
}

__device__ __forceinline__ double nb_draw_flat(int kind, unsigned int bits, double a, double b) {
    double u = nb_unit(bits);
    if (kind == NB_RANDOM_DROPOUT_MASK) {
        return u < a ? 1.0 / a : 0.0;
    }
    return __dadd_rn(a, __dmul_rn(__dsub_rn(b, a), u)); // a + (b - a) * u
}

__device__ __forceinline__ double nb_draw_normal(unsigned int first, unsigned int second, double a, double b) {
    double u1 = nb_unit_open_at_zero(first);
    double u2 = nb_unit(second);
    double radius = sqrt(__dmul_rn(-2.0, log(u1)));
    double angle = __dmul_rn(2.0 * 3.141592653589793, u2); // Java: 2.0 * Math.PI * u2
    return __dadd_rn(a, __dmul_rn(__dmul_rn(b, radius), cos(angle)));
}

template <typename T>
__device__ void nb_random(int kind, unsigned long long seed, unsigned long long counter, double a, double b, T* out,
        long long n) {
    const int perBlock = kind == NB_RANDOM_NORMAL ? 2 : 4;
    const long long blocks = (n + perBlock - 1) / perBlock;
    for (long long t = nb_global_thread(); t < blocks; t += nb_grid_threads()) {
        uint4 w = nb_philox(seed, counter + (unsigned long long) t);
        long long i = t * perBlock;
        if (kind == NB_RANDOM_NORMAL) {
            out[i] = (T) nb_draw_normal(w.x, w.y, a, b);
            if (i + 1 < n) out[i + 1] = (T) nb_draw_normal(w.z, w.w, a, b);
        } else {
            out[i] = (T) nb_draw_flat(kind, w.x, a, b);
            if (i + 1 < n) out[i + 1] = (T) nb_draw_flat(kind, w.y, a, b);
            if (i + 2 < n) out[i + 2] = (T) nb_draw_flat(kind, w.z, a, b);
            if (i + 3 < n) out[i + 3] = (T) nb_draw_flat(kind, w.w, a, b);
        }
    }
}

#define NB_RANDOM(SUFFIX, T) \
    extern "C" __global__ void nabla_random_##SUFFIX(int kind, unsigned long long seed, unsigned long long counter, \
            double a, double b, T* out, long long n) { \
        nb_random<T>(kind, seed, counter, a, b, out, n); \
    }
NB_RANDOM(f32, float)
NB_RANDOM(f64, double)
