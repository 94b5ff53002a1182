#!/bin/sh
# Builds libnablablasthreads.so (see blas_threads.c) into OUTPUT_DIR. Without a C compiler, or off
# Linux x86-64, it prints why and builds nothing: the CPU backend then leaves the BLAS's threads as
# they are and says so in its start-up log line. CC overrides the compiler (default gcc).
#   usage: build.sh OUTPUT_DIR JAVA_HOME
set -eu
out="${1:?usage: build.sh OUTPUT_DIR JAVA_HOME}"
jdk="${2:?usage: build.sh OUTPUT_DIR JAVA_HOME}"
here=$(cd "$(dirname "$0")" && pwd)
cc="${CC:-gcc}"
platform="$(uname -s)-$(uname -m)"
if [ "$platform" != "Linux-x86_64" ]; then
    echo "[nabla] not building the BLAS thread control library: it is for Linux-x86_64, this is $platform"
    exit 0
fi
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "[nabla] not building the BLAS thread control library: $cc not found (install gcc to build it)"
    rm -f "$out/libnablablasthreads.so"
    exit 0
fi
if [ ! -f "$jdk/include/jni.h" ]; then
    echo "[nabla] not building the BLAS thread control library: no $jdk/include/jni.h (build with a JDK, not a JRE)"
    rm -f "$out/libnablablasthreads.so"
    exit 0
fi
mkdir -p "$out"
"$cc" -shared -fPIC -O2 -Wall -Wextra -s -Wl,-z,noexecstack -Wl,--no-undefined \
    -I"$jdk/include" -I"$jdk/include/linux" -o "$out/libnablablasthreads.so.tmp" "$here/blas_threads.c" -ldl
mv -f "$out/libnablablasthreads.so.tmp" "$out/libnablablasthreads.so"
echo "[nabla] built the BLAS thread control library: $out/libnablablasthreads.so"
