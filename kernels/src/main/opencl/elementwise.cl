/*
 * Elementwise kernels over strided and broadcast views (needs common.cl and the host prelude).
 * Each has a contiguous form (operands walk with step 1, or 0 for a broadcast scalar) and a
 * strided form (rank ≤ MAX_RANK merged axes, see common.cl). Grid-stride loops: any global size works.
 */

__kernel void fill_contig(long n, __global T *out, long ooff, T value) {
    FOR_EACH(i, n) out[ooff + i] = value;
}

__kernel void fill_strided(long n, int rank, long8 shape, __global T *out, long ooff, long8 os, T value) {
    FOR_EACH(i, n) out[ooff + offset1(i, rank, shape, os)] = value;
}

/* copy_from_<S>: reads S, writes T (a cast when they differ). */
#define DEFINE_COPY(S)                                                                              \
__kernel void copy_from_##S##_contig(long n, __global const S *x, long xoff, long xstep,            \
                                      __global T *out, long ooff) {                                 \
    FOR_EACH(i, n) out[ooff + i] = TO_T(x[xoff + i * xstep]);                                       \
}                                                                                                   \
__kernel void copy_from_##S##_strided(long n, int rank, long8 shape, __global const S *x, long xoff,\
                                       long8 xs, __global T *out, long ooff, long8 os) {            \
    long8 z = (long8)(0);                                                                           \
    FOR_EACH(i, n) {                                                                                \
        long xo = xoff, oo = ooff, d0 = 0, d1 = 0;                                                  \
        offsets4(i, rank, shape, xs, os, z, z, &xo, &oo, &d0, &d1);                                 \
        out[oo] = TO_T(x[xo]);                                                                      \
    }                                                                                               \
}

DEFINE_COPY(float)
DEFINE_COPY(int)
#ifdef HAS_FP64
DEFINE_COPY(double)
#endif

__kernel void unary_contig(int op, CT a, CT b, long n, __global const T *x, long xoff, long xstep,
                           __global T *out, long ooff) {
    FOR_EACH(i, n) out[ooff + i] = TO_T(unary_apply(op, (CT)x[xoff + i * xstep], a, b));
}

__kernel void unary_strided(int op, CT a, CT b, long n, int rank, long8 shape,
                            __global const T *x, long xoff, long8 xs, __global T *out, long ooff, long8 os) {
    long8 z = (long8)(0);
    FOR_EACH(i, n) {
        long xo = xoff, oo = ooff, d0 = 0, d1 = 0;
        offsets4(i, rank, shape, xs, os, z, z, &xo, &oo, &d0, &d1);
        out[oo] = TO_T(unary_apply(op, (CT)x[xo], a, b));
    }
}

__kernel void binary_contig(int op, CT a, long n, __global const T *x, long xoff, long xstep,
                            __global const T *y, long yoff, long ystep, __global T *out, long ooff) {
    FOR_EACH(i, n) out[ooff + i] = TO_T(binary_apply(op, (CT)x[xoff + i * xstep], (CT)y[yoff + i * ystep], a));
}

__kernel void binary_strided(int op, CT a, long n, int rank, long8 shape,
                             __global const T *x, long xoff, long8 xs, __global const T *y, long yoff, long8 ys,
                             __global T *out, long ooff, long8 os) {
    long8 z = (long8)(0);
    FOR_EACH(i, n) {
        long xo = xoff, yo = yoff, oo = ooff, d0 = 0;
        offsets4(i, rank, shape, xs, ys, os, z, &xo, &yo, &oo, &d0);
        out[oo] = TO_T(binary_apply(op, (CT)x[xo], (CT)y[yo], a));
    }
}

/* where_<C>: the condition has element type C, the values T. */
#define DEFINE_WHERE(C)                                                                               \
__kernel void where_##C##_contig(long n, __global const C *c, long coff, long cstep,                  \
                                 __global const T *x, long xoff, long xstep,                          \
                                 __global const T *y, long yoff, long ystep, __global T *out, long ooff) { \
    FOR_EACH(i, n) out[ooff + i] = c[coff + i * cstep] != 0 ? x[xoff + i * xstep] : y[yoff + i * ystep]; \
}                                                                                                     \
__kernel void where_##C##_strided(long n, int rank, long8 shape, __global const C *c, long coff, long8 cs, \
                                  __global const T *x, long xoff, long8 xs, __global const T *y, long yoff, \
                                  long8 ys, __global T *out, long ooff, long8 os) {                   \
    FOR_EACH(i, n) {                                                                                  \
        long co = coff, xo = xoff, yo = yoff, oo = ooff;                                              \
        offsets4(i, rank, shape, cs, xs, ys, os, &co, &xo, &yo, &oo);                                 \
        out[oo] = c[co] != 0 ? x[xo] : y[yo];                                                         \
    }                                                                                                 \
}

DEFINE_WHERE(float)
DEFINE_WHERE(int)
#ifdef HAS_FP64
DEFINE_WHERE(double)
#endif
