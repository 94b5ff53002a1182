/*
 * The lane kernels of src/main/native/lane-kernels, built for another CPU than the build machine's (Linux aarch64)
 * and run there under qemu by NativeLaneKernelsOnAarch64Test, which compares what this prints with the scalar Java
 * loops bit for bit. Reads from stdin, in this machine's byte order: int32 rows, cols, then rows * cols floats x,
 * rows * cols floats y, cols floats b (rows >= 8). Writes to stdout, in this order: relu(x), relu_backward(x, y),
 * tanh(x), exp(x), bias_relu(x, b), bias_tanh(x, b) (rows * cols floats each); the column sums of y, from 0
 * (cols doubles); the maximum of each column of x and its flat index, tap by tap down the rows (cols floats, cols
 * int32s); and col2im's adds of x into zeros: 4 windows of 2 rows of cols, x advancing 2 cols a window, the output
 * cols a window and cols a row (5 * cols floats).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lane_kernels.c"

static void *read_all(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL || fread(p, 1, bytes, stdin) != bytes) {
        fprintf(stderr, "lane-kernels-check: short input\n");
        exit(2);
    }
    return p;
}

static void write_all(const void *p, size_t bytes) {
    if (fwrite(p, 1, bytes, stdout) != bytes) {
        exit(3);
    }
}

int main(void) {
    int32_t shape[2];
    memcpy(shape, read_all(sizeof shape), sizeof shape);
    int rows = shape[0], cols = shape[1], n = rows * cols;
    if (rows < 8 || cols < 1) {
        fprintf(stderr, "lane-kernels-check: expected at least 8 rows and 1 column, got %d x %d\n", rows, cols);
        return 2;
    }
    float *x = read_all(sizeof(float) * n), *y = read_all(sizeof(float) * n), *b = read_all(sizeof(float) * cols);
    float *o = calloc(n, sizeof(float));
    relu(x, o, n);
    write_all(o, sizeof(float) * n);
    relu_backward(x, y, o, n);
    write_all(o, sizeof(float) * n);
    tanh_floats(x, o, n);
    write_all(o, sizeof(float) * n);
    exp_floats(x, o, n);
    write_all(o, sizeof(float) * n);
    bias_relu(x, b, o, rows, cols);
    write_all(o, sizeof(float) * n);
    bias_tanh(x, b, o, rows, cols);
    write_all(o, sizeof(float) * n);

    double *sums = calloc(cols, sizeof(double));
    add_rows_into(y, cols, rows, sums, cols);
    write_all(sums, sizeof(double) * cols);

    float *max = malloc(sizeof(float) * cols);
    int32_t *arg = malloc(sizeof(int32_t) * cols);
    memcpy(max, x, sizeof(float) * cols);
    for (int j = 0; j < cols; j++) {
        arg[j] = j;
    }
    for (int r = 1; r < rows; r++) {
        max_with_index(x + (long) r * cols, cols, max, arg, r * cols, 1, cols);
    }
    write_all(max, sizeof(float) * cols);
    write_all(arg, sizeof(int32_t) * cols);

    float *windows = calloc(5 * (size_t) cols, sizeof(float));
    add_window_rows(x, 2 * cols, windows, cols, cols, 4, 2, cols);
    write_all(windows, sizeof(float) * 5 * cols);
    return fflush(stdout) == 0 ? 0 : 3;
}
