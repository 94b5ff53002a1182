// Fused optimizer updates, in place over contiguous tensors of n elements (formulas: the Javadoc
// of dev.nabla.backend.Backend#sgdUpdate, #rmspropUpdate, #adamUpdate). Arithmetic in the element
// type, with the (1 - x) constants formed in double first.
#include "nabla_common.cuh"

// Without velocity: p -= lr·g. With velocity: v = momentum·v - lr·g; p += v (Nesterov: momentum·v - lr·g).
template <typename T>
__device__ void nb_sgd(T* p, const T* g, T* v, long long n, double lr, double momentum, int nesterov,
        int hasVelocity) {
    const T tlr = (T) lr, tm = (T) momentum;
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        T gi = g[i];
        if (!hasVelocity) {
            p[i] -= tlr * gi;
        } else {
            T vel = tm * v[i] - tlr * gi;
            v[i] = vel;
            p[i] += nesterov ? tm * vel - tlr * gi : vel;
        }
    }
}

// ms = rho·ms + (1 - rho)·g²; p -= lr·g / √(ms + eps)
template <typename T>
__device__ void nb_rmsprop(T* p, const T* g, T* ms, long long n, double lr, double rho, double eps) {
    const T tlr = (T) lr, trho = (T) rho, keep = (T) (1.0 - rho), teps = (T) eps;
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        T gi = g[i];
        T m = trho * ms[i] + keep * gi * gi;
        ms[i] = m;
        p[i] -= tlr * gi / nb_sqrt(m + teps);
    }
}

// p ·= (1 - decay); m += (g - m)(1 - β1); v += (g² - v)(1 - β2); p -= alpha·m / (√v + eps)
template <typename T>
__device__ void nb_adam(T* p, const T* g, T* m, T* v, long long n, double alpha, double beta1, double beta2,
        double eps, double decay) {
    const T talpha = (T) alpha, c1 = (T) (1.0 - beta1), c2 = (T) (1.0 - beta2), teps = (T) eps,
            keep = (T) (1.0 - decay);
    for (long long i = nb_global_thread(); i < n; i += nb_grid_threads()) {
        T gi = g[i];
        T pi = p[i] * keep;
        T mi = m[i];
        T vi = v[i];
        mi += (gi - mi) * c1;
        vi += (gi * gi - vi) * c2;
        p[i] = pi - talpha * mi / (nb_sqrt(vi) + teps);
        m[i] = mi;
        v[i] = vi;
    }
}

#define NB_OPTIM(SUFFIX, T) \
    extern "C" __global__ void nabla_sgd_##SUFFIX(T* p, const T* g, T* v, long long n, double lr, double momentum, \
            int nesterov, int hasVelocity) { \
        nb_sgd<T>(p, g, v, n, lr, momentum, nesterov, hasVelocity); \
    } \
    extern "C" __global__ void nabla_rmsprop_##SUFFIX(T* p, const T* g, T* ms, long long n, double lr, double rho, \
            double eps) { \
        nb_rmsprop<T>(p, g, ms, n, lr, rho, eps); \
    } \
    extern "C" __global__ void nabla_adam_##SUFFIX(T* p, const T* g, T* m, T* v, long long n, double alpha, \
            double beta1, double beta2, double eps, double decay) { \
        nb_adam<T>(p, g, m, v, n, alpha, beta1, beta2, eps, decay); \
    }
NB_OPTIM(f32, float)
NB_OPTIM(f64, double)
