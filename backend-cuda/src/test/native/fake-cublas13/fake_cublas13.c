/*
 * A stand-in for CUDA 13's libcublas.so.13 for tests on machines without a GPU: same SONAME and version
 * node as the real library, a handful of functions computed on the host. It lets a test drive the whole
 * chain JCublas2 -> libcublas.so.12 shim -> libcublas.so.13 with host memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CUBLAS_STATUS_SUCCESS 0
#define CUBLAS_STATUS_INVALID_VALUE 7
#define CUBLAS_OP_N 0
#define CUBLAS_OP_T 1
#define FAKE_VERSION 130100

static int fake_handle_storage;
static int fake_pointer_mode; /* CUBLAS_POINTER_MODE_HOST */

int cublasCreate_v2(void **handle) {
    *handle = &fake_handle_storage;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasDestroy_v2(void *handle) {
    return handle == &fake_handle_storage ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
}

int cublasGetVersion_v2(void *handle, int *version) {
    (void) handle;
    *version = FAKE_VERSION;
    return CUBLAS_STATUS_SUCCESS;
}

/* "Device" memory is host memory here: the legacy allocator and the vector copies of cuBLAS. */
int cublasAlloc(int n, int elemSize, void **devicePtr) {
    *devicePtr = calloc((size_t) n, (size_t) elemSize);
    return *devicePtr != NULL ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
}

int cublasFree(void *devicePtr) {
    free(devicePtr);
    return CUBLAS_STATUS_SUCCESS;
}

static int copy_vector(int n, int elemSize, const void *x, int incx, void *y, int incy) {
    if (n < 0 || elemSize <= 0 || incx <= 0 || incy <= 0) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    for (int i = 0; i < n; i++) {
        memcpy((char *) y + (int64_t) i * incy * elemSize, (const char *) x + (int64_t) i * incx * elemSize,
               (size_t) elemSize);
    }
    return CUBLAS_STATUS_SUCCESS;
}

int cublasSetVector(int n, int elemSize, const void *x, int incx, void *devicePtr, int incy) {
    return copy_vector(n, elemSize, x, incx, devicePtr, incy);
}

int cublasGetVector(int n, int elemSize, const void *devicePtr, int incx, void *y, int incy) {
    return copy_vector(n, elemSize, devicePtr, incx, y, incy);
}

/* JCublas2 asks for the pointer mode to know where alpha and beta live. */
int cublasGetPointerMode_v2(void *handle, int *mode) {
    (void) handle;
    *mode = fake_pointer_mode;
    return CUBLAS_STATUS_SUCCESS;
}

int cublasSetPointerMode_v2(void *handle, int mode) {
    (void) handle;
    fake_pointer_mode = mode;
    return CUBLAS_STATUS_SUCCESS;
}

/* Column-major C = alpha * op(A) * op(B) + beta * C, pointers to host memory, alpha and beta on the host. */
int cublasSgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const float *alpha,
                   const float *a, int lda, const float *b, int ldb, const float *beta, float *c, int ldc) {
    if (handle != &fake_handle_storage || m < 0 || n < 0 || k < 0) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            float sum = 0.0f;
            for (int p = 0; p < k; p++) {
                float av = transa == CUBLAS_OP_N ? a[i + (int64_t) p * lda] : a[p + (int64_t) i * lda];
                float bv = transb == CUBLAS_OP_N ? b[p + (int64_t) j * ldb] : b[j + (int64_t) p * ldb];
                sum += av * bv;
            }
            float *out = &c[i + (int64_t) j * ldc];
            *out = *alpha * sum + (*beta == 0.0f ? 0.0f : *beta * *out);
        }
    }
    return CUBLAS_STATUS_SUCCESS;
}
