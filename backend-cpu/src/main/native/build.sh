#!/bin/sh
# Builds the CPU backend's JNI libraries into OUTPUT_DIR, one per folder beside this script:
#   libnablablasthreads.so  (blas-threads/, see BlasThreads)       the BLAS's thread count
#   libnablalanes.so        (lane-kernels/, see NativeLaneKernels)  vectorized lane kernels
# Without a C compiler, without jni.h, or off Linux x86-64, it prints why and builds nothing: the backend
# then runs without them and says so in its start-up log. CC overrides the compiler (default gcc).
#   usage: build.sh OUTPUT_DIR JAVA_HOME
set -eu
out="${1:?usage: build.sh OUTPUT_DIR JAVA_HOME}"
jdk="${2:?usage: build.sh OUTPUT_DIR JAVA_HOME}"
here=$(cd "$(dirname "$0")" && pwd)
cc="${CC:-gcc}"
platform="$(uname -s)-$(uname -m)"
libraries="libnablablasthreads.so libnablalanes.so"
why=""
if [ "$platform" != "Linux-x86_64" ]; then
    why="they are for Linux-x86_64, this is $platform"
elif ! command -v "$cc" >/dev/null 2>&1; then
    why="$cc not found (install gcc to build them)"
elif [ ! -f "$jdk/include/jni.h" ]; then
    why="no $jdk/include/jni.h (build with a JDK, not a JRE)"
fi
if [ -n "$why" ]; then
    echo "[nabla] not building the CPU backend's native libraries: $why"
    for library in $libraries; do rm -f "$out/$library"; done
    exit 0
fi
mkdir -p "$out"

# build LIBRARY SOURCE FLAGS...: compiles one library, written under a temporary name and renamed when complete
build() {
    library="$1" source="$2"
    shift 2
    "$cc" -shared -fPIC -std=c11 -Wall -Wextra -s -Wl,-z,noexecstack -Wl,--no-undefined \
        -I"$jdk/include" -I"$jdk/include/linux" -o "$out/$library.tmp" "$here/$source" "$@"
    mv -f "$out/$library.tmp" "$out/$library"
    echo "[nabla] built $out/$library"
}

build libnablablasthreads.so blas-threads/blas_threads.c -O2 -ldl
# -ffp-contract=off: no multiply fused with an add, so that tanh and exp round every step as Java does and give
# FloatMath's bits on every CPU (the Java and Vector API kernels compute the same operations); -fno-trapping-math:
# floating-point exceptions' flags may be raised where the C source would not (Java never reads them), which
# lets gcc compute both sides of a select and blend, so the loops with selects are vectorized too
build libnablalanes.so lane-kernels/lane_kernels.c -O3 -ffp-contract=off -fno-trapping-math
