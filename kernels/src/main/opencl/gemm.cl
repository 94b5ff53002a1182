/*
 * Batched GEMM, C[b] = op(A[b]) · op(B[b]), with our own kernels (needs the host prelude):
 * gemm_tiled for GPUs, gemm_vec / gemm_vec_bt for CPU devices, gemm_simple as the fallback.
 *
 * A work group of 16×16 items computes a 64×64 tile of C; each item accumulates a 4×4 block
 * in registers (rows ty + 16·i, columns tx + 16·j, so neighbouring items touch neighbouring
 * columns). Tiles of 64×16 of op(A) and 16×64 of op(B) are staged in local memory, loaded
 * along the axis that is contiguous in global memory for either transpose. Edges are
 * zero-padded on load and masked on store, so any m, n, k work.
 *
 * A is stored [rows, cols] with leading dimension lda (row stride) and unit column stride;
 * op(A) is A, or Aᵀ when ta ≠ 0. Likewise B. The batch index is global id 2; a batch stride
 * of 0 broadcasts an operand.
 */

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define GROUP 16
#define WORK 4 /* TILE_M / GROUP */
#define VEC_ROWS 8
#define VEC_COLS 4
#define VEC_KB 64

__kernel __attribute__((reqd_work_group_size(GROUP, GROUP, 1)))
void gemm_tiled(int M, int N, int K, int ta, int tb,
                __global const T *A, long aoff, long abatch, long lda,
                __global const T *B, long boff, long bbatch, long ldb,
                __global T *C, long coff, long cbatch, long ldc) {
    __local T As[TILE_K][TILE_M];
    __local T Bs[TILE_K][TILE_N];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * GROUP + tx;
    const int row0 = get_group_id(1) * TILE_M, col0 = get_group_id(0) * TILE_N;
    const long batch = get_global_id(2);
    A += aoff + batch * abatch;
    B += boff + batch * bbatch;
    C += coff + batch * cbatch;

    T acc[WORK][WORK];
    for (int i = 0; i < WORK; i++)
        for (int j = 0; j < WORK; j++) acc[i][j] = 0;

    for (int k0 = 0; k0 < K; k0 += TILE_K) {
        for (int l = 0; l < (TILE_M * TILE_K) / (GROUP * GROUP); l++) {
            int e = tid + l * GROUP * GROUP;
            int mm = ta ? e % TILE_M : e / TILE_K;
            int kk = ta ? e / TILE_M : e % TILE_K;
            int gm = row0 + mm, gk = k0 + kk;
            As[kk][mm] = (gm < M && gk < K) ? (ta ? A[(long)gk * lda + gm] : A[(long)gm * lda + gk]) : (T)0;
        }
        for (int l = 0; l < (TILE_N * TILE_K) / (GROUP * GROUP); l++) {
            int e = tid + l * GROUP * GROUP;
            int nn = tb ? e / TILE_K : e % TILE_N;
            int kk = tb ? e % TILE_K : e / TILE_N;
            int gn = col0 + nn, gk = k0 + kk;
            Bs[kk][nn] = (gn < N && gk < K) ? (tb ? B[(long)gn * ldb + gk] : B[(long)gk * ldb + gn]) : (T)0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TILE_K; k++) {
            T a[WORK], b[WORK];
            for (int i = 0; i < WORK; i++) a[i] = As[k][ty + i * GROUP];
            for (int j = 0; j < WORK; j++) b[j] = Bs[k][tx + j * GROUP];
            for (int i = 0; i < WORK; i++)
                for (int j = 0; j < WORK; j++) acc[i][j] = mad(a[i], b[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int i = 0; i < WORK; i++) {
        int gm = row0 + ty + i * GROUP;
        if (gm >= M) continue;
        for (int j = 0; j < WORK; j++) {
            int gn = col0 + tx + j * GROUP;
            if (gn < N) C[(long)gm * ldc + gn] = acc[i][j];
        }
    }
}

/* The fallback for devices whose work groups cannot hold 16×16 items: one item per element of C. */
__kernel void gemm_simple(int M, int N, int K, int ta, int tb,
                          __global const T *A, long aoff, long abatch, long lda,
                          __global const T *B, long boff, long bbatch, long ldb,
                          __global T *C, long coff, long cbatch, long ldc) {
    const int col = get_global_id(0), row = get_global_id(1);
    const long batch = get_global_id(2);
    if (row >= M || col >= N) return;
    A += aoff + batch * abatch;
    B += boff + batch * bbatch;
    T acc = 0;
    for (int k = 0; k < K; k++) {
        T a = ta ? A[(long)k * lda + row] : A[(long)row * lda + k];
        T b = tb ? B[(long)col * ldb + k] : B[(long)k * ldb + col];
        acc = mad(a, b, acc);
    }
    C[coff + batch * cbatch + (long)row * ldc + col] = acc;
}

/*
 * The kernels for CPU devices (PoCL, Intel/AMD CPU runtimes): no local memory and no barriers,
 * which CPU runtimes turn into loops that keep every variable live across a barrier in memory.
 * Instead each item holds a register block in explicit vectors (VW = 16 floats or 8 doubles,
 * one AVX-512 register), like a BLAS micro-kernel, and caches do the staging.
 *
 * gemm_vec: VEC_ROWS rows × VW columns of C per item, groups of 4×4 items stepping through k in
 * blocks of VEC_KB together (B transposed is gathered: correct, not fast).
 */
__kernel void gemm_vec(int M, int N, int K, int ta, int tb,
                       __global const T *A, long aoff, long abatch, long lda,
                       __global const T *B, long boff, long bbatch, long ldb,
                       __global T *C, long coff, long cbatch, long ldc) {
    const int col0 = get_global_id(0) * VW;
    const int row0 = get_global_id(1) * VEC_ROWS;
    const long batch = get_global_id(2);
    const bool live = col0 < N; /* items past the edge still take part in the barriers */
    A += aoff + batch * abatch;
    B += boff + batch * bbatch;
    C += coff + batch * cbatch;
    long ar[VEC_ROWS];
    for (int r = 0; r < VEC_ROWS; r++) ar[r] = min(row0 + r, M - 1);
    TV acc[VEC_ROWS];
    for (int r = 0; r < VEC_ROWS; r++) acc[r] = (TV)(0);
    const bool full = col0 + VW <= N;
    /* k in blocks, with a barrier after each, so that the group's items work on the same block of A
     * and B while it is in cache (a CPU runtime runs the items of a group one after another) */
    for (int k0 = 0; k0 < K; k0 += VEC_KB) {
        int kend = min(k0 + VEC_KB, K);
        for (int k = k0; live && k < kend; k++) {
            TV b;
            if (full && !tb) {
                b = VLOAD(0, B + (long)k * ldb + col0);
            } else { /* the last, partial vector, or a gather when B is transposed */
                T tmp[VW];
                for (int j = 0; j < VW; j++) tmp[j] = col0 + j >= N ? 0 : (tb ? B[(long)(col0 + j) * ldb + k] : B[(long)k * ldb + col0 + j]);
                b = VLOAD(0, tmp);
            }
            for (int r = 0; r < VEC_ROWS; r++) {
                T a = ta ? A[(long)k * lda + ar[r]] : A[ar[r] * lda + k];
                acc[r] = mad((TV)(a), b, acc[r]);
            }
        }
        barrier(CLK_GLOBAL_MEM_FENCE);
    }
    if (!live) return;
    for (int r = 0; r < VEC_ROWS; r++) {
        if (row0 + r >= M) break;
        __global T *c = C + (long)(row0 + r) * ldc + col0;
        if (full) {
            VSTORE(acc[r], 0, c);
        } else {
            T tmp[VW];
            VSTORE(acc[r], 0, tmp);
            for (int j = 0; j < VW && col0 + j < N; j++) c[j] = tmp[j];
        }
    }
}

/* gemm_vec_bt: B transposed (stored [N, K]), A not: VEC_ROWS × VEC_COLS dot products along k in VW-wide vectors. */
__kernel void gemm_vec_bt(int M, int N, int K, int ta, int tb,
                          __global const T *A, long aoff, long abatch, long lda,
                          __global const T *B, long boff, long bbatch, long ldb,
                          __global T *C, long coff, long cbatch, long ldc) {
    const int col0 = get_global_id(0) * VEC_COLS;
    const int row0 = get_global_id(1) * VEC_ROWS;
    const long batch = get_global_id(2);
    if (col0 >= N) return;
    A += aoff + batch * abatch;
    B += boff + batch * bbatch;
    C += coff + batch * cbatch;
    __global const T *ap[VEC_ROWS];
    __global const T *bp[VEC_COLS];
    for (int r = 0; r < VEC_ROWS; r++) ap[r] = A + (long)min(row0 + r, M - 1) * lda;
    for (int c = 0; c < VEC_COLS; c++) bp[c] = B + (long)min(col0 + c, N - 1) * ldb;
    TV acc[VEC_ROWS][VEC_COLS];
    for (int r = 0; r < VEC_ROWS; r++) for (int c = 0; c < VEC_COLS; c++) acc[r][c] = (TV)(0);
    int k = 0;
    for (; k + VW <= K; k += VW) {
        TV bv[VEC_COLS];
        for (int c = 0; c < VEC_COLS; c++) bv[c] = VLOAD(0, bp[c] + k);
        for (int r = 0; r < VEC_ROWS; r++) {
            TV av = VLOAD(0, ap[r] + k);
            for (int c = 0; c < VEC_COLS; c++) acc[r][c] = mad(av, bv[c], acc[r][c]);
        }
    }
    for (int r = 0; r < VEC_ROWS; r++) {
        if (row0 + r >= M) break;
        for (int c = 0; c < VEC_COLS; c++) {
            if (col0 + c >= N) break;
            T s = 0;
            T tmp[VW];
            VSTORE(acc[r][c], 0, tmp);
            for (int j = 0; j < VW; j++) s += tmp[j];
            for (int kk = k; kk < K; kk++) s = mad(ap[r][kk], bp[c][kk], s);
            C[(long)(row0 + r) * ldc + col0 + c] = s;
        }
    }
}
