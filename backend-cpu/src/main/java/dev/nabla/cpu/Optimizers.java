package dev.nabla.cpu;

import dev.nabla.backend.View;

/** Fused in-place optimizer updates, one pass over each parameter tensor (formulas: Backend's Javadoc). */
final class Optimizers {
    private Optimizers() {}

    private static Object array(View v) {
        return ((CpuBuffer) v.buffer()).array;
    }

    /** Each operand's chunk into its scratch row: arrays[i] from off[i] with stride st[i] into s[i]. */
    private static void load(Object[] arrays, long[] off, long[] st, double[][] s, int n) {
        for (int i = 0; i < arrays.length; i++) {
            Arrays3.load(arrays[i], off[i], st[i], s[i], n);
        }
    }

    static void sgd(View param, View grad, View velocity, double lr, double momentum, boolean nesterov) {
        if (FloatOptimizers.sgd(param, grad, velocity, lr, momentum, nesterov)) {
            return;
        }
        Object p = array(param), g = array(grad);
        if (velocity == null) {
            Object[] pg = {p, g};
            Strided.of(param, grad).forEach(2, (off, st, n, s) -> {
                load(pg, off, st, s, n);
                for (int i = 0; i < n; i++) {
                    s[0][i] -= lr * s[1][i];
                }
                Arrays3.store(s[0], p, off[0], st[0], n);
            });
            return;
        }
        Object v = array(velocity);
        Object[] pgv = {p, g, v};
        Strided.of(param, grad, velocity).forEach(3, (off, st, n, s) -> {
            load(pgv, off, st, s, n);
            for (int i = 0; i < n; i++) {
                double vel = momentum * s[2][i] - lr * s[1][i];
                s[2][i] = vel;
                s[0][i] += nesterov ? momentum * vel - lr * s[1][i] : vel;
            }
            Arrays3.store(s[0], p, off[0], st[0], n);
            Arrays3.store(s[2], v, off[2], st[2], n);
        });
    }

    static void rmsprop(View param, View grad, View meanSquare, double lr, double rho, double eps) {
        if (FloatOptimizers.rmsprop(param, grad, meanSquare, lr, rho, eps)) {
            return;
        }
        Object p = array(param), ms = array(meanSquare);
        Object[] operands = {p, array(grad), ms};
        Strided.of(param, grad, meanSquare).forEach(3, (off, st, n, s) -> {
            load(operands, off, st, s, n);
            for (int i = 0; i < n; i++) {
                double gi = s[1][i];
                double m = rho * s[2][i] + (1 - rho) * gi * gi;
                s[2][i] = m;
                s[0][i] -= lr * gi / Math.sqrt(m + eps);
            }
            Arrays3.store(s[0], p, off[0], st[0], n);
            Arrays3.store(s[2], ms, off[2], st[2], n);
        });
    }

    static void adam(
            View param, View grad, View m, View v, double alpha, double beta1, double beta2, double eps, double decay) {
        if (FloatOptimizers.adam(param, grad, m, v, alpha, beta1, beta2, eps, decay)) {
            return;
        }
        Object p = array(param), ma = array(m), va = array(v);
        Object[] operands = {p, array(grad), ma, va};
        Strided.of(param, grad, m, v).forEach(4, (off, st, n, s) -> {
            load(operands, off, st, s, n);
            for (int i = 0; i < n; i++) {
                double gi = s[1][i];
                double pi = s[0][i] * (1 - decay);
                double mi = s[2][i] + (gi - s[2][i]) * (1 - beta1);
                double vi = s[3][i] + (gi * gi - s[3][i]) * (1 - beta2);
                s[0][i] = pi - alpha * mi / (Math.sqrt(vi) + eps);
                s[2][i] = mi;
                s[3][i] = vi;
            }
            Arrays3.store(s[0], p, off[0], st[0], n);
            Arrays3.store(s[2], ma, off[2], st[2], n);
            Arrays3.store(s[3], va, off[3], st[3], n);
        });
    }
}
