/*
 * libcublas.so.12 compatibility shim.
 *
 * JCuda's JCublas natives were linked against CUDA 12's cuBLAS: they have DT_NEEDED libcublas.so.12 and
 * import every cublas* symbol with the version node "libcublas.so.12". A host with only CUDA 13 has
 * libcublas.so.13, whose symbols carry the node "libcublas.so.13", so the natives cannot load there.
 *
 * This library has the SONAME libcublas.so.12, defines that version node (libcublas.so.12.map) and
 * exports every symbol the natives import (cublas12_symbols.h) as a one-instruction trampoline
 * (trampolines.S) that jumps through a slot. The constructor below opens CUDA 13's cuBLAS and fills the
 * slots with its functions; a symbol that cuBLAS 13 lacks keeps the stub, which returns
 * CUBLAS_STATUS_NOT_SUPPORTED. Arguments pass through untouched: the cuBLAS C ABI of the functions
 * JCublas uses is the same in 12 and 13.
 *
 * Which libcublas.so.13 is used, first match wins:
 *   1. one already loaded in the process (Nabla's CublasCompat loads the one it found before this shim);
 *   2. the file named by the environment variable NABLA_CUBLAS_LIBRARY;
 *   3. dlopen("libcublas.so.13") through the loader's usual search (LD_LIBRARY_PATH, ldconfig cache);
 *   4. CUDA 13's usual install locations.
 * NABLA_CUBLAS_SHIM_DEBUG=1 prints the choice and the number of resolved symbols to stderr, =2 also
 * names each symbol left to the stub.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#define HIDDEN __attribute__((visibility("hidden")))
#define CUBLAS_STATUS_NOT_SUPPORTED 15

/* Stands in for every symbol that the target library does not define. */
HIDDEN int nabla_cublas_not_supported(void) {
    return CUBLAS_STATUS_NOT_SUPPORTED;
}

/* One slot per exported symbol; trampolines.S jumps through nabla_slot_<name>. */
#define CUBLAS_SYMBOL(name) HIDDEN void *nabla_slot_##name = (void *) nabla_cublas_not_supported;
#include "cublas12_symbols.h"
#undef CUBLAS_SYMBOL

static const char *const WELL_KNOWN_PATHS[] = {
    "/usr/local/cuda/lib64/libcublas.so.13",
    "/usr/local/cuda/targets/x86_64-linux/lib/libcublas.so.13",
    "/usr/local/cuda-13/lib64/libcublas.so.13",
    "/usr/local/cuda-13/targets/x86_64-linux/lib/libcublas.so.13",
    "/usr/lib/x86_64-linux-gnu/libcublas.so.13",
    "/usr/lib64/libcublas.so.13",
    NULL,
};

/* The debug level from NABLA_CUBLAS_SHIM_DEBUG: 0 silent, 1 summary, 2 every unresolved symbol. */
static int debug_level(void) {
    const char *value = getenv("NABLA_CUBLAS_SHIM_DEBUG");
    return value == NULL ? 0 : atoi(value);
}

static void *open_target(const char **chosen) {
    void *handle = dlopen("libcublas.so.13", RTLD_NOW | RTLD_NOLOAD);
    if (handle != NULL) {
        *chosen = "libcublas.so.13 (already loaded)";
        return handle;
    }
    const char *configured = getenv("NABLA_CUBLAS_LIBRARY");
    if (configured != NULL && *configured != '\0') {
        handle = dlopen(configured, RTLD_NOW | RTLD_LOCAL);
        if (handle != NULL) {
            *chosen = configured;
            return handle;
        }
        if (debug_level() > 0) {
            fprintf(stderr, "[nabla cublas shim] NABLA_CUBLAS_LIBRARY=%s: %s\n", configured, dlerror());
        }
    }
    handle = dlopen("libcublas.so.13", RTLD_NOW | RTLD_LOCAL);
    if (handle != NULL) {
        *chosen = "libcublas.so.13";
        return handle;
    }
    for (const char *const *path = WELL_KNOWN_PATHS; *path != NULL; path++) {
        handle = dlopen(*path, RTLD_NOW | RTLD_LOCAL);
        if (handle != NULL) {
            *chosen = *path;
            return handle;
        }
    }
    return NULL;
}

/* The symbol names and their slots, in the order of cublas12_symbols.h. */
static const struct {
    const char *name;
    void **slot;
} SYMBOLS[] = {
#define CUBLAS_SYMBOL(name) {#name, &nabla_slot_##name},
#include "cublas12_symbols.h"
#undef CUBLAS_SYMBOL
};

__attribute__((constructor)) static void nabla_cublas_shim_init(void) {
    const char *chosen = NULL;
    void *target = open_target(&chosen);
    int debug = debug_level();
    if (target == NULL) {
        if (debug) {
            fprintf(stderr, "[nabla cublas shim] no libcublas.so.13 found: every cuBLAS call returns "
                            "CUBLAS_STATUS_NOT_SUPPORTED\n");
        }
        return;
    }
    size_t total = sizeof SYMBOLS / sizeof SYMBOLS[0];
    size_t resolved = 0;
    for (size_t i = 0; i < total; i++) {
        void *function = dlsym(target, SYMBOLS[i].name);
        if (function != NULL) {
            *SYMBOLS[i].slot = function;
            resolved++;
        } else if (debug > 1) {
            fprintf(stderr, "[nabla cublas shim] %s is not in %s: it returns CUBLAS_STATUS_NOT_SUPPORTED\n",
                    SYMBOLS[i].name, chosen);
        }
    }
    if (debug) {
        fprintf(stderr, "[nabla cublas shim] libcublas.so.12 forwards to %s: %zu of %zu symbols resolved\n",
                chosen, resolved, total);
    }
}
