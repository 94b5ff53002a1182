package dev.nabla.cpu;

import dev.nabla.backend.View;

/**
 * The optimizer updates for FLOAT32 parameters: one pass over the float arrays, in float
 * arithmetic (the state is stored in float anyway), split across cores for large tensors.
 * Formulas as in {@link dev.nabla.backend.Backend}'s Javadoc; returns false for other dtypes.
 */
final class FloatOptimizers {
    private FloatOptimizers() {}

    /**
     * Whether the four views start at one offset (fresh buffers: 0), so the loops index every array
     * with one index, which JDK 17's JIT needs to vectorize them; else the general path runs.
     */
    private static boolean sameOffset(View a, View b, View c, View d) {
        return a.offset() == b.offset() && a.offset() == c.offset() && a.offset() == d.offset();
    }

    private static void run(int n, int cost, Parallel.Range body) {
        if (FloatPaths.split((long) n * cost)) {
            Parallel.split(n, Parallel.THREADS, FloatPaths.GRAIN, 4, body);
        } else {
            body.run(0, n);
        }
    }

    static boolean sgd(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        if (!FloatPaths.isFloat(param) || !sameOffset(param, grad, velocity == null ? param : velocity, param)) {
            return false;
        }
        float[] p = FloatPaths.floats(param), g = FloatPaths.floats(grad);
        int o = (int) param.offset(), n = (int) param.size();
        float rate = (float) lr, mu = (float) momentum;
        if (velocity == null) {
            run(n, 1, (from, to) -> {
                for (int i = o + from, end = o + to; i < end; i++) {
                    p[i] -= rate * g[i];
                }
            });
            return true;
        }
        float[] v = FloatPaths.floats(velocity);
        run(n, 2, (from, to) -> {
            for (int i = o + from, end = o + to; i < end; i++) {
                float gi = g[i];
                float vel = mu * v[i] - rate * gi;
                v[i] = vel;
                p[i] += nesterov ? mu * vel - rate * gi : vel;
            }
        });
        return true;
    }

    static boolean rmsprop(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        if (!FloatPaths.isFloat(param) || !sameOffset(param, grad, meanSquare, param)) {
            return false;
        }
        float[] p = FloatPaths.floats(param), g = FloatPaths.floats(grad), ms = FloatPaths.floats(meanSquare);
        int o = (int) param.offset(), n = (int) param.size();
        float rate = (float) lr, r = (float) rho, keep = (float) (1 - rho), e = (float) eps;
        run(n, 4, (from, to) -> {
            for (int i = o + from, end = o + to; i < end; i++) {
                float gi = g[i];
                float m = r * ms[i] + keep * gi * gi;
                ms[i] = m;
                p[i] -= rate * gi / (float) Math.sqrt(m + e);
            }
        });
        return true;
    }

    static boolean adam(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        if (!FloatPaths.isFloat(param) || !sameOffset(param, grad, m, v)) {
            return false;
        }
        float[] p = FloatPaths.floats(param), g = FloatPaths.floats(grad);
        float[] ma = FloatPaths.floats(m), va = FloatPaths.floats(v);
        int o = (int) param.offset();
        int n = (int) param.size();
        float a = (float) alpha, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2), e = (float) eps;
        float keep = (float) (1 - decay);
        boolean decays = decay != 0;
        run(n, 4, (from, to) -> {
            for (int i = o + from, end = o + to; i < end; i++) {
                float gi = g[i];
                float mi = ma[i];
                float vi = va[i];
                mi += (gi - mi) * c1;
                vi += (gi * gi - vi) * c2;
                ma[i] = mi;
                va[i] = vi;
                float pi = decays ? p[i] * keep : p[i];
                p[i] = pi - a * mi / ((float) Math.sqrt(vi) + e);
            }
        });
        return true;
    }
}
