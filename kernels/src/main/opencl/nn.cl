/*
 * Fused neural-network kernels (needs common.cl and the host prelude): softmax rows,
 * softmax cross-entropy and its backward, one-hot, bias + activation, Philox random draws and
 * the optimizer updates. Row kernels give each row to a work group (of size 1 for short rows).
 */

/* Combines v over the work group (max if want_max, else sum); every item gets the result. */
inline CT group_combine(__local CT *scratch, CT v, int want_max) {
    int lid = get_local_id(0), lsize = get_local_size(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = lsize / 2; width > 0; width /= 2) {
        if (lid < width) {
            scratch[lid] = want_max ? java_max(scratch[lid], scratch[lid + width]) : scratch[lid] + scratch[lid + width];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    CT result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}

/* The row's max and Σ exp(x − max). */
inline CT2 row_stats(__global const T *x, long cols, __local CT *scratch) {
    int lid = get_local_id(0), lsize = get_local_size(0);
    CT m = (CT)(-INFINITY);
    for (long c = lid; c < cols; c += lsize) m = java_max(m, (CT)x[c]);
    m = group_combine(scratch, m, 1);
    CT s = 0;
    for (long c = lid; c < cols; c += lsize) s += exp((CT)x[c] - m);
    s = group_combine(scratch, s, 0);
    return (CT2)(m, s);
}

__kernel void softmax_rows(long rows, long cols, __global const T *x, long xoff, __global T *out, long ooff,
                           int log_softmax, __local CT *scratch) {
    int lid = get_local_id(0), lsize = get_local_size(0);
    for (long r = get_group_id(0); r < rows; r += get_num_groups(0)) {
        __global const T *xr = x + xoff + r * cols;
        __global T *orow = out + ooff + r * cols;
        CT2 st = row_stats(xr, cols, scratch);
        CT m = st.s0, s = st.s1, logs = log(s);
        for (long c = lid; c < cols; c += lsize) {
            CT shifted = (CT)xr[c] - m;
            orow[c] = log_softmax ? (T)(shifted - logs) : (T)(exp(shifted) / s);
        }
    }
}

/* loss[r] = −Σ_c t·logsoftmax(x) (terms with t = 0 skipped, so −∞ logits give no NaN); probs = softmax(x). */
__kernel void softmax_xent_rows(long rows, long cols, __global const T *x, long xoff, __global const T *t, long toff,
                                __global T *loss, long lossoff, __global T *probs, long poff, __local CT *scratch) {
    int lid = get_local_id(0), lsize = get_local_size(0);
    for (long r = get_group_id(0); r < rows; r += get_num_groups(0)) {
        __global const T *xr = x + xoff + r * cols;
        __global const T *tr = t + toff + r * cols;
        __global T *pr = probs + poff + r * cols;
        CT2 st = row_stats(xr, cols, scratch);
        CT m = st.s0, s = st.s1, logs = log(s);
        CT partial = 0;
        for (long c = lid; c < cols; c += lsize) {
            CT shifted = (CT)xr[c] - m;
            CT target = (CT)tr[c];
            if (target != 0) partial -= target * (shifted - logs);
            pr[c] = (T)(exp(shifted) / s);
        }
        partial = group_combine(scratch, partial, 0);
        if (lid == 0) loss[lossoff + r] = (T)partial;
    }
}

__kernel void softmax_xent_backward(long n, long cols, __global const T *p, long poff, __global const T *t, long toff,
                                    __global const T *g, long goff, __global T *out, long ooff) {
    FOR_EACH(i, n) out[ooff + i] = (T)(((CT)p[poff + i] - (CT)t[toff + i]) * (CT)g[goff + i / cols]);
}

__kernel void one_hot(long n, long classes, __global const int *idx, long ioff, __global T *out, long ooff) {
    FOR_EACH(i, n * classes) out[ooff + i] = idx[ioff + i / classes] == (int)(i % classes) ? (T)1 : (T)0;
}

/* out[k, :] = src[rows[k], :] for the n = count·cols elements of out. */
__kernel void gather_rows(long n, long cols, __global const T *src, long soff, __global const int *rows, long roff,
                          __global T *out, long ooff) {
    FOR_EACH(i, n) out[ooff + i] = src[soff + (long)rows[roff + i / cols] * cols + i % cols];
}

/* activation < 0: none. */
__kernel void bias_activation(long n, long cols, __global const T *x, long xoff, __global const T *bias, long boff,
                              __global T *out, long ooff, int activation, CT a) {
    FOR_EACH(i, n) {
        CT v = (CT)x[xoff + i] + (CT)bias[boff + i % cols];
        out[ooff + i] = (T)(activation < 0 ? v : unary_apply(activation, v, a, 0));
    }
}

/* ---------------------------------------------------------------- Philox4x32-10 (dev.nabla.backend.Philox) */

inline uint4 philox(ulong seed, ulong block) {
    uint c0 = (uint)block, c1 = (uint)(block >> 32), c2 = 0, c3 = 0;
    uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        uint hi0 = mul_hi(c0, 0xD2511F53u), lo0 = c0 * 0xD2511F53u;
        uint hi1 = mul_hi(c2, 0xCD9E8D57u), lo1 = c2 * 0xCD9E8D57u;
        uint n0 = hi1 ^ c1 ^ k0;
        uint n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return (uint4)(c0, c1, c2, c3);
}

/*
 * One work item per Philox block: 4 elements for UNIFORM and DROPOUT_MASK, 2 for NORMAL, so
 * element i uses the same word as the reference. keepBelow = ⌈a·2²⁴⌉ makes the dropout test
 * (bits >>> 8) < keepBelow exactly the reference's unit(bits) < a; keepValue = 1/a.
 */
__kernel void random_philox(int kind, long seed, long counter, long n, RT a, RT b, long keepBelow, RT keepValue,
                            __global T *out, long ooff) {
    int per = kind == RK_NORMAL ? 2 : 4;
    long blocks = (n + per - 1) / per;
    FOR_EACH(blk, blocks) {
        uint4 w = philox((ulong)seed, (ulong)(counter + blk));
        uint words[4] = {w.s0, w.s1, w.s2, w.s3};
        for (int j = 0; j < per; j++) {
            long i = blk * per + j;
            if (i >= n) break;
            RT value;
            if (kind == RK_NORMAL) {
                RT u1 = (RT)((words[2 * j] >> 8) + 1) * (RT)0x1.0p-24;
                RT u2 = (RT)(words[2 * j + 1] >> 8) * (RT)0x1.0p-24;
                value = a + b * sqrt((RT)-2 * log(u1)) * cos(RT_TWO_PI * u2);
            } else if (kind == RK_DROPOUT_MASK) {
                value = (long)(words[j] >> 8) < keepBelow ? keepValue : (RT)0;
            } else {
                value = a + (b - a) * ((RT)(words[j] >> 8) * (RT)0x1.0p-24);
            }
            out[ooff + i] = (T)value;
        }
    }
}

/* ---------------------------------------------------------------- optimizer updates (Keras 3 semantics)
 * Complements such as 1 − β₂ come from the host in double: 1 − 0.999 in float is off by 1e-5 relative. */

__kernel void sgd_plain(long n, __global T *p, long poff, __global const T *g, long goff, CT lr) {
    FOR_EACH(i, n) p[poff + i] = (T)((CT)p[poff + i] - lr * (CT)g[goff + i]);
}

__kernel void sgd_momentum(long n, __global T *p, long poff, __global const T *g, long goff, __global T *v, long voff,
                           CT lr, CT momentum, int nesterov) {
    FOR_EACH(i, n) {
        CT grad = g[goff + i];
        CT vel = momentum * (CT)v[voff + i] - lr * grad;
        v[voff + i] = (T)vel;
        CT step = nesterov ? momentum * vel - lr * grad : vel;
        p[poff + i] = (T)((CT)p[poff + i] + step);
    }
}

__kernel void rmsprop(long n, __global T *p, long poff, __global const T *g, long goff, __global T *ms, long msoff,
                      CT lr, CT rho, CT oneMinusRho, CT eps) {
    FOR_EACH(i, n) {
        CT grad = g[goff + i];
        CT meanSquare = rho * (CT)ms[msoff + i] + oneMinusRho * grad * grad;
        ms[msoff + i] = (T)meanSquare;
        p[poff + i] = (T)((CT)p[poff + i] - lr * grad / sqrt(meanSquare + eps));
    }
}

__kernel void adam(long n, __global T *p, long poff, __global const T *g, long goff, __global T *m, long moff,
                   __global T *v, long voff, CT alpha, CT oneMinusBeta1, CT oneMinusBeta2, CT eps, CT keep) {
    FOR_EACH(i, n) {
        CT grad = g[goff + i];
        CT param = (CT)p[poff + i] * keep;
        CT mi = (CT)m[moff + i];
        CT vi = (CT)v[voff + i];
        mi += (grad - mi) * oneMinusBeta1;
        vi += (grad * grad - vi) * oneMinusBeta2;
        m[moff + i] = (T)mi;
        v[voff + i] = (T)vi;
        p[poff + i] = (T)(param - alpha * mi / (sqrt(vi) + eps));
    }
}
