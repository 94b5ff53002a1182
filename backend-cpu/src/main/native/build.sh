#!/bin/sh
# Builds the CPU backend's JNI libraries into NATIVE_DIR/<platform>/, one per folder beside this script:
#   libnablablasthreads.so  (blas-threads/, see BlasThreads)       the BLAS's thread count
#   libnablalanes.so        (lane-kernels/, see NativeLaneKernels)  vectorized lane kernels
# On Linux x86-64 both go to linux-x86_64/. Where a cross compiler for Linux aarch64 is installed
# (aarch64-linux-gnu-gcc: Debian's gcc-aarch64-linux-gnu and libc6-dev-arm64-cross), the lane kernels are built for
# it too, into linux-aarch64/, with the program that runs them under qemu for the tests (CHECK_DIR/linux-aarch64/
# lane-kernels-check, from src/test/native; not in the jar). What it cannot build (no compiler, no jni.h, not on
# Linux x86-64) it says and skips: the backend then runs without it and says so in its start-up log.
# CC overrides the compiler (default gcc), CROSS_CC the aarch64 one.
#   usage: build.sh NATIVE_DIR JAVA_HOME CHECK_DIR
set -eu
native="${1:?usage: build.sh NATIVE_DIR JAVA_HOME CHECK_DIR}"
jdk="${2:?usage: build.sh NATIVE_DIR JAVA_HOME CHECK_DIR}"
check="${3:?usage: build.sh NATIVE_DIR JAVA_HOME CHECK_DIR}"
here=$(cd "$(dirname "$0")" && pwd)
cc="${CC:-gcc}"
cross_cc="${CROSS_CC:-aarch64-linux-gnu-gcc}"
platform="$(uname -s)-$(uname -m)"
why=""
if [ "$platform" != "Linux-x86_64" ]; then
    why="they are built on Linux-x86_64, this is $platform"
elif [ ! -f "$jdk/include/jni.h" ]; then
    why="no $jdk/include/jni.h (build with a JDK, not a JRE)"
fi
if [ -n "$why" ]; then
    echo "[nabla] not building the CPU backend's native libraries: $why"
    rm -rf "$native/linux-x86_64" "$native/linux-aarch64" "$check/linux-aarch64"
    exit 0
fi

# build COMPILER OUTPUT SOURCE FLAGS...: compiles one library or program (jni.h's platform part is the same on both Linux
# platforms), written under a temporary name and renamed when complete
build() {
    compiler="$1" output="$2" source="$3"
    shift 3
    mkdir -p "$(dirname "$output")"
    "$compiler" -std=c11 -Wall -Wextra -s -Wl,-z,noexecstack \
        -I"$jdk/include" -I"$jdk/include/linux" -o "$output.tmp" "$here/$source" "$@"
    mv -f "$output.tmp" "$output"
    echo "[nabla] built $output"
}

# -ffp-contract=off: no multiply fused with an add, so that tanh and exp round every step as Java does and give
# FloatMath's bits on every CPU (the Java and Vector API kernels compute the same operations); -fno-trapping-math:
# floating-point exceptions' flags may be raised where the C source would not (Java never reads them), which
# lets gcc compute both sides of a select and blend, so the loops with selects are vectorized too
lanes="-O3 -ffp-contract=off -fno-trapping-math"
library="-shared -fPIC -Wl,--no-undefined"

if command -v "$cc" >/dev/null 2>&1; then
    build "$cc" "$native/linux-x86_64/libnablablasthreads.so" blas-threads/blas_threads.c $library -O2 -ldl
    build "$cc" "$native/linux-x86_64/libnablalanes.so" lane-kernels/lane_kernels.c $library $lanes
else
    echo "[nabla] not building the CPU backend's native libraries for Linux x86-64: $cc not found (install gcc)"
    rm -rf "$native/linux-x86_64"
fi

if command -v "$cross_cc" >/dev/null 2>&1; then
    build "$cross_cc" "$native/linux-aarch64/libnablalanes.so" lane-kernels/lane_kernels.c $library $lanes
    # static, so that qemu-aarch64 runs it without an aarch64 root file system
    build "$cross_cc" "$check/linux-aarch64/lane-kernels-check" ../../test/native/lane-kernels-check/check.c \
        -static $lanes -I"$here/lane-kernels"
else
    echo "[nabla] not building the lane kernels for Linux aarch64: no $cross_cc (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
    rm -rf "$native/linux-aarch64" "$check/linux-aarch64"
fi
