/*
 * JNI entry points of dev.nabla.cpu.BlasThreads: the thread count of the BLAS that netlib loaded, and
 * whether the BLAS can be opened at all before netlib tries (open, at the end).
 *
 * OpenBLAS reads OPENBLAS_NUM_THREADS once, when it is loaded, and a Java process cannot set its own
 * environment; openblas_set_num_threads() is the only way to change the count from inside the JVM.
 * The library is found by the name netlib dlopen()ed, with RTLD_NOLOAD (it must already be loaded, so
 * this never loads a second BLAS), and the functions are looked up in it and its dependencies
 * (Debian's libblas.so.3 of OpenBLAS forwards to libopenblas.so.0).
 */
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>

enum { NOT_LOADED = -1, NO_THREAD_CONTROL = -2 };

/* Runs `call` on the symbol `symbol` of the loaded library named by `library`; returns its result or an error code. */
static jint with_symbol(JNIEnv *env, jstring library, const char *symbol, jint (*call)(void *function, jint argument),
                        jint argument) {
    const char *name = (*env)->GetStringUTFChars(env, library, NULL);
    if (name == NULL) {
        return NOT_LOADED; /* out of memory: an exception is pending */
    }
    void *lib = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
    (*env)->ReleaseStringUTFChars(env, library, name);
    if (lib == NULL) {
        return NOT_LOADED;
    }
    void *function = dlsym(lib, symbol);
    jint result = function == NULL ? NO_THREAD_CONTROL : call(function, argument);
    dlclose(lib);
    return result;
}

static jint call_set(void *function, jint threads) {
    ((void (*)(int)) function)(threads);
    return 0;
}

static jint call_get(void *function, jint unused) {
    (void) unused;
    return ((int (*)(void)) function)();
}

/* static native int setThreads(String library, int threads): 0, or NOT_LOADED / NO_THREAD_CONTROL. */
JNIEXPORT jint JNICALL Java_dev_nabla_cpu_BlasThreads_setThreads(JNIEnv *env, jclass cls, jstring library, jint threads) {
    (void) cls;
    return with_symbol(env, library, "openblas_set_num_threads", call_set, threads);
}

/* static native int threads(String library): OpenBLAS's thread count, or NOT_LOADED / NO_THREAD_CONTROL. */
JNIEXPORT jint JNICALL Java_dev_nabla_cpu_BlasThreads_threads(JNIEnv *env, jclass cls, jstring library) {
    (void) cls;
    return with_symbol(env, library, "openblas_get_num_threads", call_get, 0);
}

/*
 * static native String open(String library): opens the BLAS that netlib is about to open, for good, or
 * returns the loader's reason why it cannot (null when it opened). netlib copies its JNI library into
 * the temporary directory before it tries, and the copy of a failed try outlives a killed JVM; asking
 * first means no copy is made on a host without a BLAS. The handle is kept: netlib opens the same
 * library next, so nothing more stays loaded than it would anyway.
 */
JNIEXPORT jstring JNICALL Java_dev_nabla_cpu_BlasThreads_open(JNIEnv *env, jclass cls, jstring library) {
    (void) cls;
    const char *name = (*env)->GetStringUTFChars(env, library, NULL);
    if (name == NULL) {
        return NULL; /* out of memory: an exception is pending */
    }
    void *lib = dlopen(name, RTLD_LAZY);
    (*env)->ReleaseStringUTFChars(env, library, name);
    if (lib != NULL) {
        return NULL;
    }
    const char *why = dlerror();
    return (*env)->NewStringUTF(env, why != NULL ? why : "dlopen failed");
}
