/*
 * Reductions over the trailing axes of a strided view (needs common.cl and the host prelude).
 * The kept (outer) and reduced (inner) axes arrive merged and innermost first, like elementwise
 * views. The serial kernels give each output to one work item (many short rows); the group
 * kernels give each output to a work group that combines partial results in local memory (few long rows).
 * Over zero elements SUM gives 0, MAX −∞ and MIN +∞. ARGMAX/ARGMIN: first index wins ties, NaN counts as the extreme.
 */

inline long inner_offset(long r, int irank, long8 ishape, long8 istride) {
    return irank <= 1 ? r * istride.s0 : offset1(r, irank, ishape, istride);
}

inline CT reduce_init(int op) {
    return op == ROP_SUM ? (CT)0 : (op == ROP_MAX || op == ROP_ARGMAX ? (CT)(-INFINITY) : (CT)INFINITY);
}

inline CT reduce_combine(int op, CT acc, CT v) {
    return op == ROP_SUM ? acc + v : (op == ROP_MAX ? java_max(acc, v) : java_min(acc, v));
}

/* Whether (v, i) beats the best so far (bv, bi) for ARGMAX/ARGMIN. */
inline bool arg_better(int op, CT v, int i, CT bv, int bi) {
    bool vn = isnan(v), bn = isnan(bv);
    if (vn || bn) {
        return vn && !bn ? true : (!vn && bn ? false : i < bi);
    }
    if (op == ROP_ARGMAX ? v > bv : v < bv) {
        return true;
    }
    return v == bv && i < bi;
}

__kernel void reduce_serial(int op, long outer, long inner, int orank, long8 oshape, long8 ostride,
                            int irank, long8 ishape, long8 istride,
                            __global const T *x, long xoff, __global T *out, long ooff) {
    FOR_EACH(o, outer) {
        long base = xoff + offset1(o, orank, oshape, ostride);
        CT acc = reduce_init(op), carry = 0;
        for (long r = 0; r < inner; r++) {
            CT v = x[base + inner_offset(r, irank, ishape, istride)];
            if (op == ROP_SUM) { /* Kahan: long float sums stay close to the FLOAT64 reference */
                CT yv = v - carry;
                CT t = acc + yv;
                carry = (t - acc) - yv;
                acc = t;
            } else {
                acc = reduce_combine(op, acc, v);
            }
        }
        out[ooff + o] = TO_T(acc);
    }
}

__kernel void argreduce_serial(int op, long outer, long inner, int orank, long8 oshape, long8 ostride,
                               int irank, long8 ishape, long8 istride,
                               __global const T *x, long xoff, __global int *out, long ooff) {
    FOR_EACH(o, outer) {
        long base = xoff + offset1(o, orank, oshape, ostride);
        CT best = reduce_init(op);
        int bi = 0x7fffffff;
        for (long r = 0; r < inner; r++) {
            CT v = x[base + inner_offset(r, irank, ishape, istride)];
            if (arg_better(op, v, (int)r, best, bi)) { best = v; bi = (int)r; }
        }
        out[ooff + o] = inner == 0 ? 0 : bi;
    }
}

__kernel void reduce_group(int op, long outer, long inner, int orank, long8 oshape, long8 ostride,
                           int irank, long8 ishape, long8 istride,
                           __global const T *x, long xoff, __global T *out, long ooff, __local CT *partial) {
    int lid = get_local_id(0), lsize = get_local_size(0);
    for (long o = get_group_id(0); o < outer; o += get_num_groups(0)) {
        long base = xoff + offset1(o, orank, oshape, ostride);
        CT acc = reduce_init(op), carry = 0;
        for (long r = lid; r < inner; r += lsize) {
            CT v = x[base + inner_offset(r, irank, ishape, istride)];
            if (op == ROP_SUM) {
                CT yv = v - carry;
                CT t = acc + yv;
                carry = (t - acc) - yv;
                acc = t;
            } else {
                acc = reduce_combine(op, acc, v);
            }
        }
        partial[lid] = acc;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int width = lsize / 2; width > 0; width /= 2) {
            if (lid < width) partial[lid] = reduce_combine(op, partial[lid], partial[lid + width]);
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (lid == 0) out[ooff + o] = TO_T(partial[0]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

__kernel void argreduce_group(int op, long outer, long inner, int orank, long8 oshape, long8 ostride,
                              int irank, long8 ishape, long8 istride,
                              __global const T *x, long xoff, __global int *out, long ooff,
                              __local CT *pv, __local int *pi) {
    int lid = get_local_id(0), lsize = get_local_size(0);
    for (long o = get_group_id(0); o < outer; o += get_num_groups(0)) {
        long base = xoff + offset1(o, orank, oshape, ostride);
        CT best = reduce_init(op);
        int bi = 0x7fffffff;
        for (long r = lid; r < inner; r += lsize) {
            CT v = x[base + inner_offset(r, irank, ishape, istride)];
            if (arg_better(op, v, (int)r, best, bi)) { best = v; bi = (int)r; }
        }
        pv[lid] = best;
        pi[lid] = bi;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int width = lsize / 2; width > 0; width /= 2) {
            if (lid < width && arg_better(op, pv[lid + width], pi[lid + width], pv[lid], pi[lid])) {
                pv[lid] = pv[lid + width];
                pi[lid] = pi[lid + width];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (lid == 0) out[ooff + o] = inner == 0 ? 0 : pi[0];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}
